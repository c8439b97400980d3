import type { Message, Participant, ReactionSummary, RoomType } from '@parley/sdk/protocol';
import { type Db, queryAs } from './database.js';
import { translateDbError, UniqueViolation } from './errors.js';
import { jsonAnswer } from './json-answer.js';
import { MESSAGE_COLUMNS, messagesFromRows, type MessageRow } from './messages.js';
import { iso } from './time.js';

// SQL for chat_rooms: rooms and the room list (members: participants.ts, unread counts: unread.ts).

/** A room as seen by one member (`last_read_seq` is that member's). */
export interface RoomRow {
  id: string;
  type: RoomType;
  name: string | null;
  last_seq: number;
  created_by: string | null;
  created_at: Date;
  last_message_at: Date | null;
  last_read_seq: number;
  /** The member's unread count here (kept by the writes: sql/012_unread_counters.sql). */
  unread_count: number;
  /** When the member muted the room; null while it is not muted (sql/021_room_mute.sql). */
  muted_at: Date | null;
}

const ROOM_COLUMNS = [
  'r.id',
  'r.type',
  'r.name',
  'r.last_seq',
  'r.created_by',
  'r.created_at',
  'r.last_message_at',
  'p.last_read_seq',
  'p.unread_count',
  'p.muted_at',
];

/** Position in the room list: last activity, then id, both descending. */
export interface RoomCursor {
  at: string;
  id: string;
}

/** A room with everything a member's API answer shows: its people and its newest message. */
export interface RoomView extends RoomRow {
  /** In join order. */
  participants: Participant[];
  /** Content opened, with the viewer's reaction summaries; a deleted one is a tombstone. */
  last_message: Message | null;
}

/**
 * A page of `viewerId`'s rooms, most recently active first, or (`roomId`)
 * that one room if they participate in it. One query whatever the page size:
 * the page of rooms is cut first (a materialised CTE, so nothing below runs
 * for rooms past the limit), then each room of the page gets, by lateral
 * joins that are index probes per room whatever the planner's estimates,
 * its participants (primary key), its newest message (the (room_id, seq)
 * index, backwards) and that message's reactions (primary key), the lists
 * aggregated as JSON.
 * Content is opened after the query (at-rest encryption, crypto/content-codec.ts).
 */
export async function listRoomViews(
  db: Db,
  viewerId: string,
  selection: { limit: number; cursor: RoomCursor | null } | { roomId: string },
): Promise<RoomView[]> {
  const bindings: (string | number)[] = [viewerId];
  let filter = '';
  let limit = 1;
  if ('roomId' in selection) {
    filter = 'and p.room_id = ?';
    bindings.push(selection.roomId);
  } else {
    limit = selection.limit;
    if (selection.cursor) {
      filter = 'and (coalesce(r.last_message_at, r.created_at), r.id) < (?::timestamptz, ?::uuid)';
      bindings.push(selection.cursor.at, selection.cursor.id);
    }
  }
  bindings.push(limit, viewerId);
  const { rows } = await db.raw<{ rows: RoomViewRow[] }>(
    `with page as materialized (
       select ${ROOM_COLUMNS.join(', ')}
       from room_participants p join chat_rooms r on r.id = p.room_id
       where p.user_id = ? ${filter}
       order by coalesce(r.last_message_at, r.created_at) desc, r.id desc
       limit ?
     )
     select page.*, members.participants, to_json(last) as last_message, reactions.reactions as last_message_reactions
     from page
     cross join lateral (
       select json_agg(json_build_object('id', u.id, 'name', u.name, 'avatar_url', u.avatar_url, 'joined_at', pp.joined_at,
                                         'last_read_seq', pp.last_read_seq, 'last_read_at', pp.last_read_at)
                       order by pp.joined_at, u.id) as participants
       from room_participants pp join users u on u.id = pp.user_id
       where pp.room_id = page.id
     ) members
     left join lateral (
       select ${MESSAGE_COLUMNS.map((c) => `m.${c}`).join(', ')}
       from chat_messages m where m.room_id = page.id order by m.seq desc limit 1
     ) last on true
     left join lateral (
       select json_agg(json_build_object('emoji', emoji, 'count', n, 'me', me) order by first_at, emoji) as reactions
       from (
         select mr.emoji, count(*)::int as n, bool_or(mr.user_id = ?) as me, min(mr.created_at) as first_at
         from message_reactions mr
         where mr.message_id = last.id and last.deleted_at is null
         group by mr.emoji
       ) per_emoji
     ) reactions on true
     order by coalesce(page.last_message_at, page.created_at) desc, page.id desc`,
    bindings,
  );
  const withMessage = rows.filter((row) => row.last_message !== null);
  const messages = await messagesFromRows(
    db,
    withMessage.map((row) => ({ row: row.last_message!, reactions: row.last_message_reactions ?? [] })),
  );
  const lastMessages = new Map(messages.map((message) => [message.room_id, message]));
  // Literal objects rather than rest/spread: this runs for every room of every page.
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    name: row.name,
    last_seq: row.last_seq,
    created_by: row.created_by,
    created_at: row.created_at,
    last_message_at: row.last_message_at,
    last_read_seq: row.last_read_seq,
    unread_count: row.unread_count,
    muted_at: row.muted_at,
    participants: (row.participants ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      avatar_url: p.avatar_url,
      joined_at: iso(p.joined_at),
      last_read_seq: p.last_read_seq,
      last_read_at: iso(p.last_read_at),
    })),
    last_message: lastMessages.get(row.id) ?? null,
  }));
}

interface RoomViewRow extends RoomRow {
  /** JSON: timestamps arrive as ISO text with the session's offset. */
  participants: Participant[] | null;
  last_message: MessageRow | null;
  last_message_reactions: ReactionSummary[] | null;
}

/** A digest of everything the user's room list shows; it changes when any of it does (sql/020_room_list_stamp.sql). */
export async function roomListStamp(db: Db, userId: string): Promise<string> {
  const { stamp } = await jsonAnswer<{ stamp: string }>(db, 'select parley_room_list_stamp(?) as answer', [userId]);
  return stamp;
}

/** The room if `userId` participates in it; undefined for "missing" and "not yours" alike. */
export async function findRoomOfUser(db: Db, roomId: string, userId: string): Promise<RoomRow | undefined> {
  return db({ p: 'room_participants' })
    .join({ r: 'chat_rooms' }, 'r.id', 'p.room_id')
    .where({ 'p.room_id': roomId, 'p.user_id': userId })
    .first(ROOM_COLUMNS);
}

/**
 * Takes the room's row lock and returns its last seq. Every change to a room
 * goes through here, so seqs are handed out one transaction at a time and
 * commit in order. Undefined when the room is missing or invisible (RLS).
 */
export async function lockRoom(db: Db, roomId: string): Promise<{ id: string; last_seq: number } | undefined> {
  return db('chat_rooms').where('id', roomId).forUpdate().first('id', 'last_seq');
}

/** Advances the room's seq after a logged change; message changes also bump last activity. */
export async function advanceRoomSeq(db: Db, roomId: string, seq: number, touchLastMessage: boolean): Promise<void> {
  await db('chat_rooms')
    .where('id', roomId)
    .update({
      last_seq: seq,
      updated_at: db.fn.now(),
      ...(touchLastMessage ? { last_message_at: db.fn.now() } : {}),
    });
}

/**
 * Inserts a room; 'exists' when the pair's direct room was created meanwhile.
 * No RETURNING and no ON CONFLICT: both make Postgres apply the read policy
 * to the new row, and the creator is not a member yet (sql/002_rls.sql).
 * A savepoint keeps the outer transaction usable after a lost race.
 */
export async function insertRoom(
  db: Db,
  room: { id: string; type: RoomType; name: string | null; direct_key: string | null; created_by: string },
): Promise<'created' | 'exists'> {
  try {
    await db.transaction((savepoint) => savepoint('chat_rooms').insert(room));
    return 'created';
  } catch (err) {
    const translated = translateDbError(err);
    if (translated instanceof UniqueViolation && translated.constraint === 'chat_rooms_direct_key_key') return 'exists';
    throw translated;
  }
}

export async function findDirectRoomId(db: Db, directKey: string): Promise<string | undefined> {
  const row = await queryAs<{ id: string } | undefined>(db('chat_rooms').where('direct_key', directKey).first('id'));
  return row?.id;
}

export async function updateRoomName(db: Db, roomId: string, name: string | null): Promise<void> {
  await db('chat_rooms').where('id', roomId).update({ name, updated_at: db.fn.now() });
}
