import type { Knex } from 'knex';

/**
 * Runs `fn` in a transaction as `parley_key_admin` (sql/011_encryption.sql):
 * the role of the key maintenance path — the start-up key check, `parley keys
 * rotate` and `parley keys encrypt-existing`. It sees every room's keys and
 * messages, but may change only wrapped keys, message content and event data.
 * Never used for a user's request: those run as parley_app under RLS.
 */
export async function asKeyAdmin<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw('set local role parley_key_admin');
    return fn(trx);
  });
}
