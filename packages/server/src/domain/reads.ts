import type { UnreadSummary } from '@parley/sdk/protocol';
import * as unread from '../db/unread.js';
import { withUser } from '../db/with-user.js';
import { roomNotFound } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { isRoomId } from './rooms.js';
import type { WritePath } from './write-path.js';

export type ReadService = ReturnType<typeof createReadService>;

export interface ReadCounts {
  unread_count: number;
  total_unread: number;
}

/** A user's pending read of one room: the furthest seq asked for (null = the newest message). */
interface PendingRead {
  userId: string;
  roomId: string;
  seq: number | null;
  /** When its window ends: PARLEY_READ_COALESCE_MS after the first read of it. */
  dueAt: number;
  waiters: Array<{ resolve(counts: ReadCounts): void; reject(error: unknown): void }>;
}

const FLUSH_SLACK_MS = 10;

/** null (the newest message) reaches at least as far as any seq. */
const further = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.max(a, b));

/**
 * Read markers and unread counts. A marker never goes backwards and is
 * clamped to the newest *message* ("read everything" reading an already read
 * room changes nothing, so two open clients cannot answer each other's reads).
 *
 * Markers take no seq and no room lock (DESIGN.md "Ordering" allows it): they
 * are written by the group commit beside sends and never block them. Socket
 * `read` frames are coalesced per user and room over PARLEY_READ_COALESCE_MS —
 * a client that marks every message it shows costs one write and one `reads`
 * frame per window, not one per message per member. Each (user, room) has a
 * window of its own, from its first read. `POST /read` joins a
 * pending read of the same room and is written at once, since it answers the counts.
 */
export function createReadService(deps: ServiceDeps, writes: WritePath) {
  const { db, config } = deps;
  const pending = new Map<string, PendingRead>();
  let timer: NodeJS.Timeout | null = null;

  function write(read: PendingRead): void {
    writes.submit({ element: { op: 'read', user: read.userId, room: read.roomId, seq: read.seq } }).then(
      (outcome) => {
        for (const w of read.waiters)
          w.resolve({ unread_count: outcome.unread_count, total_unread: outcome.total_unread });
      },
      (error: unknown) => {
        for (const w of read.waiters) w.reject(error);
      },
    );
  }

  /**
   * Writes the reads whose window has ended (all of them with `all`). Each
   * (user, room) has its own window from its first read, so the reads of a busy
   * node reach the group commit spread out as they came, not all at once every
   * window (a burst that held sends up behind it). The map keeps insertion
   * order, which is due order. Reads due within FLUSH_SLACK_MS go along, so a
   * busy node wakes for them every few ms, not every ms.
   */
  function flush(all = false): void {
    timer = null;
    const now = Date.now();
    for (const [key, read] of pending) {
      if (!all && read.dueAt > now + FLUSH_SLACK_MS) break;
      pending.delete(key);
      write(read);
    }
    arm();
  }

  function arm(): void {
    if (timer) return;
    const next = pending.values().next();
    if (next.done) return;
    timer = setTimeout(flush, Math.max(1, next.value.dueAt - Date.now()));
    timer.unref();
  }

  function enqueue(userId: string, roomId: string, seq: number | null, now: boolean): Promise<ReadCounts> {
    const key = `${userId}\n${roomId}`;
    let read = pending.get(key);
    if (read) read.seq = further(read.seq, seq);
    else pending.set(key, (read = { userId, roomId, seq, dueAt: Date.now() + config.readCoalesceMs, waiters: [] }));
    const answer = new Promise<ReadCounts>((resolve, reject) => read.waiters.push({ resolve, reject }));
    if (now || config.readCoalesceMs === 0) {
      pending.delete(key);
      write(read);
    } else {
      arm();
    }
    return answer;
  }

  return {
    /** `POST /rooms/:id/read`: written with the next group commit; answers the counts after it. */
    async markRead(userId: string, roomId: string, seq: number | null): Promise<ReadCounts> {
      if (!isRoomId(roomId)) throw roomNotFound();
      return enqueue(userId, roomId, seq, true);
    },

    /**
     * A socket `read` frame: coalesced with the user's other reads of the room in
     * this window. Resolves (or fails, e.g. room_not_found) when it is written.
     */
    async markReadSoon(userId: string, roomId: string, seq: number | null): Promise<ReadCounts> {
      if (!isRoomId(roomId)) throw roomNotFound();
      return enqueue(userId, roomId, seq, false);
    },

    /** Writes every pending read now (shutdown, tests). */
    flushPending(): void {
      if (timer) clearTimeout(timer);
      flush(true);
    },

    /** Unread counts of every room of the caller (zeros and muted rooms included) and their total without muted rooms. */
    async summary(userId: string): Promise<UnreadSummary> {
      const counts = await withUser(db, userId, (trx) => unread.unreadCounts(trx, userId));
      return { total: counts.total, rooms: Object.fromEntries(counts.rooms) };
    },
  };
}
