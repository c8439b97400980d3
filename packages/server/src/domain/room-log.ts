import type { Knex } from 'knex';
import type { RoomEvent, RoomEventDataMap, RoomEventKind } from '@parley/sdk/protocol';
import * as rooms from '../db/rooms.js';
import * as roomEvents from '../db/room-events.js';
import { roomNotFound } from '../errors.js';

/** A change in progress: the room is locked and `seq` is reserved for it. */
export interface RoomChange {
  roomId: string;
  seq: number;
}

/**
 * Locks the room and reserves the next seq (DESIGN.md "Ordering"). The lock is
 * held until the transaction ends, so concurrent writers to one room queue
 * here and their seqs commit in order; different rooms do not contend.
 */
export async function beginRoomChange(trx: Knex.Transaction, roomId: string): Promise<RoomChange> {
  const room = await rooms.lockRoom(trx, roomId);
  if (!room) throw roomNotFound();
  return { roomId, seq: room.last_seq + 1 };
}

/**
 * Logs the change in room_events and advances the room's last_seq. Only a new
 * message moves `last_message_at` (the room list's "latest activity"): an edit,
 * a reaction or a read must not lift an old conversation to the top.
 */
export async function recordRoomEvent<K extends RoomEventKind>(
  trx: Knex.Transaction,
  change: RoomChange,
  kind: K,
  data: RoomEventDataMap[K],
): Promise<RoomEvent> {
  const event = await roomEvents.insertRoomEvent(trx, { room_id: change.roomId, seq: change.seq, kind, data });
  await rooms.advanceRoomSeq(trx, change.roomId, change.seq, kind === 'message.created');
  return event;
}
