import type { Participant, RoomType } from '@parley/sdk/protocol';
import type { Db } from './database.js';
import { translateDbError, UniqueViolation } from './errors.js';
import { iso } from './time.js';

// SQL for chat_rooms and room_participants (one table group: a room and its members).

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
];

/** Position in the room list: last activity, then id, both descending. */
export interface RoomCursor {
  at: string;
  id: string;
}

/** Rooms `userId` participates in, most recently active first. */
export async function listRoomsOfUser(
  db: Db,
  userId: string,
  page: { limit: number; cursor: RoomCursor | null },
): Promise<RoomRow[]> {
  const q = db({ p: 'room_participants' })
    .join({ r: 'chat_rooms' }, 'r.id', 'p.room_id')
    .where('p.user_id', userId)
    .select(ROOM_COLUMNS)
    .orderByRaw('coalesce(r.last_message_at, r.created_at) desc, r.id desc')
    .limit(page.limit);
  if (page.cursor) {
    q.whereRaw('(coalesce(r.last_message_at, r.created_at), r.id) < (?::timestamptz, ?::uuid)', [
      page.cursor.at,
      page.cursor.id,
    ]);
  }
  return q;
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
  const row = await db('chat_rooms').where('direct_key', directKey).first('id');
  return row?.id;
}

/**
 * Seats users in a room. The creator must be seated first (RLS bootstrap
 * rule). Callers pass ids not yet seated: ON CONFLICT would make Postgres
 * check the read policy against the new rows, which the creator's own first
 * row cannot pass.
 */
export async function insertParticipants(db: Db, roomId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db('room_participants').insert(userIds.map((user_id) => ({ room_id: roomId, user_id })));
}

export async function participantIds(db: Db, roomId: string): Promise<string[]> {
  const rows: { user_id: string }[] = await db('room_participants').where('room_id', roomId).select('user_id');
  return rows.map((r) => r.user_id);
}

interface ParticipantRow {
  room_id: string;
  id: string;
  name: string;
  avatar_url: string | null;
  joined_at: Date;
  last_read_seq: number;
  last_read_at: Date | null;
}

/** Participants of several rooms in one query, in join order. */
export async function participantsOfRooms(db: Db, roomIds: readonly string[]): Promise<Map<string, Participant[]>> {
  const byRoom = new Map<string, Participant[]>(roomIds.map((id) => [id, []]));
  if (roomIds.length === 0) return byRoom;
  const rows: ParticipantRow[] = await db({ p: 'room_participants' })
    .join({ u: 'users' }, 'u.id', 'p.user_id')
    .whereIn('p.room_id', roomIds)
    .select('p.room_id', 'u.id', 'u.name', 'u.avatar_url', 'p.joined_at', 'p.last_read_seq', 'p.last_read_at')
    .orderBy([{ column: 'p.joined_at' }, { column: 'u.id' }]);
  for (const row of rows) {
    byRoom.get(row.room_id)?.push({
      id: row.id,
      name: row.name,
      avatar_url: row.avatar_url,
      joined_at: iso(row.joined_at),
      last_read_seq: row.last_read_seq,
      last_read_at: iso(row.last_read_at),
    });
  }
  return byRoom;
}

/**
 * Unread messages per room for `userId`: others' undeleted messages after the
 * user's read marker. One grouped query for the whole page of rooms.
 */
export async function unreadCounts(db: Db, userId: string, roomIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(roomIds.map((id) => [id, 0]));
  if (roomIds.length === 0) return counts;
  const rows: { room_id: string; n: number }[] = await db({ m: 'chat_messages' })
    .join({ p: 'room_participants' }, (j) => j.on('p.room_id', 'm.room_id').andOnVal('p.user_id', userId))
    .whereIn('m.room_id', roomIds)
    .whereRaw('m.seq > p.last_read_seq')
    .whereRaw('m.sender_id is distinct from ?', [userId])
    .whereNull('m.deleted_at')
    .groupBy('m.room_id')
    .select('m.room_id', db.raw('count(*)::int as n'));
  for (const row of rows) counts.set(row.room_id, row.n);
  return counts;
}
