import type { Knex } from 'knex';
import type { ReadMarker, RoomEvent } from '@parley/sdk/protocol';
import { messageContentCodec } from '../crypto/content-codec.js';
import { parseSealedContent } from '../crypto/envelope.js';
import { joinSeq, resumeRows } from '../db/resume.js';
import { listRoomEventsAfter } from '../db/room-events.js';
import { withUser } from '../db/with-user.js';
import { isRoomId } from '../domain/rooms.js';

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
   * and those rooms' read markers — three reads in one statement.
   */
  resume(userId: string, asked: Record<string, number>, limit: number): Promise<ResumeRead>;
  /** Events of a room with seq > afterSeq, oldest first, at most `limit`. */
  eventsAfter(userId: string, roomId: string, afterSeq: number, limit: number): Promise<RoomEvent[]>;
  /** Where a room the socket did not know starts for this user: just before they joined it. */
  startOf(userId: string, roomId: string, firstSeq: number): Promise<number>;
}

export function createEventLog(db: Knex): EventLog {
  /** Sealed message content (at-rest encryption) is opened with room keys read as the user; plaintext needs nothing. */
  async function openContent(userId: string, events: RoomEvent[]): Promise<RoomEvent[]> {
    const sealed = events.some((e) => {
      const content = (e.data as { message?: { content?: unknown } }).message?.content;
      return typeof content === 'string' && parseSealedContent(content) !== null;
    });
    if (!sealed) return events;
    return withUser(db, userId, (trx) => messageContentCodec(db).decodeEvents(trx, events));
  }

  return {
    async resume(userId, asked, limit) {
      // Room ids that are not UUIDs name no room of the user (the caller answers them `resync`).
      const named = Object.fromEntries(
        Object.entries(asked).filter(([roomId, seq]) => isRoomId(roomId) && Number.isSafeInteger(seq)),
      );
      const read = await resumeRows(db, userId, named, limit + 1);
      const events = new Map<string, RoomEvent[]>();
      for (const event of await openContent(userId, read.events)) {
        const list = events.get(event.room_id);
        if (list) list.push(event);
        else events.set(event.room_id, [event]);
      }
      return {
        rooms: new Map(Object.entries(read.rooms).map(([id, seq]) => [id, Number(seq)])),
        events,
        markers: new Map(Object.entries(read.markers)),
      };
    },
    eventsAfter: (userId, roomId, afterSeq, limit) =>
      withUser(db, userId, (trx) => listRoomEventsAfter(trx, roomId, afterSeq, limit)),
    startOf: async (userId, roomId, firstSeq) =>
      Math.max(0, (await withUser(db, userId, (trx) => joinSeq(trx, roomId, userId, firstSeq))) - 1),
  };
}
