/**
 * Whether an error means a dependency (PostgreSQL, Redis) cannot be reached right now, as
 * opposed to a bug or a refused request: the request may well succeed when retried, so it is
 * answered `unavailable` (503 + Retry-After), never `internal`.
 */
export function isOutage(err: unknown): boolean {
  for (let cause = err, depth = 0; cause && typeof cause === 'object' && depth < 5; depth++) {
    const { code, message, name } = cause as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (OUTAGE_ERRNO.has(code) || OUTAGE_SQLSTATE.test(code))) return true;
    if (typeof name === 'string' && name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && OUTAGE_MESSAGES.some((m) => message.includes(m))) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** Socket-level failures from node:net / dns (pg and ioredis pass them through). */
const OUTAGE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * SQLSTATE class 08 (connection exception), 57P01–57P03 (admin shutdown, crash shutdown,
 * cannot connect now: the server is stopping or still starting), 53300 (too many connections).
 * PostgreSQL manual, Appendix A "PostgreSQL Error Codes".
 */
const OUTAGE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** Drivers that say it only in words: pg (a connection that died mid-query), knex's pool, ioredis. */
const OUTAGE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Timeout acquiring a connection',
  'Connection is closed',
  "Stream isn't writeable",
];
