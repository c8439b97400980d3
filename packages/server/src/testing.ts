/**
 * Test harness for Parley's own tests and for the SDK's and widget's tests:
 * a real server on an ephemeral port, on a database nobody else uses.
 *
 *   const server = await startTestServer();
 *   const token = server.mintToken({ sub: 'alice', name: 'Alice' });
 *   ...
 *   await server.close();
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import type { Config, LogLevel } from './config.js';
import { createDatabase } from './db/database.js';
import { DEFAULT_SQL_DIR, migrate } from './db/migrate.js';
import { pgliteOf } from './db/pglite-client.js';
import { startServer, type RunningServer, type StartOptions } from './server.js';

export type Backend = 'pglite' | 'postgres';

/**
 * HS256 secret of every test server in this process. Random per process, so
 * no usable secret is ever committed.
 */
export const TEST_JWT_SECRET = randomBytes(32).toString('base64url');

export interface MintClaims {
  sub: string;
  name?: string;
  picture?: string | null;
  /** Lifetime in seconds (default 3600); negative gives an already expired token. */
  ttl?: number;
  /** Any other claim (iss, aud, …). */
  [claim: string]: unknown;
}

/** A token for the test servers of this process (HS256, TEST_JWT_SECRET). */
export function mintToken(claims: MintClaims, secret: string = TEST_JWT_SECRET): string {
  const { ttl = 3600, ...rest } = claims;
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ iat: now, exp: now + ttl, ...rest }, secret, { algorithm: 'HS256' });
}

function requireServices(): boolean {
  return ['1', 'true'].includes((process.env['PARLEY_REQUIRE_SERVICES'] ?? '').toLowerCase());
}

/**
 * Backends to run integration tests on: PGlite always, PostgreSQL when
 * DATABASE_URL is set. With PARLEY_REQUIRE_SERVICES=1 a missing DATABASE_URL
 * is an error rather than a silent PGlite-only run.
 */
export function availableBackends(): Backend[] {
  if (process.env['DATABASE_URL']) return ['pglite', 'postgres'];
  if (requireServices()) throw new Error('PARLEY_REQUIRE_SERVICES=1 but DATABASE_URL is not set');
  return ['pglite'];
}

export type TestServerOverrides = Partial<Config> & {
  /** Default: postgres when DATABASE_URL is set, else PGlite in memory. */
  backend?: Backend;
  /** Socket auth deadline in ms (default 5000). */
  authTimeoutMs?: number;
  /** Socket limits (token grace, slow-consumer threshold, gap wait…). */
  socketLimits?: StartOptions['socketLimits'];
  presenceSweepMs?: number;
  /** Log here instead of a logger at LOG_LEVEL (default silent); tests that read log lines pass one. */
  logger?: StartOptions['logger'];
};

export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer extends RunningServer {
  backend: Backend;
  /** ws://host:port/api/v1/ws */
  wsUrl: string;
  /** Signs a token this server accepts. */
  mintToken(claims: MintClaims): string;
  /** Calls the REST API: `request('POST', '/api/v1/rooms', { token, body })`. */
  request<T = any>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<TestResponse<T>>;
}

/** Starts a server for one test file (or suite); `close()` also drops its database. */
export async function startTestServer(overrides: TestServerOverrides = {}): Promise<TestServer> {
  const { backend: wanted, authTimeoutMs, socketLimits, presenceSweepMs, logger, ...configOverrides } = overrides;
  const baseUrl = process.env['DATABASE_URL'];
  const backend: Backend = wanted ?? (baseUrl ? 'postgres' : 'pglite');
  if (backend === 'pglite' && !wanted && requireServices()) {
    throw new Error('PARLEY_REQUIRE_SERVICES=1 but DATABASE_URL is not set');
  }
  if (backend === 'postgres' && !baseUrl) throw new Error('backend "postgres" needs DATABASE_URL');

  const scratch = backend === 'postgres' ? await createScratchDatabase(baseUrl!) : null;
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: scratch?.url ?? null,
    dbPoolMax: 10,
    dataDir: ':memory:',
    redisUrl: null,
    redisPrefix: 'parley:',
    jwt: { algorithm: 'HS256', secret: TEST_JWT_SECRET, development: false, issuer: null, audience: null },
    allowedOrigins: [],
    messagingEnabled: true,
    encryptionAtRest: false,
    encryptionMasterKey: null,
    messageMaxLength: 10_000,
    presenceHeartbeatSeconds: 25,
    presenceOfflineThresholdSeconds: 90,
    // Off, so tests (here and in the SDK and widget) see a closed last socket go offline at once;
    // the grace period's own tests set it.
    presenceGraceSeconds: 0,
    // Generous so suites that send a lot are not throttled; rate-limit tests lower it.
    rateLimitMessagesPer10s: 10_000,
    resumeMaxEvents: 1000,
    groupCommitMaxBatch: 256,
    groupCommitLanes: 2,
    groupCommitMaxWaitMs: 0,
    // Short, so tests that mark reads over the socket see them written promptly.
    readCoalesceMs: 50,
    roomListCacheBytes: 4 * 1024 * 1024,
    maxSocketsPerUser: 20,
    // Every test socket comes from 127.0.0.1: generous, so suites are not refused; the limit's own test lowers it.
    socketUpgradesPerIpPerSecond: 100_000,
    // Suites send thousands of frames on one socket; the budget's own test lowers it.
    socketFramesPerSecond: 1_000_000,
    trustProxy: false,
    demo: false,
    logLevel: (process.env['LOG_LEVEL'] as LogLevel | undefined) ?? 'silent',
    metricsToken: null,
    ...configOverrides,
  };

  let server: RunningServer;
  try {
    // PGlite in memory starts from a migrated template: initdb in WASM costs seconds per server.
    const db =
      backend === 'pglite' && config.dataDir === ':memory:'
        ? createDatabase({ databaseUrl: null, dataDir: ':memory:', pgliteTemplate: await pgliteTemplate() })
        : undefined;
    server = await startServer(config, {
      ...(authTimeoutMs !== undefined ? { authTimeoutMs } : {}),
      ...(socketLimits ? { socketLimits } : {}),
      ...(presenceSweepMs !== undefined ? { presenceSweepMs } : {}),
      ...(db ? { db } : {}),
      ...(logger ? { logger } : {}),
    });
  } catch (err) {
    await scratch?.drop();
    throw err;
  }
  const secret = config.jwt.algorithm === 'HS256' ? config.jwt.secret : TEST_JWT_SECRET;
  return {
    ...server,
    backend,
    wsUrl: `${server.url.replace(/^http/, 'ws')}/api/v1/ws`,
    mintToken: (claims) => mintToken(claims, secret),
    async request(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(server.url + path, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: body as any, headers: res.headers };
    },
    async close() {
      try {
        await server.close();
      } finally {
        await scratch?.drop();
      }
    },
  };
}

/**
 * A database of its own on the DATABASE_URL server, so concurrent runs cannot collide;
 * `prefix` names what it is for (test servers, restart tests, clusters).
 */
export async function createScratchDatabase(
  baseUrl: string,
  prefix = 'parley_test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

let templateInProcess: Promise<Blob> | undefined;

/**
 * A dump of a freshly migrated PGlite database, cached in the OS temp dir
 * under a key of the PGlite version and the migrations' contents, so every
 * test file and run after the first skips initdb and migration.
 */
function pgliteTemplate(): Promise<Blob> {
  return (templateInProcess ??= (async () => {
    const hash = createHash('sha256').update(await pgliteVersion());
    for (const file of (await readdir(DEFAULT_SQL_DIR)).filter((f) => f.endsWith('.sql')).sort()) {
      hash.update(file).update(await readFile(path.join(DEFAULT_SQL_DIR, file)));
    }
    const cacheFile = path.join(tmpdir(), `parley-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
    try {
      return new Blob([await readFile(cacheFile)]);
    } catch {
      // not cached yet
    }
    const db = createDatabase({ databaseUrl: null, dataDir: ':memory:' });
    try {
      await migrate(db);
      const dump = await pgliteOf(db).dumpDataDir('none');
      // Write then rename: concurrent test workers never read a half-written file.
      const partial = `${cacheFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, cacheFile);
      return dump;
    } finally {
      await db.destroy();
    }
  })());
}

/** PGlite's version (its package.json is not exported, so walk up from its entry point). */
async function pgliteVersion(): Promise<string> {
  let dir = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  for (;;) {
    try {
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@electric-sql/pglite') return pkg.version ?? 'unknown';
    } catch {
      // keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
