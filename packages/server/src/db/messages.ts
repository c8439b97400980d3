import type { ClientMessageType, Message, MessageType, ReactionSummary } from '@parley/sdk/protocol';
import type { Db } from './database.js';
import { iso } from './time.js';

// SQL for chat_messages and message_reactions (reactions are read with their messages).

interface MessageRow {
  id: string;
  room_id: string;
  seq: number;
  sender_id: string | null;
  message_type: MessageType;
  content: string | null;
  metadata: Record<string, unknown> | null;
  client_id: string | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

const COLUMNS = [
  'id',
  'room_id',
  'seq',
  'sender_id',
  'message_type',
  'content',
  'metadata',
  'client_id',
  'created_at',
  'edited_at',
  'deleted_at',
] as const;

function toMessage(row: MessageRow, reactions: ReactionSummary[] = []): Message {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    room_id: row.room_id,
    seq: row.seq,
    sender_id: row.sender_id,
    type: row.message_type,
    // A deleted message is a tombstone: it keeps its place, not its words.
    content: deleted ? null : row.content,
    metadata: deleted ? {} : (row.metadata ?? {}),
    reactions,
    client_id: row.client_id,
    created_at: iso(row.created_at),
    edited_at: iso(row.edited_at),
    deleted_at: iso(row.deleted_at),
  };
}

export async function insertMessage(
  db: Db,
  message: {
    room_id: string;
    seq: number;
    sender_id: string;
    type: ClientMessageType;
    content: string;
    metadata: Record<string, unknown>;
    client_id: string | null;
  },
): Promise<Message> {
  const [row] = await db('chat_messages')
    .insert({
      room_id: message.room_id,
      seq: message.seq,
      sender_id: message.sender_id,
      message_type: message.type,
      content: message.content,
      metadata: JSON.stringify(message.metadata),
      client_id: message.client_id,
    })
    .returning(COLUMNS);
  return toMessage(row as MessageRow);
}

/** The message a sender already sent with this idempotency key, if any. */
export async function findByClientId(
  db: Db,
  roomId: string,
  senderId: string,
  clientId: string,
  viewerId: string,
): Promise<Message | undefined> {
  const row: MessageRow | undefined = await db('chat_messages')
    .where({ room_id: roomId, sender_id: senderId, client_id: clientId })
    .first(COLUMNS);
  if (!row) return undefined;
  return (await withReactions(db, [row], viewerId))[0];
}

/** The seq of a message in a room (cursors may name a message by id). */
export async function findSeqOfMessage(db: Db, roomId: string, messageId: string): Promise<number | undefined> {
  const row = await db('chat_messages').where({ room_id: roomId, id: messageId }).first('seq');
  return row?.seq;
}

/**
 * A page of a room's history by seq: below `before` newest first, or above
 * `after` oldest first. Reads `limit` rows exactly; the caller asks for one
 * extra to learn whether another page exists.
 */
export async function listMessages(
  db: Db,
  roomId: string,
  viewerId: string,
  page: { before: number | null; after: number | null; limit: number },
): Promise<Message[]> {
  const ascending = page.after !== null;
  const q = db('chat_messages')
    .select(COLUMNS)
    .where('room_id', roomId)
    .orderBy('seq', ascending ? 'asc' : 'desc')
    .limit(page.limit);
  if (page.after !== null) q.andWhere('seq', '>', page.after);
  if (page.before !== null) q.andWhere('seq', '<', page.before);
  const rows: MessageRow[] = await q;
  return withReactions(db, rows, viewerId);
}

/** The latest message of each room, in one query (DISTINCT ON walks the (room_id, seq) index). */
export async function lastMessagesOfRooms(
  db: Db,
  roomIds: readonly string[],
  viewerId: string,
): Promise<Map<string, Message>> {
  const byRoom = new Map<string, Message>();
  if (roomIds.length === 0) return byRoom;
  const rows: MessageRow[] = await db('chat_messages')
    .distinctOn('room_id')
    .select(COLUMNS)
    .whereIn('room_id', roomIds)
    .orderBy([{ column: 'room_id' }, { column: 'seq', order: 'desc' }]);
  for (const message of await withReactions(db, rows, viewerId)) byRoom.set(message.room_id, message);
  return byRoom;
}

/** Attaches reaction summaries to message rows with one grouped query. */
async function withReactions(db: Db, rows: MessageRow[], viewerId: string): Promise<Message[]> {
  if (rows.length === 0) return [];
  const summaries: { message_id: string; emoji: string; count: number; me: boolean }[] = await db('message_reactions')
    .whereIn(
      'message_id',
      rows.map((r) => r.id),
    )
    .groupBy('message_id', 'emoji')
    .select(
      'message_id',
      'emoji',
      db.raw('count(*)::int as count'),
      db.raw('bool_or(user_id = ?) as me', [viewerId]),
    )
    .orderByRaw('min(created_at), emoji');
  const byMessage = new Map<string, ReactionSummary[]>();
  for (const s of summaries) {
    const list = byMessage.get(s.message_id) ?? [];
    list.push({ emoji: s.emoji, count: s.count, me: s.me });
    byMessage.set(s.message_id, list);
  }
  return rows.map((row) => toMessage(row, byMessage.get(row.id) ?? []));
}
