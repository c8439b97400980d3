import { z } from 'zod';
import { AGENT_ACTION_OUTCOMES, type RecordAgentActionBody } from '@parley/sdk/protocol';
import { UUID_PATTERN } from '../../domain/ids.js';

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');
const timestamp = z.iso.datetime({ offset: true }).transform((v) => new Date(v));

/** `POST /agent-actions`: one tool call an assistant made for the caller. */
export const recordAgentActionBody = z.object({
  tool: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a tool name (lowercase, digits, _)'),
  arguments: z.record(z.string(), z.unknown()).default({}),
  outcome: z.enum(AGENT_ACTION_OUTCOMES),
  error_code: z.string().min(1).max(64).nullish(),
  room_id: uuid.nullish(),
  message_id: uuid.nullish(),
  agent: z.string().trim().min(1).max(64).nullish(),
  started_at: timestamp,
  finished_at: timestamp,
}) satisfies z.ZodType<unknown, RecordAgentActionBody>;

/** `GET /agent-actions?limit&cursor` */
export const listAgentActionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(500).optional(),
});
