import type { Participant } from '@parley/sdk/protocol';
import { type Db, queryAs } from './database.js';
import { iso } from './time.js';

// SQL for room_participants: who is in a room, and each member's own settings there.

/**
 * Seats users in a room. The creator must be seated first (RLS bootstrap
 * rule). Callers pass ids not yet seated: ON CONFLICT would make Postgres
 * check the read policy against the new rows, which the creator's own first
 * row cannot pass. `lastReadSeq` starts newcomers' read markers where they
 * joined, so earlier history does not count as unread for them.
 */
export async function insertParticipants(
  db: Db,
  roomId: string,
  userIds: readonly string[],
  lastReadSeq = 0,
): Promise<void> {
  if (userIds.length === 0) return;
  await db('room_participants').insert(
    userIds.map((user_id) => ({ room_id: roomId, user_id, last_read_seq: lastReadSeq })),
  );
}

/** Removes a participant (leaving deletes the row; history is in room_events). False if they were not in it. */
export async function deleteParticipant(db: Db, roomId: string, userId: string): Promise<boolean> {
  // RETURNING rather than the affected-row count, which knex-pglite does not report.
  const deleted = await db('room_participants')
    .where({ room_id: roomId, user_id: userId })
    .delete()
    .returning('user_id');
  return deleted.length > 0;
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
  const rows = await queryAs<ParticipantRow[]>(
    db({ p: 'room_participants' })
      .join({ u: 'users' }, 'u.id', 'p.user_id')
      .whereIn('p.room_id', roomIds)
      .select('p.room_id', 'u.id', 'u.name', 'u.avatar_url', 'p.joined_at', 'p.last_read_seq', 'p.last_read_at')
      .orderBy([{ column: 'p.joined_at' }, { column: 'u.id' }]),
  );
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
 * Mutes or unmutes the room for `userId`, on their own participant row (RLS:
 * participants_update_self). Counts the change in `mute_changes`, which the
 * room list's stamp reads (sql/021_room_mute.sql). False when the setting was
 * already so, or the user is not in the room.
 */
export async function setMuted(db: Db, roomId: string, userId: string, muted: boolean): Promise<boolean> {
  const row = db('room_participants').where({ room_id: roomId, user_id: userId });
  // Only a change is written (and counted): muting a muted room keeps its muted_at.
  if (muted) row.whereNull('muted_at');
  else row.whereNotNull('muted_at');
  // RETURNING rather than the affected-row count, which knex-pglite does not report.
  const updated = await row
    .update({ muted_at: muted ? db.fn.now() : null, mute_changes: db.raw('mute_changes + 1') })
    .returning('user_id');
  return updated.length > 0;
}

/** Whether `userId` muted the room (members see each other's rows; the API shows each only their own). */
export async function isMuted(db: Db, roomId: string, userId: string): Promise<boolean> {
  const row = await queryAs<{ muted_at: Date | null } | undefined>(
    db('room_participants').where({ room_id: roomId, user_id: userId }).first('muted_at'),
  );
  return row?.muted_at != null;
}
