import { randomUUID } from 'node:crypto';
import type { Message, MessageType, ReactionSummary } from '@parley/sdk/protocol';
import { messageContentCodec, type ContentRef } from '../crypto/content-codec.js';
import { type Db, queryAs } from './database.js';
import { reactionSummaries } from './reactions.js';
import { iso } from './time.js';

// SQL for chat_messages. Messages are always answered with their reactions (db/reactions.ts).

/** A chat_messages row as selected with {@link MESSAGE_COLUMNS} (timestamps as Date, or ISO text when read through JSON). */
export interface MessageRow {
  id: string;
  room_id: string;
  seq: number;
  sender_id: string | null;
  message_type: MessageType;
  content: string | null;
  metadata: Record<string, unknown> | null;
  client_id: string | null;
  created_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
}

export const MESSAGE_COLUMNS = [
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

// Message content passes through these two functions only, on its way into
// and out of the database: at-rest encryption (crypto/content-codec.ts, the
// codec the server attached to the database handle) seals and opens it here.
function contentToStore(db: Db, ref: ContentRef, content: string): Promise<string> {
  return messageContentCodec(db).encode(db, ref, content);
}

function contentFromStore(db: Db, messages: Message[]): Promise<Message[]> {
  return messageContentCodec(db).decodeMessages(db, messages);
}

function toMessage(row: MessageRow, reactions: ReactionSummary[] = []): Message {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    room_id: row.room_id,
    seq: row.seq,
    sender_id: row.sender_id,
    type: row.message_type,
    // A deleted message is a tombstone: it keeps its place, not its words,
    // its metadata or its reactions.
    content: deleted ? null : row.content,
    metadata: deleted ? {} : (row.metadata ?? {}),
    reactions: deleted ? [] : reactions,
    client_id: row.client_id,
    created_at: iso(row.created_at),
    edited_at: iso(row.edited_at),
    deleted_at: iso(row.deleted_at),
  };
}

export interface NewMessage {
  room_id: string;
  seq: number;
  /** Null for system messages. */
  sender_id: string | null;
  type: MessageType;
  content: string;
  metadata: Record<string, unknown>;
  client_id: string | null;
}

export async function insertMessage(db: Db, message: NewMessage): Promise<Message> {
  // The id is chosen here, not by the database: sealed content is bound to it.
  const id = randomUUID();
  const [row] = await queryAs<MessageRow[]>(
    db('chat_messages')
      .insert({
        id,
        room_id: message.room_id,
        seq: message.seq,
        sender_id: message.sender_id,
        message_type: message.type,
        content: await contentToStore(db, { roomId: message.room_id, messageId: id }, message.content),
        metadata: JSON.stringify(message.metadata),
        client_id: message.client_id,
      })
      .returning(MESSAGE_COLUMNS),
  );
  return toMessage({ ...(row as MessageRow), content: message.content });
}

/** A message of a room with its reactions as `viewerId` sees them; undefined if not there. */
export async function findMessage(
  db: Db,
  roomId: string,
  messageId: string,
  viewerId: string,
): Promise<Message | undefined> {
  const row: MessageRow | undefined = await db('chat_messages')
    .where({ room_id: roomId, id: messageId })
    .first(MESSAGE_COLUMNS);
  if (!row) return undefined;
  return (await withReactions(db, [row], viewerId))[0];
}

/** The seq of a message in a room (cursors may name a message by id). */
export async function findSeqOfMessage(db: Db, roomId: string, messageId: string): Promise<number | undefined> {
  const row = await queryAs<{ seq: number } | undefined>(
    db('chat_messages').where({ room_id: roomId, id: messageId }).first('seq'),
  );
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
    .select(MESSAGE_COLUMNS)
    .where('room_id', roomId)
    .orderBy('seq', ascending ? 'asc' : 'desc')
    .limit(page.limit);
  if (page.after !== null) q.andWhere('seq', '>', page.after);
  if (page.before !== null) q.andWhere('seq', '<', page.before);
  const rows = await queryAs<MessageRow[]>(q);
  return withReactions(db, rows, viewerId);
}

/**
 * Message rows another query read with their reactions (the room list reads
 * each room's last message in its own single query) → API messages:
 * tombstones applied, content opened.
 */
export function messagesFromRows(
  db: Db,
  rows: readonly { row: MessageRow; reactions: ReactionSummary[] }[],
): Promise<Message[]> {
  return contentFromStore(
    db,
    rows.map(({ row, reactions }) => toMessage(row, reactions)),
  );
}

/** Attaches reaction summaries to message rows with one grouped query. */
async function withReactions(db: Db, rows: MessageRow[], viewerId: string): Promise<Message[]> {
  if (rows.length === 0) return [];
  const summaries = await reactionSummaries(
    db,
    rows.filter((r) => r.deleted_at === null).map((r) => r.id),
    viewerId,
  );
  return messagesFromRows(
    db,
    rows.map((row) => ({ row, reactions: summaries.get(row.id) ?? [] })),
  );
}
