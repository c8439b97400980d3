import type { Knex } from 'knex';
import type { RoomEvent } from '@parley/sdk/protocol';
import { joinSeq, roomSeqsOfUser } from '../db/resume.js';
import { listRoomEventsAfter } from '../db/room-events.js';
import { withUser } from '../db/with-user.js';

/**
 * What a socket reads from `room_events`, always as its user (withUser, so RLS
 * applies: a room the user left yields nothing).
 */
export interface EventLog {
  /** The user's rooms and their last seq: where live delivery starts for rooms not resumed. */
  roomSeqs(userId: string): Promise<Map<string, number>>;
  /** Events of a room with seq > afterSeq, oldest first, at most `limit`. */
  eventsAfter(userId: string, roomId: string, afterSeq: number, limit: number): Promise<RoomEvent[]>;
  /** Where a room the socket did not know starts for this user: just before they joined it. */
  startOf(userId: string, roomId: string, firstSeq: number): Promise<number>;
}

export function createEventLog(db: Knex): EventLog {
  return {
    roomSeqs: (userId) => withUser(db, userId, (trx) => roomSeqsOfUser(trx, userId)),
    eventsAfter: (userId, roomId, afterSeq, limit) =>
      withUser(db, userId, (trx) => listRoomEventsAfter(trx, roomId, afterSeq, limit)),
    startOf: async (userId, roomId, firstSeq) =>
      Math.max(0, (await withUser(db, userId, (trx) => joinSeq(trx, roomId, userId, firstSeq))) - 1),
  };
}
