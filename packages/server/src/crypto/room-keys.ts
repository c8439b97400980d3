import type { Db } from '../db/database.js';
import { EnvelopeError, generateKey, unwrapKey, wrapKey } from './envelope.js';
import * as keyQueries from './key-queries.js';
import { LruMap } from './lru.js';
import { matchesMasterKeyCheck } from './master-key.js';

/** The master key a server runs with, and its version in encryption_meta. */
export interface MasterKey {
  key: Buffer;
  version: number;
}

/** A room data key, unwrapped. */
export interface RoomKey {
  version: number;
  key: Buffer;
}

/** A room key could not be produced: the master key does not fit the stored one. Never carries key material. */
export class RoomKeyError extends Error {
  override name = 'RoomKeyError';
}

/** The first data key of a room gets version 1; a later data-key rotation would add 2, 3, … */
const FIRST_KEY_VERSION = 1;
const DEFAULT_CACHE_SIZE = 10_000;

/**
 * Room data keys, unwrapped on demand and cached (bounded LRU, memory only).
 *
 * Reads and inserts go through the caller's transaction, so at request time
 * they run as `parley_app` under row-level security: a user can load only the
 * keys of rooms they belong to. The cache skips that read for later requests,
 * which is safe because a key is only ever used on content that the same
 * RLS-scoped transaction has just read or is about to write.
 */
export class RoomKeyStore {
  private readonly keys: LruMap<string, Buffer>;
  private readonly currentVersions: LruMap<string, number>;

  constructor(
    private readonly master: MasterKey,
    options: { cacheSize?: number } = {},
  ) {
    const size = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.keys = new LruMap(size);
    this.currentVersions = new LruMap(size);
  }

  get masterKeyVersion(): number {
    return this.master.version;
  }

  /** The room's current key if this server has it in memory (no database read). */
  cachedCurrentKey(roomId: string): RoomKey | undefined {
    const version = this.currentVersions.get(roomId);
    if (version === undefined) return undefined;
    const key = this.keys.get(cacheKey(roomId, version));
    return key ? { version, key } : undefined;
  }

  /** The key new content of the room is sealed with; made and stored (wrapped) on first use. */
  async currentKey(db: Db, roomId: string): Promise<RoomKey> {
    const cached = this.cachedCurrentKey(roomId);
    if (cached) return cached;
    let row = await keyQueries.findCurrentRoomKey(db, roomId);
    if (!row) {
      await this.assertMasterKeyIsCurrent(db);
      const fresh = generateKey();
      const context = { roomId, keyVersion: FIRST_KEY_VERSION, masterKeyVersion: this.master.version };
      const created = {
        room_id: roomId,
        key_version: FIRST_KEY_VERSION,
        wrapped_key: wrapKey(this.master.key, context, fresh),
        master_key_version: this.master.version,
      };
      if (await keyQueries.insertRoomKey(db, created)) {
        this.remember(roomId, FIRST_KEY_VERSION, fresh);
        return { version: FIRST_KEY_VERSION, key: fresh };
      }
      // Another writer created the room's key first: use theirs.
      row = await keyQueries.findCurrentRoomKey(db, roomId);
      if (!row) throw new RoomKeyError(`room ${roomId}: key insert conflicted but no key is visible`);
    }
    const key = this.unwrap(row);
    this.remember(roomId, row.key_version, key);
    return { version: row.key_version, key };
  }

  /** The room's key of one version; null when there is none (or row-level security hides it). */
  async keyOf(db: Db, roomId: string, keyVersion: number): Promise<Buffer | null> {
    const cached = this.keys.get(cacheKey(roomId, keyVersion));
    if (cached) return cached;
    const row = await keyQueries.findRoomKey(db, roomId, keyVersion);
    if (!row) return null;
    const key = this.unwrap(row);
    this.keys.set(cacheKey(roomId, keyVersion), key);
    return key;
  }

  /** Unwraps a stored key with this server's master key. */
  unwrap(row: keyQueries.WrappedKeyRow): Buffer {
    if (row.master_key_version !== this.master.version) {
      throw new RoomKeyError(
        `room ${row.room_id} key v${row.key_version} is wrapped under master key version ${row.master_key_version}, ` +
          `but this server runs with version ${this.master.version}: finish the rotation (parley keys rotate) and restart`,
      );
    }
    try {
      return unwrapKey(
        this.master.key,
        { roomId: row.room_id, keyVersion: row.key_version, masterKeyVersion: row.master_key_version },
        row.wrapped_key,
      );
    } catch (err) {
      if (err instanceof EnvelopeError) {
        throw new RoomKeyError(`room ${row.room_id} key v${row.key_version} cannot be unwrapped: ${err.message}`);
      }
      throw err;
    }
  }

  private remember(roomId: string, version: number, key: Buffer): void {
    this.keys.set(cacheKey(roomId, version), key);
    this.currentVersions.set(roomId, version);
  }

  /**
   * Before wrapping a new room key: a master key rotation may have happened
   * since this server started. Wrapping under the old key then would leave a
   * room key the rotated deployment cannot read, so fail closed instead.
   */
  private async assertMasterKeyIsCurrent(db: Db): Promise<void> {
    const meta = await keyQueries.readEncryptionMeta(db);
    if (
      !meta ||
      meta.master_key_version !== this.master.version ||
      !matchesMasterKeyCheck(this.master.key, meta.master_key_check)
    ) {
      throw new RoomKeyError(
        'the master key was rotated since this server started: restart it with the current MESSAGE_ENCRYPTION_MASTER_KEY',
      );
    }
  }
}

const cacheKey = (roomId: string, version: number) => `${roomId}:${version}`;
