import type { ParleyClient } from '../client.js';
import { ParleyError } from '../errors.js';
import type { Message } from '../protocol.js';

/** Where a shared AI answer came from, in the host's own assistant. */
export interface ShareSource {
  source_conversation_id: string;
  source_message_id: string;
}

const MAX_SOURCE_ID = 200;

/**
 * Shares an AI answer into a room as an `ai_share` message whose metadata names the
 * conversation and message it came from. The user chose to share, so it is their
 * message (no `via: 'agent'` marker). Rejects with a ParleyError (e.g. `room_not_found`).
 */
export async function shareToRoom(
  client: Pick<ParleyClient, 'sendMessage'>,
  roomId: string,
  content: string,
  source: ShareSource,
): Promise<Message> {
  if (!content.trim()) throw new ParleyError('validation_failed', 'content: must not be empty');
  for (const key of ['source_conversation_id', 'source_message_id'] as const) {
    const value: unknown = source[key];
    if (typeof value !== 'string' || !value || value.length > MAX_SOURCE_ID) {
      throw new ParleyError(
        'validation_failed',
        `${key}: must be a non-empty string of at most ${MAX_SOURCE_ID} characters`,
      );
    }
  }
  return client.sendMessage(roomId, content, {
    type: 'ai_share',
    metadata: { source_conversation_id: source.source_conversation_id, source_message_id: source.source_message_id },
  });
}
