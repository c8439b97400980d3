import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { assetDir } from '../assets.js';
import { databaseKind } from './database.js';
import { MULTI_STATEMENT } from './pglite-client.js';

/** The advisory lock key that serialises migrations across nodes ("parl"). */
const MIGRATION_LOCK_KEY = 0x7061726c;

/** `sql/` at the repository root, or the copy inside an installed package. */
export const DEFAULT_SQL_DIR = assetDir('sql', 'sql');

interface SqlMigration {
  name: string;
  file: string;
}

/**
 * Knex migration source over plain `NNN_name.sql` files, applied in name
 * order. Knex keeps the bookkeeping (knex_migrations) and runs each file in a
 * transaction; a file is sent as one multi-statement query.
 */
export class SqlMigrationSource implements Knex.MigrationSource<SqlMigration> {
  constructor(private readonly dir: string = DEFAULT_SQL_DIR) {}

  async getMigrations(): Promise<SqlMigration[]> {
    const files = (await readdir(this.dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
    return files.map((f) => ({ name: f, file: path.join(this.dir, f) }));
  }

  getMigrationName(migration: SqlMigration): string {
    return migration.name;
  }

  async getMigration(migration: SqlMigration): Promise<Knex.Migration> {
    const sql = await readFile(migration.file, 'utf8');
    return {
      up: async (knex: Knex) => {
        await knex.raw(sql).options(MULTI_STATEMENT);
      },
      down: async () => {
        throw new Error(`${migration.name}: SQL migrations are forward-only`);
      },
    };
  }
}

/**
 * Applies pending migrations; returns the names applied by this call. On PostgreSQL the run holds a
 * session advisory lock, so nodes that start together on an empty database take turns: the first
 * migrates, the others wait and then find nothing to do. (Knex's own lock table makes a second
 * runner fail with "Migration table is already locked" instead of waiting.) The lock is held on a
 * connection of its own, outside the pool, so a pool of one connection cannot deadlock on it.
 */
export async function migrate(db: Knex, sqlDir?: string): Promise<string[]> {
  if (databaseKind(db) !== 'postgres') return latest(db, sqlDir);
  const lock = new pg.Client((db.client as { connectionSettings: pg.ClientConfig }).connectionSettings);
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await latest(db, sqlDir);
  } finally {
    // Ending the session releases the lock, also when a migration failed.
    await lock.end();
  }
}

async function latest(db: Knex, sqlDir: string | undefined): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({
    migrationSource: new SqlMigrationSource(sqlDir),
  })) as [number, string[]];
  return applied;
}
