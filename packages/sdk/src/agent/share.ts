import type { ParleyClient } from '../client.js';
import type { Message } from '../protocol.js';
import { shareMessageOptions, type ShareSource } from '../share-message.js';

export type { ShareSource };

/**
 * Shares an AI answer into a room as an `ai_share` message (see `shareMessageOptions`).
 * Rejects with a ParleyError (e.g. `room_not_found`, `validation_failed`).
 */
export async function shareToRoom(
  client: Pick<ParleyClient, 'sendMessage'>,
  roomId: string,
  content: string,
  source: ShareSource,
): Promise<Message> {
  return client.sendMessage(roomId, content, shareMessageOptions(content, source));
}
