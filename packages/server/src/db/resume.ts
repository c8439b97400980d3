import type { ReadMarker, RoomEvent } from '@parley/sdk/protocol';
import type { Db } from './database.js';
import { jsonAnswer } from './json-answer.js';

// SQL the socket needs to place a connection in each room's log (resume,
// live-only rooms, rooms joined while connected). Reads only; the log itself
// is read through room-events.ts.

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

/** What parley_resume answers (sql/018_connect.sql); event content still in stored form. */
export interface ResumeRows {
  rooms: Record<string, number>;
  events: RoomEvent[];
  markers: Record<string, ReadMarker[]>;
}

/**
 * A resume's three reads — the user's rooms with their last seqs, the events
 * after each named room's seq (at most `limit` per room, rooms still the
 * user's and behind only), and the named rooms' read markers — as one
 * statement, its own transaction, under RLS as `userId`. `asked` holds only
 * UUID room ids and integer seqs (the caller filters).
 */
export async function resumeRows(
  db: Db,
  userId: string,
  asked: Record<string, number>,
  limit: number,
): Promise<ResumeRows> {
  return jsonAnswer<ResumeRows>(db, 'select parley_resume(?, ?::jsonb, ?) as answer', [
    userId,
    JSON.stringify(asked),
    limit,
  ]);
}
