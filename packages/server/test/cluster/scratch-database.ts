import { createDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createScratchDatabase } from '../../src/testing.js';

/**
 * A migrated database of its own on the DATABASE_URL server, shared by the
 * nodes of one test cluster. Migrated here, once, as `parley migrate` does
 * before a rollout: nodes booting together would race for knex's migration lock.
 */
export async function createClusterDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const scratch = await createScratchDatabase(baseUrl, 'parley_cluster');
  const db = createDatabase({ databaseUrl: scratch.url, dataDir: ':memory:' });
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
  return scratch;
}
