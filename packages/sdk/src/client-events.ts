import type { ConnectionChange } from './connection.js';
import type { ParleyError } from './errors.js';
import type { Message, PresenceRecord, ReadMarker, ResumeOutcome, RoomEvent, User } from './protocol.js';

/** Everything the client emits; every `on()` returns its own unsubscribe. */
export interface ParleyClientEvents {
  /**
   * The socket's state moved. `code`/`reason` name the close that caused it: e.g. `closed` with 4409
   * (replaced by a newer socket of the same user), 4403, or 4401 twice (the token refresh did not help) —
   * refusals after which the client stops reconnecting until `connect()` is called again.
   */
  'connection.changed': ConnectionChange;
  /** The socket is authenticated; `resume` says per room whether missed events were replayed or the room was refetched. */
  ready: { user: User; resume: Record<string, ResumeOutcome> };
  /** Every logged room change, once each, in seq order per room. */
  'room.event': RoomEvent;
  'message.new': { message: Message };
  /** A room's gap was too large to replay; the client refetched it. */
  resync: { room_id: string };
  /** After a reconnect, per room the client resumed: every missed event replayed (`recovered`) or refetched (`resync`). */
  resumed: { room_id: string; outcome: ResumeOutcome };
  typing: { room_id: string; user_id: string; state: 'start' | 'stop' };
  presence: PresenceRecord;
  /** `total` leaves muted rooms out, as `selectTotalUnread` does. */
  unread: { room_id: string; unread_count: number; total: number };
  /** The user muted or unmuted a room, here or in another tab (also applied to the room's `muted` in the store). */
  mute: { room_id: string; muted: boolean; total: number };
  /** Participants' read markers moved in a room (also applied to the room's `participants` in the store). */
  reads: { room_id: string; reads: ReadMarker[] };
  error: { error: ParleyError };
}
