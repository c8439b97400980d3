import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { devSecretPath, ensureDevSecret } from './dev-secret.js';
import { masterKeyProblem } from './crypto/master-key.js';

export type JwtAlgorithm = 'HS256' | 'RS256' | 'ES256';

/** How tokens are verified. The algorithm is pinned here, never taken from a token. */
export type JwtConfig = {
  issuer: string | null;
  audience: string | null;
} & (
  | {
      algorithm: 'HS256';
      secret: string;
      /** true when it is demo mode's development secret (`<PARLEY_DATA_DIR>/dev-secret`), not PARLEY_JWT_SECRET */
      development: boolean;
    }
  | { algorithm: 'RS256' | 'ES256'; publicKey: string }
);

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Validated server configuration (see DESIGN.md "Configuration"). */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  /** Most PostgreSQL connections this node opens (`PARLEY_DB_POOL_MAX`, default 10; PGlite has one). */
  dbPoolMax: number;
  /** PGlite data directory when there is no databaseUrl; ':memory:' keeps nothing. */
  dataDir: string;
  redisUrl: string | null;
  /** Namespace of every Redis key and channel, so deployments can share one Redis (`REDIS_PREFIX`, default `parley:`). */
  redisPrefix: string;
  jwt: JwtConfig;
  /** Origins allowed for CORS and the socket; '*' allows any; empty = same origin only. */
  allowedOrigins: string[];
  messagingEnabled: boolean;
  encryptionAtRest: boolean;
  encryptionMasterKey: Buffer | null;
  messageMaxLength: number;
  presenceHeartbeatSeconds: number;
  presenceOfflineThresholdSeconds: number;
  /** A user whose last socket closes and who is back within this many seconds never went offline (0: off). */
  presenceGraceSeconds: number;
  /** Messages one user may send per 10 s (socket and REST together); bursts up to this many. */
  rateLimitMessagesPer10s: number;
  /** Resume replays at most this many missed events per room; a larger gap answers `resync`. */
  resumeMaxEvents: number;
  /** Most writes (sends, read markers) in one group-commit batch. */
  groupCommitMaxBatch: number;
  /** Group commits writing in parallel, rooms spread over them (PostgreSQL only). */
  groupCommitLanes: number;
  /** How long an idle writer waits for more writes before a batch (0: at once). */
  groupCommitMaxWaitMs: number;
  /** Socket `read` frames of one user and room within this window are written (and fanned out) once. */
  readCoalesceMs: number;
  /** Bytes of serialised `GET /rooms` pages kept per node, reused while a user's rooms are unchanged (0: off). */
  roomListCacheBytes: number;
  /** Authenticated sockets one user may hold on a node; a new one past it closes the user's oldest (4409). */
  maxSocketsPerUser: number;
  /** Frames one socket may send per second on average (bursts of three times that); past it the socket is not read for a while. */
  socketFramesPerSecond: number;
  /** Socket upgrades one IP may start per second on a node (bursts of twice that); more answer HTTP 429. */
  socketUpgradesPerIpPerSecond: number;
  /** Read the client's IP from the last `X-Forwarded-For` entry (set it behind one reverse proxy). */
  trustProxy: boolean;
  demo: boolean;
  logLevel: LogLevel;
  /** Bearer token that GET /metrics requires (`PARLEY_METRICS_TOKEN`); null: no /metrics at all (404). */
  metricsToken: string | null;
}

/** A configuration problem; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MIN_SECRET_LENGTH = 32;
const MIN_METRICS_TOKEN_LENGTH = 16;

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()));

const flag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? '').trim().toLowerCase();
      if (s === '') return fallback;
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off'].includes(s)) return false;
      ctx.addIssue({ code: 'custom', message: 'expected true|false|1|0' });
      return z.NEVER;
    });

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? String(fallback) : v.trim()))
    .pipe(z.string().regex(/^\d+$/, 'expected a whole number'))
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const origins = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const list = (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const item of list) {
      if (item === '*') continue;
      let url: URL;
      try {
        url = new URL(item);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin like https://example.com` });
        continue;
      }
      if (url.origin !== item.replace(/\/$/, '')) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin (scheme://host[:port], no path)` });
      }
    }
    return list.map((s) => (s === '*' ? s : new URL(s).origin));
  });

const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z
    .string()
    .optional()
    .transform((v) => v?.trim() || '127.0.0.1'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected postgres://…')
      .nullable(),
  ),
  PARLEY_DB_POOL_MAX: int(10, 1, 1000),
  PARLEY_DATA_DIR: z
    .string()
    .optional()
    .transform((v) => v?.trim() || './.parley-data'),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'expected redis://…')
      .nullable(),
  ),
  REDIS_PREFIX: z
    .string()
    .optional()
    .transform((v) => v?.trim() || 'parley:')
    .pipe(
      z
        .string()
        .max(64)
        .regex(/^[\w:.-]+$/, 'letters, digits, _ : . - only'),
    ),
  PARLEY_JWT_SECRET: optionalString.pipe(
    z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`).nullable(),
  ),
  PARLEY_JWT_PUBLIC_KEY: optionalString,
  PARLEY_JWT_ALGORITHM: optionalString.pipe(z.enum(['HS256', 'RS256', 'ES256']).nullable()),
  PARLEY_JWT_ISSUER: optionalString,
  PARLEY_JWT_AUDIENCE: optionalString,
  PARLEY_ALLOWED_ORIGINS: origins,
  MESSAGING_ENABLED: flag(true),
  MESSAGE_ENCRYPTION_AT_REST: flag(false),
  MESSAGE_ENCRYPTION_MASTER_KEY: optionalString,
  MESSAGE_MAX_LENGTH: int(10_000, 1, 1_000_000),
  PRESENCE_HEARTBEAT_SECONDS: int(25, 1, 3600),
  PRESENCE_OFFLINE_THRESHOLD_SECONDS: int(90, 1, 86_400),
  PRESENCE_GRACE_SECONDS: int(5, 0, 3600),
  PARLEY_RATE_LIMIT_MESSAGES_PER_10S: int(50, 1, 1_000_000),
  PARLEY_RESUME_MAX_EVENTS: int(1000, 1, 100_000),
  PARLEY_GROUP_COMMIT_MAX_BATCH: int(256, 1, 10_000),
  PARLEY_GROUP_COMMIT_LANES: int(4, 1, 64),
  PARLEY_GROUP_COMMIT_MAX_WAIT_MS: int(0, 0, 1000),
  PARLEY_READ_COALESCE_MS: int(500, 0, 60_000),
  PARLEY_ROOM_LIST_CACHE_MB: int(32, 0, 4096),
  PARLEY_MAX_SOCKETS_PER_USER: int(20, 1, 10_000),
  PARLEY_SOCKET_UPGRADES_PER_IP_PER_SECOND: int(20, 1, 1_000_000),
  PARLEY_SOCKET_FRAMES_PER_SECOND: int(100, 1, 10_000_000),
  PARLEY_TRUST_PROXY: flag(false),
  // Only an explicit 1|true turns the demo on: it serves tokens to anyone.
  PARLEY_DEMO: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? '').trim().toLowerCase();
      if (s === '1' || s === 'true') return true;
      if (s === '' || s === '0' || s === 'false') return false;
      ctx.addIssue({ code: 'custom', message: 'expected 1|true (on) or 0|false (off)' });
      return z.NEVER;
    }),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || 'info')
    .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  PARLEY_METRICS_TOKEN: optionalString.pipe(
    z
      .string()
      .min(MIN_METRICS_TOKEN_LENGTH, `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces (it is sent as a bearer token)')
      .nullable(),
  ),
});

type Env = Record<string, string | undefined>;

/** The environment through `schema`, or a ConfigError naming every bad variable. */
function parsed<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
}

/** What `parley token` reads besides the secret: the claims the server checks, and where the demo's secret lives. */
export function loadSigningConfig(env: Env = process.env): {
  issuer: string | null;
  audience: string | null;
  dataDir: string;
} {
  const e = parsed(envSchema.pick({ PARLEY_JWT_ISSUER: true, PARLEY_JWT_AUDIENCE: true, PARLEY_DATA_DIR: true }), env);
  return { issuer: e.PARLEY_JWT_ISSUER, audience: e.PARLEY_JWT_AUDIENCE, dataDir: e.PARLEY_DATA_DIR };
}

/** Only what opening the database needs (`parley migrate`): no JWT, no other setting. */
export function loadDatabaseConfig(env: Env = process.env): Pick<Config, 'databaseUrl' | 'dbPoolMax' | 'dataDir'> {
  const e = parsed(envSchema.pick({ DATABASE_URL: true, PARLEY_DB_POOL_MAX: true, PARLEY_DATA_DIR: true }), env);
  return { databaseUrl: e.DATABASE_URL, dbPoolMax: e.PARLEY_DB_POOL_MAX, dataDir: e.PARLEY_DATA_DIR };
}

/**
 * Reads and validates the environment. Throws a {@link ConfigError} naming
 * every bad variable. `warnings` collects non-fatal notes for the logger
 * (which does not exist yet when this runs).
 */
export function loadConfig(env: Env = process.env, warnings: string[] = []): Config {
  const e = parsed(envSchema, env);

  if (e.PRESENCE_OFFLINE_THRESHOLD_SECONDS <= e.PRESENCE_HEARTBEAT_SECONDS) {
    throw new ConfigError('PRESENCE_OFFLINE_THRESHOLD_SECONDS must be greater than PRESENCE_HEARTBEAT_SECONDS');
  }

  // Issue 6. A wrong (but well-formed) key is caught at start-up against the
  // database's key check value (crypto/message-encryption.ts).
  let encryptionMasterKey: Buffer | null = null;
  if (e.MESSAGE_ENCRYPTION_MASTER_KEY) {
    const problem = masterKeyProblem(e.MESSAGE_ENCRYPTION_MASTER_KEY);
    if (problem) throw new ConfigError(`MESSAGE_ENCRYPTION_MASTER_KEY ${problem}`);
    encryptionMasterKey = Buffer.from(e.MESSAGE_ENCRYPTION_MASTER_KEY, 'base64');
  }
  if (e.MESSAGE_ENCRYPTION_AT_REST && !encryptionMasterKey) {
    // Fail closed: never start and store plaintext the operator asked to encrypt.
    throw new ConfigError(
      'MESSAGE_ENCRYPTION_AT_REST=true needs MESSAGE_ENCRYPTION_MASTER_KEY (32 random bytes, base64; make one with: parley keys generate)',
    );
  }
  if (env['MESSAGE_ENCRYPTION_MASTER_KEY_OLD']?.trim()) {
    warnings.push(
      'MESSAGE_ENCRYPTION_MASTER_KEY_OLD is only read by `parley keys rotate`; remove it from the server environment',
    );
  }

  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dbPoolMax: e.PARLEY_DB_POOL_MAX,
    dataDir: e.PARLEY_DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    jwt: jwtConfig(e, warnings),
    allowedOrigins: e.PARLEY_ALLOWED_ORIGINS,
    messagingEnabled: e.MESSAGING_ENABLED,
    encryptionAtRest: e.MESSAGE_ENCRYPTION_AT_REST,
    encryptionMasterKey,
    messageMaxLength: e.MESSAGE_MAX_LENGTH,
    presenceHeartbeatSeconds: e.PRESENCE_HEARTBEAT_SECONDS,
    presenceOfflineThresholdSeconds: e.PRESENCE_OFFLINE_THRESHOLD_SECONDS,
    presenceGraceSeconds: e.PRESENCE_GRACE_SECONDS,
    rateLimitMessagesPer10s: e.PARLEY_RATE_LIMIT_MESSAGES_PER_10S,
    resumeMaxEvents: e.PARLEY_RESUME_MAX_EVENTS,
    groupCommitMaxBatch: e.PARLEY_GROUP_COMMIT_MAX_BATCH,
    groupCommitLanes: e.PARLEY_GROUP_COMMIT_LANES,
    groupCommitMaxWaitMs: e.PARLEY_GROUP_COMMIT_MAX_WAIT_MS,
    readCoalesceMs: e.PARLEY_READ_COALESCE_MS,
    roomListCacheBytes: e.PARLEY_ROOM_LIST_CACHE_MB * 1024 * 1024,
    maxSocketsPerUser: e.PARLEY_MAX_SOCKETS_PER_USER,
    socketUpgradesPerIpPerSecond: e.PARLEY_SOCKET_UPGRADES_PER_IP_PER_SECOND,
    socketFramesPerSecond: e.PARLEY_SOCKET_FRAMES_PER_SECOND,
    trustProxy: e.PARLEY_TRUST_PROXY,
    demo: e.PARLEY_DEMO,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.PARLEY_METRICS_TOKEN,
  };
}

function jwtConfig(e: z.infer<typeof envSchema>, warnings: string[]): JwtConfig {
  const common = { issuer: e.PARLEY_JWT_ISSUER, audience: e.PARLEY_JWT_AUDIENCE };
  if (e.PARLEY_JWT_SECRET && e.PARLEY_JWT_PUBLIC_KEY) {
    throw new ConfigError('Set either PARLEY_JWT_SECRET (HS256) or PARLEY_JWT_PUBLIC_KEY (RS256/ES256), not both');
  }
  if (e.PARLEY_JWT_PUBLIC_KEY) {
    if (e.PARLEY_DEMO) {
      throw new ConfigError('PARLEY_DEMO hands out tokens, so it needs HS256: use PARLEY_JWT_SECRET (or neither key)');
    }
    const algorithm = e.PARLEY_JWT_ALGORITHM ?? 'RS256';
    if (algorithm === 'HS256') {
      throw new ConfigError('PARLEY_JWT_ALGORITHM=HS256 needs PARLEY_JWT_SECRET, not PARLEY_JWT_PUBLIC_KEY');
    }
    // Env files often carry PEM newlines as "\n".
    const publicKey = e.PARLEY_JWT_PUBLIC_KEY.replace(/\\n/g, '\n');
    let keyType: string | undefined;
    try {
      keyType = createPublicKey(publicKey).asymmetricKeyType;
    } catch (err) {
      throw new ConfigError(`PARLEY_JWT_PUBLIC_KEY is not a PEM public key: ${(err as Error).message}`);
    }
    const expected = algorithm === 'RS256' ? 'rsa' : 'ec';
    if (keyType !== expected) {
      throw new ConfigError(`PARLEY_JWT_PUBLIC_KEY is a ${keyType} key but PARLEY_JWT_ALGORITHM is ${algorithm}`);
    }
    return { ...common, algorithm, publicKey };
  }
  if (e.PARLEY_JWT_ALGORITHM && e.PARLEY_JWT_ALGORITHM !== 'HS256') {
    throw new ConfigError(`PARLEY_JWT_ALGORITHM=${e.PARLEY_JWT_ALGORITHM} needs PARLEY_JWT_PUBLIC_KEY`);
  }
  if (e.PARLEY_JWT_SECRET) return { ...common, algorithm: 'HS256', secret: e.PARLEY_JWT_SECRET, development: false };
  if (e.PARLEY_DEMO) {
    warnings.push(
      `PARLEY_JWT_SECRET is not set: demo mode signs with the development secret in ${devSecretPath(e.PARLEY_DATA_DIR)} ` +
        '(`npx parley token --sub bot --name Bot` uses it too). Never run demo mode in production.',
    );
    return { ...common, algorithm: 'HS256', secret: ensureDevSecret(e.PARLEY_DATA_DIR), development: true };
  }
  throw new ConfigError('Set PARLEY_JWT_SECRET (HS256, 32+ characters) or PARLEY_JWT_PUBLIC_KEY (RS256/ES256)');
}
