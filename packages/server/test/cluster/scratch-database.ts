import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

/**
 * A migrated database of its own on the DATABASE_URL server, shared by the
 * nodes of one test cluster. Migrated here, once, as `parley migrate` does
 * before a rollout: nodes booting together would race for knex's migration lock.
 */
export async function createClusterDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_cluster_${randomBytes(6).toString('hex')}`;
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
  const db = createDatabase({ databaseUrl: url.toString(), dataDir: ':memory:' });
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
