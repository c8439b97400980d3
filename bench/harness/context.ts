/**
 * What every section of a bench run shares: the command line (mode, `--only`, `--out`), the results
 * being filled in, the log, and how a section starts its servers and reports a failure.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Protocol } from '../clients/chat-client.js';
import { SATURATED_PERCENT } from '../lib/cpu.js';
import { SIZES, parseMode } from '../lib/modes.js';
import { pinned, LOADGEN_CORE, REPO_DIR, SERVER_CORE, type TargetInput } from '../lib/processes.js';
import { measured, type Measured, type Metrics } from '../lib/report/stats.js';
import type { Results } from '../lib/report/results.js';
import { DEFAULT_DATABASE_URL } from '../lib/scratch-db.js';
import { startParleyCluster, startTarget, type RunningCluster, type RunningTarget } from '../lib/targets.js';

const args = process.argv.slice(2);
export const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
export const mode = parseMode(argValue('--mode'));
export const sizes = SIZES[mode];
export const adminUrl = process.env['DATABASE_URL'] || DEFAULT_DATABASE_URL;
const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
export const WIDGET_BUNDLE = join(REPO_DIR, 'packages/widget/dist/widget.js');

export const startedAt = new Date();
export const log = (message: string) =>
  process.stderr.write(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
const cpuModel =
  /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';

export const results: Results = {
  meta: {
    mode,
    command:
      mode === 'full'
        ? 'npm run bench'
        : mode === 'quick'
          ? 'npm run bench:quick'
          : 'node --import tsx bench/run.ts --mode smoke',
    started_at: startedAt.toISOString(),
    machine: { nproc: cpus().length, cpu_model: cpuModel, memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10 },
    node: process.version,
    load_average_start: loadavg().map((v) => Math.round(v * 100) / 100),
    pinning:
      pinned(0, 'x', [])[0] === 'x'
        ? 'taskset not found: nothing pinned'
        : 'servers under test: core 0; load generators, pgbench, Chromium: core 1; PostgreSQL, Redis: not pinned (machine services); ' +
          'section 9 (two nodes): node A core 0, node B core 1, its load generator not pinned',
    parley:
      'one node, in-process bus (no REDIS_URL), PostgreSQL scratch database per server, fsync and synchronous_commit on (section 9 excepted)',
    two_nodes:
      `section 9: two \`parley serve\` processes on one scratch database and Redis (${redisUrl.replace(/\/\/[^@]*@/, '//')}, a random REDIS_PREFIX per run), ` +
      `node A pinned to core ${SERVER_CORE}, node B to core ${LOADGEN_CORE}, its load generator NOT pinned (it shares the cores with both nodes, PostgreSQL and Redis); ` +
      `the one-node figure it is divided by had a core of its own for its load generator. With ${cpus().length} cores the ratio cannot show real scale-out: it shows what the Redis bus costs and whether two nodes work, not what a second machine would add`,
    sizes,
  },
  fanout: {},
  max_rate: {},
  write_throughput: null,
  readers: null,
  two_nodes: null,
  fairness: null,
  idle_memory: {},
  reconnect_storm: {},
  rest: {},
  widget: {},
  pgbench: [],
  profile: null,
  targets: [],
  flags: [],
  errors: [],
};

export async function using<S extends { stop(): Promise<void> }, T>(
  started: Promise<S>,
  fn: (server: S) => Promise<T>,
): Promise<T> {
  const server = await started;
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/** BENCH_CPU_PROFILE_DIR: every server started writes a CPU profile there (e.g. with `--only rest`). */
const everyTargetProfileDir = process.env['BENCH_CPU_PROFILE_DIR'];

export const withTarget = <T>(
  protocol: Protocol,
  fn: (target: RunningTarget) => Promise<T>,
  cpuProfileDir = everyTargetProfileDir,
): Promise<T> =>
  using(startTarget(protocol, { adminDatabaseUrl: adminUrl, ...(cpuProfileDir ? { cpuProfileDir } : {}) }), fn);

/** Node A on the server core, node B on the load-generator core (see `meta.two_nodes`). */
export const withCluster = <T>(fn: (cluster: RunningCluster) => Promise<T>): Promise<T> =>
  using(startParleyCluster({ adminDatabaseUrl: adminUrl, redisUrl, cores: [SERVER_CORE, LOADGEN_CORE] }), fn);

/** What a load generator driving one server is told about it. */
export const targetInput = (target: RunningTarget): TargetInput => ({
  url: target.url,
  serverPid: target.pid,
  secret: target.secret,
});

/** `--only max-rate,readers`: run just these sections (keys as in run.ts `SECTIONS`); the others' figures stay empty. */
const only = argValue('--only')
  ?.split(',')
  .map((key) => key.trim());

export async function section(key: string, name: string, fn: () => Promise<void>): Promise<void> {
  if (only && !only.includes(key)) return;
  log(`${name}…`);
  try {
    await fn();
  } catch (err) {
    const message = (err as Error).stack ?? String(err);
    results.errors.push({ section: name, message });
    log(`${name} FAILED: ${message}`);
  }
}

export function flagIfSaturated(what: string, loadgenCpu: number): number {
  if (loadgenCpu <= SATURATED_PERCENT) return 0;
  results.flags.push(
    `${what}: load generator at ${loadgenCpu}% of its core (> ${SATURATED_PERCENT}%): run left out of the median when a clean run exists`,
  );
  return 1;
}

/** `sizes.runs` runs of a scenario, one after another; their medians. */
export async function medianOfRuns(once: (run: number) => Promise<Metrics>): Promise<Measured> {
  const runs: Metrics[] = [];
  for (let run = 1; run <= sizes.runs; run++) runs.push(await once(run));
  return measured(runs);
}
