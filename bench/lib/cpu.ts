/**
 * CPU and memory of processes, read from /proc (Linux). Used to prove fairness: every run logs the
 * CPU of the server under test and of the load generator, and a run whose load generator used
 * more than {@link SATURATED_PERCENT} of its core is flagged (its figures measure the generator).
 */
import { readdirSync, readFileSync } from 'node:fs';

export const SATURATED_PERCENT = 90;

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process in seconds, or null when it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident set size in bytes. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** Pids of every process whose command is `name` (e.g. all PostgreSQL backends). */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Total CPU seconds of all processes named `name` (PostgreSQL runs as many processes). */
export function cpuSecondsOfAll(name: string): number {
  return pidsNamed(name).reduce((sum, pid) => sum + (cpuSecondsOf(pid) ?? 0), 0);
}

export interface CpuWindow {
  /** Percent of one core over the window, per labelled process. */
  stop(): Record<string, number>;
}

/**
 * Measures the CPU each labelled pid used between now and `stop()`, as percent of one core.
 * `postgres` (all PostgreSQL processes, a machine service shared with other users) is always included;
 * `services` names more machine services by process name (e.g. `redis-server`), each reported under its name.
 */
export function cpuWindow(pids: Record<string, number>, services: string[] = []): CpuWindow {
  const startedAt = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([label, pid]) => [label, cpuSecondsOf(pid) ?? 0]));
  const names = ['postgres', ...services];
  const servicesBefore = names.map((name) => cpuSecondsOfAll(name));
  return {
    stop() {
      const seconds = (performance.now() - startedAt) / 1000;
      const result: Record<string, number> = {};
      for (const [label, pid] of Object.entries(pids)) {
        result[label] = round1((((cpuSecondsOf(pid) ?? 0) - before[label]!) / seconds) * 100);
      }
      names.forEach(
        (name, i) => (result[name] = round1(((cpuSecondsOfAll(name) - servicesBefore[i]!) / seconds) * 100)),
      );
      return result;
    },
  };
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
