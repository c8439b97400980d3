/**
 * Starts one server under test, pinned to the server core: Parley (`parley serve` from the build,
 * on a scratch PostgreSQL database), the bare `ws` broadcast baseline, or the Socket.IO baseline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Protocol } from '../clients/chat-client.js';
import { freePort, pinned, REPO_DIR, SERVER_CORE, stopChild, tsNode, waitForHttp } from './processes.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-db.js';

export interface RunningTarget {
  protocol: Protocol;
  url: string;
  pid: number;
  secret: string;
  /** Parley only: its scratch database (count rows, run pgbench). */
  database: ScratchDatabase | null;
  stop(): Promise<void>;
}

export interface TargetOptions {
  adminDatabaseUrl: string;
  /** Write a V8 CPU profile of the server to this directory on exit (`node --cpu-prof`). */
  cpuProfileDir?: string;
}

export const PARLEY_CLI = join(REPO_DIR, 'packages/server/dist/cli.js');

export async function startTarget(protocol: Protocol, options: TargetOptions): Promise<RunningTarget> {
  const port = await freePort();
  const secret = randomBytes(24).toString('base64url'); // 32 characters
  const url = `http://127.0.0.1:${port}`;
  const profileArgs = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  let database: ScratchDatabase | null = null;
  let command: [string, string[]];
  // The bench's own environment minus what would change the server's shape (REDIS_URL: the headline is one node).
  const { REDIS_URL: _redis, DATABASE_URL: _db, ...baseEnv } = process.env;
  let env: NodeJS.ProcessEnv = { ...baseEnv, PORT: String(port), HOST: '127.0.0.1' };

  if (protocol === 'parley') {
    database = await createScratchDatabase(options.adminDatabaseUrl);
    command = [process.execPath, [...profileArgs, PARLEY_CLI, 'serve']];
    env = {
      ...env,
      DATABASE_URL: database.url,
      PARLEY_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      PARLEY_RATE_LIMIT_MESSAGES_PER_10S: '1000000',
      PARLEY_ALLOWED_ORIGINS: '*',
      NODE_ENV: 'production',
    };
  } else {
    command = tsNode(protocol === 'ws' ? 'servers/ws-broadcast.ts' : 'servers/socketio-rooms.ts', profileArgs);
    env = { ...env, BENCH_JWT_SECRET: secret, NODE_ENV: 'production' };
  }

  const [cmd, args] = pinned(SERVER_CORE, command[0], command[1]);
  const child: ChildProcess = spawn(cmd, args, { cwd: REPO_DIR, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
    if (process.env['BENCH_VERBOSE']) process.stderr.write(chunk);
  });
  try {
    await waitForHttp(`${url}/healthz`, child);
  } catch (err) {
    child.kill('SIGKILL');
    await database?.drop();
    throw new Error(`${protocol} server did not start: ${(err as Error).message}\n${stderr}`);
  }
  return {
    protocol,
    url,
    pid: child.pid!,
    secret,
    database,
    async stop() {
      await stopChild(child);
      await database?.drop();
    },
  };
}
