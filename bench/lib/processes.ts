/**
 * Child processes for the bench: servers under test on core 0, load generators on core 1
 * (`taskset`), so neither steals the other's CPU. Load generators answer with one
 * `RESULT <json>` line on stdout; their progress goes to stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = dirname(BENCH_DIR);

export const SERVER_CORE = 0;
export const LOADGEN_CORE = 1;

/** `taskset -c <core>` when the machine has util-linux and more than one core; otherwise unpinned (noted in the report). */
export function pinned(core: number, command: string, args: string[]): [string, string[]] {
  if (existsSync('/usr/bin/taskset')) return ['/usr/bin/taskset', ['-c', String(core), command, ...args]];
  return [command, args];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

/** Node running a TypeScript file through tsx (`node --import tsx file.ts`). */
export function tsNode(file: string, nodeArgs: string[] = []): [string, string[]] {
  return [process.execPath, [...nodeArgs, '--import', 'tsx', join(BENCH_DIR, file)]];
}

/** Stops a child with SIGTERM (SIGKILL after `graceMs`) and resolves when it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Runs a command to its end; resolves with its stdout and stderr, rejects when it exits non-zero. */
export function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}:\n${out.slice(-3000)}`)),
    );
  });
}

export interface LoadgenOptions {
  timeoutMs?: number;
  /** The core to pin the load generator to (default the load-generator core); null: not pinned. */
  core?: number | null;
}

/**
 * Runs a load generator (`bench/loadgen/<name>.ts`) pinned to the load-generator core with `input`
 * as JSON in `BENCH_INPUT`, and resolves with the JSON it printed on its `RESULT` line.
 */
export async function runLoadgen<T>(
  name: string,
  input: unknown,
  { timeoutMs = 600_000, core = LOADGEN_CORE }: LoadgenOptions = {},
): Promise<T> {
  const [node, args] = tsNode(`loadgen/${name}.ts`);
  const [command, pinnedArgs] = core === null ? [node, args] : pinned(core, node, args);
  const child = spawn(command, pinnedArgs, {
    cwd: REPO_DIR,
    env: { ...process.env, BENCH_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env['BENCH_VERBOSE']) process.stderr.write(chunk);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) {
    throw new Error(`load generator ${name} failed (exit ${code}):\n${stderr.slice(-4000)}`);
  }
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

/** What a load generator driving one server is told about it: where it listens, its pid (CPU, RSS), its token secret. */
export interface TargetInput {
  url: string;
  serverPid: number;
  secret: string;
}

/** Inside a load generator: its input, and how to answer. */
export function loadgenInput<T>(): T {
  const raw = process.env['BENCH_INPUT'];
  if (!raw) throw new Error('BENCH_INPUT is not set: run load generators through bench/run.ts');
  return JSON.parse(raw) as T;
}

export function answer(result: unknown): void {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

export function progress(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
