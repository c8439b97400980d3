import type { BusMessage } from '../bus/bus.js';

// Unread counts are computed in the transaction that changes them and pushed
// after the commit as per-user `unread` frames to every socket of the user.

/** One user's `unread` frame for a room, as a bus message. */
export function unreadFrame(userId: string, roomId: string, unreadCount: number, total: number): BusMessage {
  return {
    type: 'user_frame',
    frame: { type: 'unread', room_id: roomId, unread_count: unreadCount, total },
    recipients: [userId],
  };
}

/** A frame telling a user who left a room that its unread messages no longer count. */
export function unreadFrameAfterLeaving(
  userId: string,
  roomId: string,
  totalBefore: number,
  roomUnreadBefore: number,
): BusMessage {
  return unreadFrame(userId, roomId, 0, Math.max(0, totalBefore - roomUnreadBefore));
}
