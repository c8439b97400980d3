import type { Knex } from 'knex';
import { sealContent } from './envelope.js';
import { asKeyAdmin } from './key-admin.js';
import { MasterKeyMismatchError, verifyMasterKey } from './message-encryption.js';
import * as plaintext from './plaintext-queries.js';
import { RoomKeyStore } from './room-keys.js';

export interface EncryptExistingProgress {
  table: 'chat_messages' | 'room_events';
  /** Rows sealed in the batch that just committed. */
  batch: number;
  /** Rows of this table sealed by this run so far. */
  done: number;
}

export interface EncryptExistingOptions {
  batchSize?: number;
  /** Stops after the batch in progress commits (Ctrl-C in the CLI); a later run carries on. */
  signal?: AbortSignal;
  onProgress?: (progress: EncryptExistingProgress) => void;
}

export interface EncryptExistingResult {
  messages: number;
  events: number;
  /** False when stopped by the signal before everything was sealed. */
  complete: boolean;
}

/**
 * Seals message content written while encryption was off: chat_messages
 * first, then the copies of messages inside room_events. Each batch is its own
 * transaction, so an interrupted run keeps what it committed, and a rerun
 * skips everything already sealed (it looks only for content that is not in
 * the sealed format): running it twice seals nothing twice.
 * Safe next to running servers (rows are locked per batch).
 */
export async function encryptExistingMessages(
  db: Knex,
  masterKey: Buffer,
  options: EncryptExistingOptions = {},
): Promise<EncryptExistingResult> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const master = await asKeyAdmin(db, (trx) => verifyMasterKey(trx, masterKey, { initialize: true }));
  if (!master) throw new MasterKeyMismatchError('could not record the master key');
  const keys = new RoomKeyStore(master);
  const stopped = () => options.signal?.aborted === true;

  /**
   * Seals one table batch by batch, each batch its own transaction, until a
   * batch finds nothing (true) or the signal stops it (false). `sealBatch`
   * seals up to `batchSize` rows after its position and answers how many.
   */
  async function sealAll(
    table: EncryptExistingProgress['table'],
    sealBatch: (trx: Knex.Transaction) => Promise<number>,
  ): Promise<{ done: number; complete: boolean }> {
    let done = 0;
    while (!stopped()) {
      const batch = await asKeyAdmin(db, sealBatch);
      if (batch === 0) return { done, complete: true };
      done += batch;
      options.onProgress?.({ table, batch, done });
    }
    return { done, complete: false };
  }

  let afterId: string | null = null;
  const messages = await sealAll('chat_messages', async (trx) => {
    const rows = await plaintext.plaintextMessages(trx, afterId, batchSize);
    for (const row of rows) {
      const key = await keys.currentKey(trx, row.room_id);
      const content = sealContent(
        key.key,
        { roomId: row.room_id, messageId: row.id, keyVersion: key.version },
        row.content,
      );
      await plaintext.setMessageContent(trx, row.id, content);
    }
    afterId = rows.at(-1)?.id ?? afterId;
    return rows.length;
  });
  if (!messages.complete) return { messages: messages.done, events: 0, complete: false };

  let afterEvent: { roomId: string; seq: number } | null = null;
  const events = await sealAll('room_events', async (trx) => {
    const rows = await plaintext.plaintextMessageEvents(trx, afterEvent, batchSize);
    for (const row of rows) {
      const message = row.data.message;
      const key = await keys.currentKey(trx, row.room_id);
      const content = sealContent(
        key.key,
        { roomId: row.room_id, messageId: message.id, keyVersion: key.version },
        message.content,
      );
      await plaintext.setEventData(trx, row.room_id, row.seq, { ...row.data, message: { ...message, content } });
    }
    const last = rows.at(-1);
    if (last) afterEvent = { roomId: last.room_id, seq: last.seq };
    return rows.length;
  });

  return { messages: messages.done, events: events.done, complete: events.complete };
}
