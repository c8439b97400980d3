import type { UnreadSummary } from '@parley/sdk/protocol';
import * as messages from '../db/messages.js';
import * as rooms from '../db/rooms.js';
import { withUser } from '../db/with-user.js';
import { roomNotFound } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { publishAll, roomEventMessages } from './publish.js';
import { beginRoomChange, recordRoomEvent } from './room-log.js';
import { isRoomId } from './rooms.js';
import { unreadOfUser } from './unread.js';

export type ReadService = ReturnType<typeof createReadService>;

/**
 * Read markers and unread counts. A read marker is a room change (it takes a
 * seq and is logged as `read.updated`, which is what "seen by" is built on),
 * but only when it moves: it never goes backwards, and a marker past the
 * newest message is clamped to it. "Latest" is the newest *message*, not the
 * room's last seq, so reading an already read room logs nothing — otherwise
 * two open clients would answer each other's read events forever.
 */
export function createReadService(deps: ServiceDeps) {
  const { db } = deps;

  return {
    async markRead(userId: string, roomId: string, seq: number | null): Promise<{ unread_count: number; total_unread: number }> {
      if (!isRoomId(roomId)) throw roomNotFound();
      const result = await withUser(db, userId, async (trx) => {
        if (!(await rooms.findRoomOfUser(trx, roomId, userId))) throw roomNotFound();
        const change = await beginRoomChange(trx, roomId);
        const latest = await messages.latestMessageSeq(trx, roomId);
        const target = seq === null ? latest : Math.min(seq, latest);
        const moved = await rooms.moveReadMarker(trx, roomId, userId, target);
        if (moved) await rooms.recountUnread(trx, roomId, userId);
        const unread = await unreadOfUser(trx, userId, roomId);
        const counts = { unread_count: unread.unread_count, total_unread: unread.total_unread };
        if (!moved) return { counts, publish: [] };
        const event = await recordRoomEvent(trx, change, 'read.updated', { user_id: userId, ...moved });
        const recipients = await rooms.participantIds(trx, roomId);
        // The reader's other tabs and devices learn the new counts too.
        return { counts, publish: [...roomEventMessages([event], recipients), unread.frame] };
      });
      await publishAll(deps, result.publish);
      return result.counts;
    },

    /** Unread counts of every room of the caller (zeros included) and their total. */
    async summary(userId: string): Promise<UnreadSummary> {
      const counts = await withUser(db, userId, (trx) => rooms.unreadCounts(trx, userId));
      let total = 0;
      for (const n of counts.values()) total += n;
      return { total, rooms: Object.fromEntries(counts) };
    },
  };
}
