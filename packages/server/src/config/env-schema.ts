import { z } from 'zod';
import { ConfigError } from './config-error.js';

/*
 * Every environment variable the server reads, with its default and its bounds (README's
 * configuration table lists the same). Declarative: zod turns the strings into typed values and
 * names each bad variable.
 */

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

export const envSchema = z.object({
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

/** The environment once validated. */
export type EnvValues = z.infer<typeof envSchema>;

export type Env = Record<string, string | undefined>;

/** The environment through `schema`, or a ConfigError naming every bad variable. */
export function parsed<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
}
