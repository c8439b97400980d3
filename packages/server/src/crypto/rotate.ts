import type { Knex } from 'knex';
import { EnvelopeError, unwrapKey, wrapKey } from './envelope.js';
import { asKeyAdmin } from './key-admin.js';
import * as keyQueries from './key-queries.js';
import { masterKeyCheck, matchesMasterKeyCheck } from './master-key.js';
import { MasterKeyMismatchError } from './message-encryption.js';

export interface RotationResult {
  fromVersion: number;
  toVersion: number;
  /** Room keys re-wrapped by this run. */
  rewrapped: number;
  /** True when the new key was already recorded and this run only re-wrapped leftovers. */
  resumed: boolean;
}

const BATCH = 500;

/**
 * Rotates the master key: every room data key is unwrapped with `oldKey` and
 * wrapped again with `newKey` under the next master key version, and the key
 * check value is replaced — in one transaction, so the database is never half
 * rotated. Messages are not touched: they are sealed with the room keys, which
 * stay the same. Afterwards servers need only `newKey`.
 *
 * Running it again with the same pair is safe: when `newKey` is already the
 * recorded key it re-wraps whatever is still under an earlier version (e.g. a
 * room key an old server wrapped just before the rotation committed).
 */
export async function rotateMasterKey(
  db: Knex,
  keys: { oldKey: Buffer; newKey: Buffer },
  onProgress: (rewrapped: number) => void = () => {},
): Promise<RotationResult> {
  if (keys.oldKey.equals(keys.newKey)) {
    throw new MasterKeyMismatchError(
      'the new master key is the same as the old one: make a new one with `parley keys generate`',
    );
  }
  return asKeyAdmin(db, async (trx) => {
    const meta = await keyQueries.readEncryptionMeta(trx, { lock: true });
    if (!meta) {
      throw new MasterKeyMismatchError(
        'this database has no encryption key yet, so there is nothing to rotate: start the server with the new key instead',
      );
    }
    let toVersion: number;
    let resumed = false;
    if (matchesMasterKeyCheck(keys.oldKey, meta.master_key_check)) {
      toVersion = meta.master_key_version + 1;
    } else if (matchesMasterKeyCheck(keys.newKey, meta.master_key_check)) {
      toVersion = meta.master_key_version;
      resumed = true;
    } else {
      throw new MasterKeyMismatchError(
        'MESSAGE_ENCRYPTION_MASTER_KEY_OLD is not the master key this database is encrypted with (key check failed)',
      );
    }
    const fromVersion = resumed ? toVersion - 1 : meta.master_key_version;

    let rewrapped = 0;
    for (;;) {
      const rows = await keyQueries.listKeysNotUnderMasterVersion(trx, toVersion, BATCH);
      if (rows.length === 0) break;
      for (const row of rows) await rewrap(trx, row, keys, toVersion);
      rewrapped += rows.length;
      onProgress(rewrapped);
    }
    await keyQueries.updateEncryptionMeta(trx, {
      master_key_version: toVersion,
      master_key_check: masterKeyCheck(keys.newKey),
    });
    return { fromVersion, toVersion, rewrapped, resumed };
  });
}

async function rewrap(
  trx: Knex.Transaction,
  row: keyQueries.WrappedKeyRow,
  keys: { oldKey: Buffer; newKey: Buffer },
  toVersion: number,
): Promise<void> {
  let dataKey: Buffer;
  try {
    dataKey = unwrapKey(
      keys.oldKey,
      { roomId: row.room_id, keyVersion: row.key_version, masterKeyVersion: row.master_key_version },
      row.wrapped_key,
    );
  } catch (err) {
    if (!(err instanceof EnvelopeError)) throw err;
    // Abort the whole rotation: committing it would lose this room's messages.
    throw new MasterKeyMismatchError(
      `room ${row.room_id} key v${row.key_version} (master key version ${row.master_key_version}) does not unwrap with ` +
        `MESSAGE_ENCRYPTION_MASTER_KEY_OLD: ${err.message}. Nothing was changed.`,
    );
  }
  const context = { roomId: row.room_id, keyVersion: row.key_version, masterKeyVersion: toVersion };
  await keyQueries.rewrapRoomKey(trx, row, {
    wrapped_key: wrapKey(keys.newKey, context, dataKey),
    master_key_version: toVersion,
  });
  dataKey.fill(0);
}
