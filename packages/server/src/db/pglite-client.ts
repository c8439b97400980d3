import { PGlite } from '@electric-sql/pglite';
import ClientPgLite from 'knex-pglite';

/** Knex connection settings understood by {@link ParleyPgLiteClient}. */
export interface PgLiteConnection {
  /** Data directory; omitted for an in-memory database. */
  filename?: string;
  /** A `dumpDataDir()` tarball to start from (skips initdb: tests boot in well under a second). */
  loadDataDir?: Blob;
}

/** Options for a multi-statement raw query: `db.raw(sql).options(MULTI_STATEMENT)`. */
export const MULTI_STATEMENT = { parleyMultiStatement: true } as const;

// bigint (int8) → number on both drivers: seq and counts stay far below 2^53,
// and API answers must not depend on which driver is underneath.
const INT8_OID = 20;

interface PgLiteQueryObject {
  sql: string;
  bindings?: unknown[];
  options?: Record<string, unknown>;
  response?: unknown;
}

const Base = ClientPgLite as unknown as new (config: unknown) => {
  pglite: PGlite;
  config: { connection?: PgLiteConnection };
  _query(connection: PGlite, obj: PgLiteQueryObject): Promise<PgLiteQueryObject>;
};

/**
 * knex-pglite with the two things Parley needs on top:
 * - the same type parsing as our `pg` setup (int8 → number);
 * - multi-statement SQL (migrations), which PGlite's `query` (extended
 *   protocol) refuses and its `exec` (simple protocol) accepts.
 */
class ParleyPgLiteClientImpl extends Base {
  _driver(): void {
    const filename = this.config.connection?.filename;
    const loadDataDir = this.config.connection?.loadDataDir;
    const options = {
      parsers: { [INT8_OID]: (value: string) => Number(value) },
      ...(loadDataDir ? { loadDataDir } : {}),
    };
    this.pglite = filename ? new PGlite(filename, options) : new PGlite(options);
  }

  override async _query(connection: PGlite, obj: PgLiteQueryObject): Promise<PgLiteQueryObject> {
    if (obj.options?.['parleyMultiStatement'] && !obj.bindings?.length) {
      const results = await connection.exec(obj.sql);
      obj.response = results[results.length - 1] ?? { rows: [], fields: [], affectedRows: 0 };
      return obj;
    }
    return super._query(connection, obj);
  }
}

/** Pass as knex's `client` for PGlite. */
export const ParleyPgLiteClient = ParleyPgLiteClientImpl as unknown as typeof ClientPgLite;

/** The PGlite instance under a knex built with {@link ParleyPgLiteClient}. */
export function pgliteOf(db: { client: unknown }): PGlite {
  const pglite = (db.client as { pglite?: PGlite }).pglite;
  if (!pglite) throw new Error('not a PGlite database');
  return pglite;
}
