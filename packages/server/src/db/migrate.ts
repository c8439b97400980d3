import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Knex } from 'knex';
import { MULTI_STATEMENT } from './pglite-client.js';

/**
 * `sql/` at the repository root. This file sits at the same depth in `src/db`
 * and `dist/db`, so one relative path serves tsx, vitest and compiled runs.
 */
export const DEFAULT_SQL_DIR = fileURLToPath(new URL('../../../../sql/', import.meta.url));

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

/** Applies pending migrations; returns the names applied by this call. */
export async function migrate(db: Knex, sqlDir?: string): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({
    migrationSource: new SqlMigrationSource(sqlDir),
  })) as [number, string[]];
  return applied;
}
