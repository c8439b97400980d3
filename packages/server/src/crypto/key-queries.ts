import type { Knex } from 'knex';
import { type Db, queryAs } from '../db/database.js';

// SQL for room_encryption_keys and encryption_meta. Nothing else touches these tables.

export interface WrappedKeyRow {
  room_id: string;
  key_version: number;
  wrapped_key: string;
  master_key_version: number;
}

export interface EncryptionMetaRow {
  master_key_version: number;
  master_key_check: string;
}

const KEY_COLUMNS = ['room_id', 'key_version', 'wrapped_key', 'master_key_version'] as const;

/** The newest data key of a room (the one new content is sealed with). */
export async function findCurrentRoomKey(db: Db, roomId: string): Promise<WrappedKeyRow | undefined> {
  return db('room_encryption_keys').where({ room_id: roomId }).orderBy('key_version', 'desc').first(KEY_COLUMNS);
}

export async function findRoomKey(db: Db, roomId: string, keyVersion: number): Promise<WrappedKeyRow | undefined> {
  return db('room_encryption_keys').where({ room_id: roomId, key_version: keyVersion }).first(KEY_COLUMNS);
}

/**
 * Inserts a room key; returns false when that (room, version) exists already
 * (a concurrent first writer won). Runs in a savepoint so the losing insert
 * does not abort the caller's transaction; ON CONFLICT is avoided because
 * Postgres would check the read policy against the conflicting row.
 */
export async function insertRoomKey(db: Db, row: WrappedKeyRow): Promise<boolean> {
  try {
    await db.transaction(async (sp) => {
      await sp('room_encryption_keys').insert(row);
    });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return false;
    throw err;
  }
}

/** Wrapped keys not yet under the given master key version, in batches by (room, version). */
export async function listKeysNotUnderMasterVersion(
  db: Db,
  masterKeyVersion: number,
  limit: number,
): Promise<WrappedKeyRow[]> {
  return db('room_encryption_keys')
    .whereNot('master_key_version', masterKeyVersion)
    .orderBy([{ column: 'room_id' }, { column: 'key_version' }])
    .limit(limit)
    .forUpdate()
    .select(KEY_COLUMNS);
}

export async function countKeysNotUnderMasterVersion(db: Db, masterKeyVersion: number): Promise<number> {
  const row = await queryAs<{ n: number } | undefined>(
    db('room_encryption_keys').whereNot('master_key_version', masterKeyVersion).first(db.raw('count(*)::int as n')),
  );
  return row?.n ?? 0;
}

export async function rewrapRoomKey(
  db: Db,
  key: Pick<WrappedKeyRow, 'room_id' | 'key_version'>,
  wrapped: Pick<WrappedKeyRow, 'wrapped_key' | 'master_key_version'>,
): Promise<void> {
  await db('room_encryption_keys').where({ room_id: key.room_id, key_version: key.key_version }).update(wrapped);
}

/** The master key version and check value, locked for update when `lock` (rotation). */
export async function readEncryptionMeta(
  db: Db,
  options: { lock?: boolean } = {},
): Promise<EncryptionMetaRow | undefined> {
  const q = db('encryption_meta').where({ singleton: true }).first('master_key_version', 'master_key_check');
  if (options.lock) q.forUpdate();
  return await queryAs<EncryptionMetaRow | undefined>(q);
}

/** Records the first master key; false when another process recorded one first (savepoint, as insertRoomKey). */
export async function insertEncryptionMeta(trx: Knex.Transaction, meta: EncryptionMetaRow): Promise<boolean> {
  try {
    await trx.transaction(async (sp) => {
      await sp('encryption_meta').insert({ singleton: true, ...meta });
    });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return false;
    throw err;
  }
}

/** Any one stored room key (to prove a master key unwraps real keys). */
export async function findAnyRoomKey(db: Db): Promise<WrappedKeyRow | undefined> {
  return db('room_encryption_keys').first(KEY_COLUMNS);
}

export async function updateEncryptionMeta(db: Db, meta: EncryptionMetaRow): Promise<void> {
  await db('encryption_meta')
    .where({ singleton: true })
    .update({ ...meta, updated_at: db.fn.now() });
}
