import type { Knex } from 'knex';
import { translateDbError } from './errors.js';

/**
 * Runs `fn` in a transaction as `userId` under row-level security.
 *
 * `set_config(..., true)` of the user id and of the role (`SET LOCAL ROLE`)
 * lasts until the transaction ends, so nothing leaks to the next user of the
 * pooled connection. Inside
 * `fn` use only `trx`: PGlite has one connection, and touching the root knex
 * there waits for that connection forever.
 */
export async function withUser<T>(db: Knex, userId: string, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (trx) => {
      // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
      await trx.raw(`select set_config('parley.user_id', ?, true), set_config('role', 'parley_app', true)`, [userId]);
      return fn(trx);
    });
  } catch (err) {
    throw translateDbError(err);
  }
}

/** Runs `fn` in a plain transaction as the table owner (start-up seeding, maintenance). */
export async function asSystem<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (err) {
    throw translateDbError(err);
  }
}
