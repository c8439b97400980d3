import type { Knex } from 'knex';
import { ConfigError, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMessageContentCodec, type MessageContentCodec } from './content-codec.js';
import { asKeyAdmin } from './key-admin.js';
import * as keyQueries from './key-queries.js';
import { masterKeyCheck, matchesMasterKeyCheck } from './master-key.js';
import { RoomKeyError, RoomKeyStore, type MasterKey } from './room-keys.js';

/** The master key does not fit the database. A ConfigError, so the CLI prints just the message. */
export class MasterKeyMismatchError extends ConfigError {
  override name = 'MasterKeyMismatchError';
}

const FIRST_MASTER_KEY_VERSION = 1;

/**
 * Checks a master key against the database and returns it with its version.
 * Without a record yet (encryption never used), `initialize` records this key
 * as version 1; otherwise the answer is null. Throws
 * {@link MasterKeyMismatchError} when the key is not the recorded one, when
 * some room keys are still wrapped under an earlier master key (an unfinished
 * rotation), or when a stored room key does not unwrap with it.
 * Run inside {@link asKeyAdmin}.
 */
export async function verifyMasterKey(
  trx: Knex.Transaction,
  key: Buffer,
  options: { initialize: boolean },
): Promise<MasterKey | null> {
  const meta = await keyQueries.readEncryptionMeta(trx);
  if (!meta) {
    if (!options.initialize) return null;
    const first = { master_key_version: FIRST_MASTER_KEY_VERSION, master_key_check: masterKeyCheck(key) };
    if (await keyQueries.insertEncryptionMeta(trx, first)) return { key, version: FIRST_MASTER_KEY_VERSION };
    // Another node started at the same moment and recorded its key: check ours against it.
    return verifyMasterKey(trx, key, { initialize: false });
  }
  if (!matchesMasterKeyCheck(key, meta.master_key_check)) {
    throw new MasterKeyMismatchError(
      `MESSAGE_ENCRYPTION_MASTER_KEY is not the master key this database is encrypted with (key check failed; ` +
        `the database expects master key version ${meta.master_key_version}). Refusing to start: ` +
        'with the wrong key no stored message could be read. After a rotation, use the new key.',
    );
  }
  const master = { key, version: meta.master_key_version };
  const stale = await keyQueries.countKeysNotUnderMasterVersion(trx, master.version);
  if (stale > 0) {
    throw new MasterKeyMismatchError(
      `${stale} room key(s) are still wrapped under an earlier master key: the last rotation did not finish. ` +
        'Run `parley keys rotate` again with MESSAGE_ENCRYPTION_MASTER_KEY_OLD set to the previous key.',
    );
  }
  // The check value could have been restored from another backup than the
  // keys: make sure a real room key unwraps too.
  const sample = await keyQueries.findAnyRoomKey(trx);
  if (sample) {
    try {
      new RoomKeyStore(master).unwrap(sample);
    } catch (err) {
      if (!(err instanceof RoomKeyError)) throw err;
      throw new MasterKeyMismatchError(
        `MESSAGE_ENCRYPTION_MASTER_KEY cannot unwrap the stored room keys: ${err.message}`,
      );
    }
  }
  return master;
}

/**
 * Server start-up: checks the configured master key against the database and
 * builds the codec the SQL modules use. Throws (so the server does not start)
 * rather than run with a key that cannot read what is stored.
 */
export async function openMessageEncryption(
  db: Knex,
  config: Pick<Config, 'encryptionAtRest' | 'encryptionMasterKey'>,
  logger: Logger,
): Promise<MessageContentCodec> {
  if (config.encryptionAtRest && !config.encryptionMasterKey) {
    throw new ConfigError('MESSAGE_ENCRYPTION_AT_REST=true needs MESSAGE_ENCRYPTION_MASTER_KEY');
  }
  const key = config.encryptionMasterKey;
  const master = await asKeyAdmin(db, async (trx) => {
    if (key) return verifyMasterKey(trx, key, { initialize: config.encryptionAtRest });
    if (await keyQueries.readEncryptionMeta(trx)) {
      logger.warn(
        'this database holds encrypted messages but MESSAGE_ENCRYPTION_MASTER_KEY is not set: they will be answered as unreadable',
      );
    }
    return null;
  });
  if (master && !config.encryptionAtRest) {
    logger.warn(
      'MESSAGE_ENCRYPTION_AT_REST is off: encrypted messages are read with the master key, new ones are stored in plaintext',
    );
  }
  if (config.encryptionAtRest) logger.info({ masterKeyVersion: master!.version }, 'message encryption at rest is on');
  return createMessageContentCodec({
    keys: master ? new RoomKeyStore(master) : null,
    sealing: config.encryptionAtRest,
    logger,
  });
}
