import type { Knex } from 'knex';
import type { Db } from './database.js';
import { translateDbError } from './errors.js';

/**
 * Runs one `select <function>(…) as answer` whose function answers jsonb (the
 * one-statement paths of sql/015–018) and returns the answer. node-postgres
 * parses jsonb; PGlite's knex client may hand it over as text. A database
 * error is translated to the API's (db/errors.ts), unless `rawErrors`: the
 * write path reads the SQLSTATE itself to retry or isolate a batch.
 */
export async function jsonAnswer<T>(
  db: Db,
  sql: string,
  bindings: readonly Knex.Value[],
  rawErrors = false,
): Promise<T> {
  try {
    const { rows } = await db.raw<{ rows: { answer: T | string }[] }>(sql, bindings);
    const answer = rows[0]!.answer;
    return typeof answer === 'string' ? (JSON.parse(answer) as T) : answer;
  } catch (err) {
    throw rawErrors ? err : translateDbError(err);
  }
}
