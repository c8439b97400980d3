import { z } from 'zod';
import type { MessageAnchor } from '../../domain/messages.js';

/** A cursor is a seq ("42") or a message id. */
const anchor = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((v): MessageAnchor => (/^\d+$/.test(v) ? { seq: Number(v) } : { messageId: v }))
  .optional();

export const listMessagesQuery = z.object({
  before: anchor.describe('Newest first, seq below this (a seq or a message id). The default: from the latest.'),
  after: anchor.describe('Oldest first, seq above this (a seq or a message id). Not with before.'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const sendMessageBody = z
  .object({
    content: z.string().describe('Plain text (never HTML), at most MESSAGE_MAX_LENGTH characters.'),
    type: z.enum(['text', 'ai_share']).default('text').describe('system is made by the server only.'),
    metadata: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('ai_share: {source_conversation_id, source_message_id?, …}. At most 4 KiB of JSON.'),
    client_id: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Idempotency key: a retry answers 200 with the original.'),
  })
  .meta({ id: 'SendMessageBody' });

export const editMessageBody = z.object({ content: z.string() }).meta({ id: 'EditMessageBody' });
