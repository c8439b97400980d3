/**
 * Starts one server under test, pinned to the server core: Parley (`parley serve` from the build,
 * on a scratch PostgreSQL database), the bare `ws` broadcast baseline, or the Socket.IO baseline.
 * Also two Parley nodes sharing one scratch database and Redis (the cluster variant).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import type { Protocol } from '../clients/chat-client.js';
import { freePort, pinned, REPO_DIR, runToEnd, SERVER_CORE, stopChild, tsNode, waitForHttp } from './processes.js';
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
  /** Parley: serve this (migrated) database, shared with other nodes and not dropped by `stop`, instead of a fresh one. */
  database?: ScratchDatabase;
  /** Parley: a cluster node on this Redis (REDIS_URL, REDIS_PREFIX); default one node with the in-process bus. */
  redis?: { url: string; prefix: string };
  /** The token secret (nodes of one cluster share it); default a fresh one. */
  secret?: string;
  /** The core the server is pinned to (default the server core). */
  core?: number;
  /** Parley: more environment (e.g. the default frame budget back for the fairness section). */
  env?: Record<string, string>;
}

export const PARLEY_CLI = join(REPO_DIR, 'packages/server/dist/cli.js');

/** `parley migrate` on a database (the server also migrates on start; two nodes starting at once should not race to). */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const { REDIS_URL: _redis, ...env } = process.env;
  await runToEnd(process.execPath, [PARLEY_CLI, 'migrate'], {
    ...env,
    DATABASE_URL: databaseUrl,
    PARLEY_JWT_SECRET: randomBytes(24).toString('base64url'),
    LOG_LEVEL: 'warn',
  });
}

export async function startTarget(protocol: Protocol, options: TargetOptions): Promise<RunningTarget> {
  const port = await freePort();
  const secret = options.secret ?? randomBytes(24).toString('base64url'); // 32 characters
  const url = `http://127.0.0.1:${port}`;
  const profileArgs = [
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    // Every target collects its garbage on SIGUSR2 (the idle-memory scenario).
    '--expose-gc',
    '--import',
    pathToFileURL(join(REPO_DIR, 'bench/servers/gc-on-signal.mjs')).href,
  ];
  let database: ScratchDatabase | null = null;
  const ownsDatabase = !options.database;
  let command: [string, string[]];
  // The bench's own environment minus what would change the server's shape (REDIS_URL: the headline is one node).
  const { REDIS_URL: _redis, REDIS_PREFIX: _prefix, DATABASE_URL: _db, ...baseEnv } = process.env;
  let env: NodeJS.ProcessEnv = { ...baseEnv, PORT: String(port), HOST: '127.0.0.1' };

  if (protocol === 'parley') {
    database = options.database ?? (await createScratchDatabase(options.adminDatabaseUrl));
    command = [process.execPath, [...profileArgs, PARLEY_CLI, 'serve']];
    env = {
      ...env,
      DATABASE_URL: database.url,
      ...(options.redis ? { REDIS_URL: options.redis.url, REDIS_PREFIX: options.redis.prefix } : {}),
      PARLEY_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      PARLEY_RATE_LIMIT_MESSAGES_PER_10S: '1000000',
      // Every bench socket comes from 127.0.0.1, and the idle and storm runs open thousands.
      PARLEY_SOCKET_UPGRADES_PER_IP_PER_SECOND: '1000000',
      PARLEY_MAX_SOCKETS_PER_USER: '10000',
      // The load generators' senders run far past what one person sends; the fairness section sets it back.
      PARLEY_SOCKET_FRAMES_PER_SECOND: '10000000',
      PARLEY_ALLOWED_ORIGINS: '*',
      NODE_ENV: 'production',
      ...options.env,
    };
  } else {
    command = tsNode(protocol === 'ws' ? 'servers/ws-broadcast.ts' : 'servers/socketio-rooms.ts', profileArgs);
    env = { ...env, BENCH_JWT_SECRET: secret, NODE_ENV: 'production' };
  }

  const dropOwnDatabase = async () => {
    if (ownsDatabase) await database?.drop();
  };
  const [cmd, args] = pinned(options.core ?? SERVER_CORE, command[0], command[1]);
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
    await dropOwnDatabase();
    throw new Error(`${protocol} server did not start: ${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return {
    protocol,
    url,
    pid: child.pid!,
    secret,
    database,
    async stop() {
      await stopChild(child);
      await dropOwnDatabase();
    },
  };
}

export interface RunningCluster {
  /** Node A first. Every node has the same secret and `database`. */
  nodes: RunningTarget[];
  database: ScratchDatabase;
  redisPrefix: string;
  stop(): Promise<void>;
}

/**
 * Parley nodes on one scratch database and one Redis, node i pinned to `cores[i]`. A random
 * REDIS_PREFIX per start, so two runs (or a test run on the same Redis) never see each other's
 * channels; its keys are deleted on `stop`. Migrated once before the nodes start.
 */
export async function startParleyCluster(options: {
  adminDatabaseUrl: string;
  redisUrl: string;
  cores: number[];
}): Promise<RunningCluster> {
  const database = await createScratchDatabase(options.adminDatabaseUrl);
  const redis = { url: options.redisUrl, prefix: `parley-bench-${randomBytes(4).toString('hex')}:` };
  const secret = randomBytes(24).toString('base64url');
  const nodes: RunningTarget[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await deleteRedisKeys(redis.url, redis.prefix);
    await database.drop();
  };
  try {
    await migrateDatabase(database.url);
    for (const core of options.cores)
      nodes.push(
        await startTarget('parley', { adminDatabaseUrl: options.adminDatabaseUrl, database, redis, secret, core }),
      );
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { nodes, database, redisPrefix: redis.prefix, stop };
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
