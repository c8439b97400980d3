import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../packages/server/src/test-support/free-port.js';

export const REPOSITORY = fileURLToPath(new URL('../', import.meta.url));

/**
 * The test's environment for a child: without the npm_* variables of the runner's own npm (they would
 * point a child npm at this workspace), and without the services CI exports (a child that should use
 * PostgreSQL or Redis is given them): these processes run on PGlite in a directory of their own. An
 * `undefined` in `extra` removes a variable.
 */
function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') && !INHERITED_SERVICES.has(key)),
  );
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

const INHERITED_SERVICES = new Set(['DATABASE_URL', 'REDIS_URL', 'PARLEY_JWT_SECRET', 'PARLEY_DEMO']);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end. A failure throws with its output (unless allowFailure), so a broken
 * install or pack says why in the test report rather than as a later, stranger assertion.
 */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; mkdir?: string; allowFailure?: boolean },
): Promise<RunResult> {
  if (options.mkdir) await mkdir(options.mkdir, { recursive: true });
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: childEnv(options.env), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        if (code !== 0 && !options.allowFailure) {
          reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}\n${stdout}`));
        } else resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Resolves once the URL answers 200; rejects if the process behind it exits first. */
export async function waitForHttp(url: string, process: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`the server exited with ${process.exitCode} before ${url} answered`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export interface CliServer {
  url: string;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, and resolves once it exited. */
  stop(): Promise<void>;
}

/** `npx parley serve` in `cwd` on a free port, once it answers /healthz. */
export async function startParleyServe(cwd: string, env: Record<string, string | undefined>): Promise<CliServer> {
  const port = await freePort();
  // A process group of its own: npx does not pass SIGTERM on to the server it started, so stop()
  // signals the whole group, or every run would leave a server behind.
  const child = spawn('npx', ['--no-install', 'parley', 'serve'], {
    cwd,
    env: childEnv({ LOG_LEVEL: 'warn', ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const server: CliServer = {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      // The server itself (npx's child) shuts down gracefully: wait until it no longer answers.
      const deadline = Date.now() + 20_000;
      while (
        Date.now() < deadline &&
        (await fetch(`${server.url}/healthz`).then(
          () => true,
          () => false,
        ))
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
  try {
    await waitForHttp(`${server.url}/healthz`, child);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return server;
}
