import type { Knex } from 'knex';
import type { ReadMarker, RoomEvent } from '@parley/sdk/protocol';
import { joinSeq, readMarkersOfRooms, roomSeqsOfUser } from '../db/resume.js';
import { listRoomEventsAfter, listRoomEventsAfterEach } from '../db/room-events.js';
import { withUser } from '../db/with-user.js';

/**
 * What a socket reads from `room_events`, always as its user (withUser, so RLS
 * applies: a room the user left yields nothing).
 */
/** What a reconnecting socket needs, read in one transaction (see {@link EventLog.resume}). */
export interface ResumeRead {
  /** Every room of the user with its last seq. */
  rooms: Map<string, number>;
  /** Missed events of the rooms asked for, oldest first per room (at most `limit + 1` each). */
  events: Map<string, RoomEvent[]>;
  /** Current read markers of those rooms' participants (markers are not logged). */
  markers: Map<string, ReadMarker[]>;
}

export interface EventLog {
  /**
   * For a resume: the user's rooms, the events missed in the rooms the client
   * names (after its last seq, up to `limit + 1`: one more says "too many"),
   * and those rooms' read markers — three reads in one transaction.
   */
  resume(userId: string, asked: Record<string, number>, limit: number): Promise<ResumeRead>;
  /** Events of a room with seq > afterSeq, oldest first, at most `limit`. */
  eventsAfter(userId: string, roomId: string, afterSeq: number, limit: number): Promise<RoomEvent[]>;
  /** Where a room the socket did not know starts for this user: just before they joined it. */
  startOf(userId: string, roomId: string, firstSeq: number): Promise<number>;
}

export function createEventLog(db: Knex): EventLog {
  return {
    resume: (userId, asked, limit) =>
      withUser(db, userId, async (trx) => {
        const rooms = await roomSeqsOfUser(trx, userId);
        // Only rooms still the user's, with something missed, and no future claimed.
        const behind = Object.entries(asked).filter(([roomId, seen]) => {
          const last = rooms.get(roomId);
          return last !== undefined && seen < last;
        });
        const events = new Map<string, RoomEvent[]>();
        for (const event of await listRoomEventsAfterEach(trx, behind, limit + 1)) {
          const list = events.get(event.room_id);
          if (list) list.push(event);
          else events.set(event.room_id, [event]);
        }
        const resumed = Object.keys(asked).filter((roomId) => rooms.has(roomId));
        return { rooms, events, markers: await readMarkersOfRooms(trx, resumed) };
      }),
    eventsAfter: (userId, roomId, afterSeq, limit) =>
      withUser(db, userId, (trx) => listRoomEventsAfter(trx, roomId, afterSeq, limit)),
    startOf: async (userId, roomId, firstSeq) =>
      Math.max(0, (await withUser(db, userId, (trx) => joinSeq(trx, roomId, userId, firstSeq))) - 1),
  };
}
