import { masterKeyProblem } from './crypto/master-key.js';
import { ConfigError } from './config/config-error.js';
import { envSchema, parsed, type Env } from './config/env-schema.js';
import { jwtConfig, type JwtConfig } from './config/jwt-config.js';

export { ConfigError } from './config/config-error.js';
export type { JwtAlgorithm, JwtConfig } from './config/jwt-config.js';

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
