import { ParleyError } from './errors.js';
import type { ClientMessageType } from './protocol.js';

/** Where a shared AI answer came from, in the host's own assistant. */
export interface ShareSource {
  source_conversation_id: string;
  source_message_id: string;
}

const MAX_SOURCE_ID = 200;

/**
 * The send options of an `ai_share` message: its metadata names the conversation and message
 * the answer came from. The user chose to share, so it is their message (no `via: 'agent'`
 * marker). Throws a `validation_failed` ParleyError for empty content or a bad source.
 */
export function shareMessageOptions(
  content: string,
  source: ShareSource,
): { type: ClientMessageType; metadata: Record<string, unknown> } {
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
  return {
    type: 'ai_share',
    metadata: { source_conversation_id: source.source_conversation_id, source_message_id: source.source_message_id },
  };
}
