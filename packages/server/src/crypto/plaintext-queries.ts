import type { Knex } from 'knex';
import { SEALED_CONTENT_PATTERN } from './envelope.js';

// SQL of `parley keys encrypt-existing`: finds message content that is not
// sealed yet — in chat_messages and inside room_events' message data — and
// replaces it. Runs as parley_key_admin, which may update exactly these columns.
// Keyset pagination, so each batch reads forward instead of rescanning.

export interface PlaintextMessageRow {
  id: string;
  room_id: string;
  content: string;
}

export interface PlaintextEventRow {
  room_id: string;
  seq: number;
  data: { message: { id: string; content: string } & Record<string, unknown> } & Record<string, unknown>;
}

/** Messages with plaintext content after `afterId`, by id, locked until the batch commits. */
export async function plaintextMessages(
  trx: Knex.Transaction,
  afterId: string | null,
  limit: number,
): Promise<PlaintextMessageRow[]> {
  const q = trx('chat_messages')
    .select('id', 'room_id', 'content')
    .whereNotNull('content')
    .andWhereRaw('content !~ ?', [SEALED_CONTENT_PATTERN])
    .orderBy('id')
    .limit(limit)
    .forUpdate();
  if (afterId) q.andWhere('id', '>', afterId);
  return q;
}

export async function setMessageContent(trx: Knex.Transaction, id: string, content: string): Promise<void> {
  await trx('chat_messages').where({ id }).update({ content });
}

/** `message.*` events whose message content is plaintext, after (room, seq), locked until the batch commits. */
export async function plaintextMessageEvents(
  trx: Knex.Transaction,
  after: { roomId: string; seq: number } | null,
  limit: number,
): Promise<PlaintextEventRow[]> {
  const q = trx('room_events')
    .select('room_id', 'seq', 'data')
    .whereRaw(`jsonb_typeof(data->'message'->'content') = 'string'`)
    .andWhereRaw(`(data->'message'->>'content') !~ ?`, [SEALED_CONTENT_PATTERN])
    .orderBy([{ column: 'room_id' }, { column: 'seq' }])
    .limit(limit)
    .forUpdate();
  if (after) q.andWhereRaw('(room_id, seq) > (?::uuid, ?)', [after.roomId, after.seq]);
  return q;
}

export async function setEventData(trx: Knex.Transaction, roomId: string, seq: number, data: unknown): Promise<void> {
  await trx('room_events')
    .where({ room_id: roomId, seq })
    .update({ data: JSON.stringify(data) });
}
