import type { Knex } from 'knex';
import type { RoomEvent, User } from '@parley/sdk/protocol';
import * as messages from '../db/messages.js';
import { beginRoomChange, recordRoomEvent } from './room-log.js';

/**
 * What a system message records, in `metadata`, so that a UI can render it
 * in its own language instead of showing the English `content`. Names are
 * those at the time of the change (the people may leave or rename later).
 */
export type SystemMessageMetadata =
  | { event: 'member.joined'; user_id: string; user_name: string; by: string; by_name: string }
  | { event: 'member.left'; user_id: string; user_name: string; by: string; by_name: string }
  | { event: 'room.updated'; name: string | null; by: string; by_name: string };

const nameOf = (user: User) => user.name || user.id;

/** The English text of a system message. */
export function systemMessageText(meta: SystemMessageMetadata): string {
  switch (meta.event) {
    case 'member.joined':
      return meta.by === meta.user_id ? `${meta.user_name} joined` : `${meta.by_name} added ${meta.user_name}`;
    case 'member.left':
      return meta.by === meta.user_id ? `${meta.user_name} left` : `${meta.by_name} removed ${meta.user_name}`;
    case 'room.updated':
      return meta.name === null
        ? `${meta.by_name} removed the room name`
        : `${meta.by_name} named the room “${meta.name}”`;
  }
}

export function memberChangeMetadata(
  event: 'member.joined' | 'member.left',
  user: User,
  by: User,
): SystemMessageMetadata {
  return { event, user_id: user.id, user_name: nameOf(user), by: by.id, by_name: nameOf(by) };
}

export function renameMetadata(name: string | null, by: User): SystemMessageMetadata {
  return { event: 'room.updated', name, by: by.id, by_name: nameOf(by) };
}

/**
 * Writes a system message (no sender, type 'system') as its own room change:
 * it takes the next seq and is logged as `message.created`. Runs in the
 * acting member's transaction (sql/003_messaging.sql admits it).
 */
export async function recordSystemMessage(
  trx: Knex.Transaction,
  roomId: string,
  meta: SystemMessageMetadata,
): Promise<RoomEvent> {
  const change = await beginRoomChange(trx, roomId);
  const message = await messages.insertMessage(trx, {
    room_id: roomId,
    seq: change.seq,
    sender_id: null,
    type: 'system',
    content: systemMessageText(meta),
    metadata: { ...meta },
    client_id: null,
  });
  return recordRoomEvent(trx, change, 'message.created', { message });
}
