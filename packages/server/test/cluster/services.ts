import { randomBytes } from 'node:crypto';

/**
 * The cluster suites need a real Redis (REDIS_URL) and, for the process
 * tests, a real PostgreSQL (DATABASE_URL): several processes cannot share a
 * PGlite database. Without them the suites are skipped with a message, unless
 * PARLEY_REQUIRE_SERVICES=1 (CI), which makes the absence a failure.
 */
export function clusterServices(needs: { database: boolean }): { redisUrl: string; databaseUrl: string | null } | null {
  const redisUrl = process.env['REDIS_URL'] || null;
  const databaseUrl = process.env['DATABASE_URL'] || null;
  const missing = [!redisUrl && 'REDIS_URL', needs.database && !databaseUrl && 'DATABASE_URL'].filter(Boolean);
  if (missing.length === 0) return { redisUrl: redisUrl!, databaseUrl };
  const message = `cluster tests need ${missing.join(' and ')} (real services)`;
  if (['1', 'true'].includes((process.env['PARLEY_REQUIRE_SERVICES'] ?? '').toLowerCase())) {
    throw new Error(`PARLEY_REQUIRE_SERVICES=1 but ${message}`);
  }
  console.warn(`Skipping: ${message}`);
  return null;
}

/** A key/channel namespace of its own, so concurrent runs on one Redis cannot collide. */
export function randomPrefix(): string {
  return `parley-test-${randomBytes(6).toString('hex')}:`;
}
