import type { Db } from './database.js';

// Unread = others' undeleted, non-system messages after the reader's marker, kept as
// `room_participants.unread_count` by the writes that change it (sql/012_unread_counters.sql).
// A total leaves muted rooms out (sql/021_room_mute.sql); a room's own count does not.

/** Unread counts of `userId` in each of their rooms, from the counters, and their total without muted rooms. */
export async function unreadCounts(db: Db, userId: string): Promise<{ rooms: Map<string, number>; total: number }> {
  const rows: { room_id: string; unread_count: number; muted_at: Date | null }[] = await db('room_participants')
    .where('user_id', userId)
    .select('room_id', 'unread_count', 'muted_at');
  let total = 0;
  for (const row of rows) if (row.muted_at === null) total += row.unread_count;
  return { rooms: new Map(rows.map((row) => [row.room_id, row.unread_count])), total };
}

/** The caller's unread total over their rooms that are not muted (parley_unread_total, as the caller). */
export async function unreadTotal(db: Db): Promise<number> {
  const { rows } = await db.raw<{ rows: { total: number }[] }>('select parley_unread_total() as total');
  return rows[0]?.total ?? 0;
}

/**
 * For every member of a room: their unread count there and in total (muted rooms left out), in one
 * query (a SECURITY DEFINER function: the caller cannot see the others' rooms).
 */
export async function unreadOfRoomMembers(
  db: Db,
  roomId: string,
): Promise<{ user_id: string; room_unread: number; total_unread: number }[]> {
  const { rows } = await db.raw<{ rows: { user_id: string; room_unread: number; total_unread: number }[] }>(
    'select user_id, room_unread, total_unread from parley_unread_of_room_members(?)',
    [roomId],
  );
  return rows;
}
