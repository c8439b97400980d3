import { z } from 'zod';
import type { ClientMessageType } from '@parley/sdk/protocol';
import type { Config } from '../config.js';
import { ParleyError } from '../errors.js';

/** Metadata is for small structured hints (links to sources), not payloads. */
export const MAX_METADATA_BYTES = 4096;

/**
 * An `ai_share` message shares something from an AI conversation; its
 * metadata names where it came from. Other keys are kept as they are.
 */
export const aiShareMetadataSchema = z.looseObject({
  source_conversation_id: z.string().trim().min(1).max(200),
  source_message_id: z.string().trim().min(1).max(200).optional(),
});

/** Checks content against the rules every send and edit share (REST and socket alike). */
export function checkContent(config: Pick<Config, 'messageMaxLength'>, content: string): void {
  if (content.trim() === '') throw new ParleyError('validation_failed', 'content: must not be empty');
  // Characters as people count them (code points), not UTF-16 units.
  const length = [...content].length;
  if (length > config.messageMaxLength) {
    throw new ParleyError(
      'message_too_long',
      `content: ${length} characters is over the limit of ${config.messageMaxLength} (MESSAGE_MAX_LENGTH)`,
    );
  }
}

/** Validates metadata for a message type; answers what will be stored. */
export function checkMetadata(type: ClientMessageType, metadata: Record<string, unknown>): Record<string, unknown> {
  if (JSON.stringify(metadata).length > MAX_METADATA_BYTES) {
    throw new ParleyError('validation_failed', `metadata: larger than ${MAX_METADATA_BYTES} bytes of JSON`);
  }
  if (type !== 'ai_share') return metadata;
  const parsed = aiShareMetadataSchema.safeParse(metadata);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ParleyError('validation_failed', `metadata.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
}
