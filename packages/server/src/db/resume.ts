import type { ReadMarker } from '@parley/sdk/protocol';
import type { Db } from './database.js';

// SQL the socket needs to place a connection in each room's log (resume,
// live-only rooms, rooms joined while connected). Reads only; the log itself
// is read through room-events.ts.

/** Every room of `userId` with its current last seq. */
export async function roomSeqsOfUser(db: Db, userId: string): Promise<Map<string, number>> {
  const rows: { id: string; last_seq: number }[] = await db({ p: 'room_participants' })
    .join({ r: 'chat_rooms' }, 'r.id', 'p.room_id')
    .where('p.user_id', userId)
    .select('r.id', 'r.last_seq');
  return new Map(rows.map((r) => [r.id, Number(r.last_seq)]));
}

/**
 * The seq of the latest `member.joined` event for `userId` in a room, at or
 * before `atOrBefore`; 0 when there is none (a member since the room was created).
 */
export async function joinSeq(db: Db, roomId: string, userId: string, atOrBefore: number): Promise<number> {
  const row: { seq: number } | undefined = await db('room_events')
    .where({ room_id: roomId, kind: 'member.joined' })
    .andWhere('seq', '<=', atOrBefore)
    .andWhereRaw(`data->'user'->>'id' = ?`, [userId])
    .orderBy('seq', 'desc')
    .first('seq');
  return row ? Number(row.seq) : 0;
}

/** Every participant's read marker in these rooms (markers are not in the log: resume sends them). */
export async function readMarkersOfRooms(
  db: Db,
  roomIds: readonly string[],
): Promise<Map<string, ReadMarker[]>> {
  const byRoom = new Map<string, ReadMarker[]>();
  if (roomIds.length === 0) return byRoom;
  const rows: { room_id: string; user_id: string; last_read_seq: number; last_read_at: Date }[] = await db('room_participants')
    .whereIn('room_id', roomIds)
    .whereNotNull('last_read_at')
    .select('room_id', 'user_id', 'last_read_seq', 'last_read_at');
  for (const row of rows) {
    const list = byRoom.get(row.room_id) ?? [];
    list.push({ user_id: row.user_id, last_read_seq: Number(row.last_read_seq), last_read_at: row.last_read_at.toISOString() });
    byRoom.set(row.room_id, list);
  }
  return byRoom;
}
