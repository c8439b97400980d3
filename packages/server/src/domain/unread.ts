import type { BusMessage } from '../bus/bus.js';

// Unread counts are computed in the transaction that changes them and pushed
// after the commit as per-user `unread` frames to every socket of the user.
// A total leaves the user's muted rooms out (sql/021_room_mute.sql).

/** One user's `unread` frame for a room, as a bus message. */
export function unreadFrame(userId: string, roomId: string, unreadCount: number, total: number): BusMessage {
  return {
    type: 'user_frame',
    frame: { type: 'unread', room_id: roomId, unread_count: unreadCount, total },
    recipients: [userId],
  };
}

/**
 * A frame telling a user who left a room that its unread messages no longer
 * count. A muted room's were not in `totalBefore`.
 */
export function unreadFrameAfterLeaving(
  userId: string,
  roomId: string,
  totalBefore: number,
  roomUnreadBefore: number,
  muted: boolean,
): BusMessage {
  return unreadFrame(userId, roomId, 0, muted ? totalBefore : Math.max(0, totalBefore - roomUnreadBefore));
}

/** The user's `mute` frame: their own setting for a room changed, with their unread total after it. */
export function muteFrame(userId: string, roomId: string, muted: boolean, total: number): BusMessage {
  return { type: 'user_frame', frame: { type: 'mute', room_id: roomId, muted, total }, recipients: [userId] };
}
