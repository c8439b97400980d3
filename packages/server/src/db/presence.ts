import type { PresenceRecord, PresenceStatus } from '@parley/sdk/protocol';
import { type Db, queryAs } from './database.js';
import { jsonAnswer } from './json-answer.js';
import { iso } from './time.js';

// SQL for user_presence, and the one question presence asks of room_participants:
// who shares a room with this user (the audience of their presence and the
// users whose presence they may read).

interface PresenceRow {
  user_id: string;
  status: PresenceStatus;
  status_message: string | null;
  last_seen_at: Date | null;
}

function toRecord(row: PresenceRow): PresenceRecord {
  return {
    user_id: row.user_id,
    status: row.status,
    status_message: row.status_message,
    last_seen_at: row.last_seen_at ? iso(row.last_seen_at) : null,
  };
}

const COLUMNS = ['user_id', 'status', 'status_message', 'last_seen_at'];

/** Heartbeat: moves last_seen_at without changing the status. */
export async function touchPresence(db: Db, userId: string, at: Date): Promise<void> {
  await db('user_presence').where('user_id', userId).whereNot('status', 'offline').update({ last_seen_at: at });
}

/** Marks the caller offline if their row is still stale (nobody heartbeated since `cutoff`). */
export async function markOfflineIfStale(
  db: Db,
  userId: string,
  cutoff: Date,
  at: Date,
): Promise<PresenceRecord | undefined> {
  const [row] = await queryAs<PresenceRow[]>(
    db('user_presence')
      .where('user_id', userId)
      .whereNot('status', 'offline')
      .andWhere('last_seen_at', '<', cutoff)
      .update({ status: 'offline', last_seen_at: at })
      .returning(COLUMNS),
  );
  return row ? toRecord(row) : undefined;
}

export async function findPresence(db: Db, userIds: readonly string[]): Promise<PresenceRecord[]> {
  if (userIds.length === 0) return [];
  const rows: PresenceRow[] = await db('user_presence').whereIn('user_id', userIds).select(COLUMNS);
  return rows.map(toRecord);
}

/** Users whose row says online/away but who have not been seen since `cutoff` (a crashed node's users). */
export async function findStalePresence(db: Db, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await queryAs<{ user_id: string }[]>(
    db('user_presence')
      .whereNot('status', 'offline')
      .andWhere((q) => {
        q.where('last_seen_at', '<', cutoff).orWhereNull('last_seen_at');
      })
      .select('user_id')
      .limit(limit),
  );
  return rows.map((r) => r.user_id);
}

/**
 * Everyone who shares at least one room with `userId`, and `userId` itself;
 * with `among`, only those of these ids. One query (self-join on participants).
 */
export async function roomMatesOf(db: Db, userId: string, among?: readonly string[]): Promise<string[]> {
  const q = db({ mine: 'room_participants' })
    .join({ other: 'room_participants' }, 'other.room_id', 'mine.room_id')
    .where('mine.user_id', userId)
    .distinct('other.user_id');
  if (among) q.whereIn('other.user_id', among);
  const rows = await queryAs<{ user_id: string }[]>(q);
  const ids = new Set(rows.map((r) => r.user_id));
  if (!among || among.includes(userId)) ids.add(userId);
  return [...ids];
}

/**
 * Writes the caller's own row (the RLS policy allows nothing else) and answers
 * it with its audience, {@link roomMatesOf}: one statement, its own
 * transaction, as the user under RLS (parley_save_presence, sql/018_connect.sql).
 * `statusMessage` undefined keeps the stored message.
 */
export async function savePresenceWithAudience(
  db: Db,
  change: { userId: string; status: PresenceStatus; statusMessage?: string | null; at: Date },
): Promise<{ record: PresenceRecord; audience: string[] }> {
  return jsonAnswer(db, 'select parley_save_presence(?, ?, ?, ?, ?) as answer', [
    change.userId,
    change.status,
    change.statusMessage ?? null,
    change.statusMessage === undefined,
    change.at,
  ]);
}
