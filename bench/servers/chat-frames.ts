/**
 * The message and event shapes the baseline servers send: the same fields as Parley's
 * `message.created` event, so every target puts the same bytes on the wire per delivery.
 */
import { randomUUID } from 'node:crypto';

export function messageCreatedEvent(
  roomId: string,
  seq: number,
  senderId: string,
  content: string,
  clientId: string | null,
) {
  const at = new Date().toISOString();
  const message = {
    id: randomUUID(),
    room_id: roomId,
    seq,
    sender_id: senderId,
    type: 'text',
    content,
    metadata: {},
    reactions: [],
    client_id: clientId,
    created_at: at,
    edited_at: null,
    deleted_at: null,
  };
  return { type: 'event' as const, room_id: roomId, seq, kind: 'message.created' as const, data: { message }, at };
}
