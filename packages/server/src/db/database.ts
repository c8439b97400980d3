import { mkdirSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { lockPgliteDir } from './pglite-lock.js';
import { ParleyPgLiteClient, type PgLiteConnection } from './pglite-client.js';

/** The database handle every service takes: the root knex, or a transaction of it. */
export type Db = Knex | Knex.Transaction;

export interface DatabaseOptions {
  /** PostgreSQL connection string; when null, PGlite is used. */
  databaseUrl: string | null;
  /** Most connections in the PostgreSQL pool (default {@link DEFAULT_POOL_MAX}); PGlite has exactly one. */
  dbPoolMax?: number;
  /** PGlite data directory, or ':memory:'. */
  dataDir: string;
  /** PGlite only: start an in-memory database from this `dumpDataDir()` tarball. */
  pgliteTemplate?: Blob;
}

/** PARLEY_DB_POOL_MAX's default. */
export const DEFAULT_POOL_MAX = 10;

/** Which engine a knex instance talks to (PGlite has a single connection). */
export function databaseKind(db: Knex): 'postgres' | 'pglite' {
  return (db.client as { config: Knex.Config }).config.client === ParleyPgLiteClient ? 'pglite' : 'postgres';
}

// int8 → number, matching the PGlite parser (see pglite-client.ts). Passed per
// connection rather than set globally so that importing Parley does not change
// the behaviour of the host process's other `pg` users.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

/** Opens the database: PostgreSQL over `pg` when a URL is given, else PGlite. */
export function createDatabase(options: DatabaseOptions): Knex {
  if (options.databaseUrl) {
    return knexFactory({
      client: 'pg',
      connection: { connectionString: options.databaseUrl, types: pgTypes } as Knex.PgConnectionConfig,
      pool: { min: 0, max: options.dbPoolMax ?? DEFAULT_POOL_MAX },
    });
  }
  const inMemory = options.dataDir === ':memory:';
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
  const release = inMemory ? null : lockPgliteDir(options.dataDir);
  const connection: PgLiteConnection = inMemory
    ? options.pgliteTemplate
      ? { loadDataDir: options.pgliteTemplate }
      : {}
    : { filename: options.dataDir };
  const db: Knex = knexFactory({
    client: ParleyPgLiteClient,
    dialect: 'postgres',
    connection: connection as Knex.StaticConnectionConfig,
  });
  // The directory is this process's until it exits (a crashed one's lock is taken over: pglite-lock.ts).
  if (release) process.once('exit', release);
  return db;
}

/**
 * What a Knex query answers, named once at the SQL boundary: Knex's untyped
 * builders answer `any`, which would otherwise flow on unchecked.
 */
export async function queryAs<T>(query: PromiseLike<unknown>): Promise<T> {
  return (await query) as T;
}
