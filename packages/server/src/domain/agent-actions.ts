import type { AgentAction, AgentActionOutcome, AgentActionPage } from '@parley/sdk/protocol';
import * as agentActions from '../db/agent-actions.js';
import { withUser } from '../db/with-user.js';
import { ParleyError } from '../errors.js';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';
import { enforceRate, type RateLimiter } from './rate-limit.js';
import type { ServiceDeps } from './deps.js';

// AI assistants acting for their users: the audit trail, and the
// separate, stricter rate limit on messages an assistant writes.

/** Messages an assistant may write per user per minute (on top of any per-user send limit). */
export const AGENT_WRITES_PER_MINUTE = 20;
/** Audit records a user's assistants may post per minute: generous, only there to stop flooding. */
export const AGENT_RECORDS_PER_MINUTE = 120;

/**
 * Whether a message was written by an assistant. `via` is self-declared by a
 * client holding the user's own token, so it marks, it does not authenticate:
 * see docs/architecture.md "AI assistants".
 */
export function isAgentWrite(metadata: Record<string, unknown> | undefined): boolean {
  return metadata?.['via'] === 'agent';
}

/**
 * The message service's hook: `check()` throws 429 `rate_limited` when an
 * assistant writes faster than its own limit. One guard per app (the message
 * service makes it), so tests and nodes do not share buckets.
 */
export function createAgentWriteGuard(limiter: RateLimiter) {
  return {
    async check(userId: string, metadata: Record<string, unknown> | undefined): Promise<void> {
      if (!isAgentWrite(metadata)) return;
      await enforceRate(limiter, `agent-write:${userId}`, `assistant messages (${AGENT_WRITES_PER_MINUTE} per minute)`);
    },
  };
}

export type AgentActionService = ReturnType<typeof createAgentActionService>;

export interface RecordInput {
  tool: string;
  arguments: Record<string, unknown>;
  outcome: AgentActionOutcome;
  errorCode: string | null;
  roomId: string | null;
  messageId: string | null;
  agent: string | null;
  startedAt: Date;
  finishedAt: Date;
}

interface ActionCursor {
  at: string;
  id: string;
}

const isActionCursor = (value: unknown): value is ActionCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ActionCursor).at === 'string' &&
  !Number.isNaN(Date.parse((value as ActionCursor).at)) &&
  typeof (value as ActionCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((value as ActionCursor).id);

/** Largest `arguments` summary stored, serialised: a summary, not a transcript. */
const MAX_ARGUMENTS_BYTES = 4096;

/**
 * With encryption at rest on, message text must not sit in the database in plaintext anywhere, so the
 * audit keeps only the length of any `content` argument, not its preview.
 */
export function withoutContentPreview(args: Record<string, unknown>): Record<string, unknown> {
  if (typeof args['content'] !== 'string') return args;
  const { content: _dropped, ...rest } = args;
  return { ...rest, content: '[not kept: encryption at rest]' };
}

export function createAgentActionService({ db, config }: Pick<ServiceDeps, 'db' | 'config'>, limiter: RateLimiter) {
  return {
    /** Appends one action to the caller's audit trail. */
    async record(userId: string, input: RecordInput): Promise<AgentAction> {
      await enforceRate(limiter, `agent-record:${userId}`, 'agent actions recorded');
      if (JSON.stringify(input.arguments).length > MAX_ARGUMENTS_BYTES) {
        throw new ParleyError('validation_failed', `arguments: summary is larger than ${MAX_ARGUMENTS_BYTES} bytes`);
      }
      if (input.finishedAt < input.startedAt)
        throw new ParleyError('validation_failed', 'finished_at: before started_at');
      return withUser(db, userId, (trx) =>
        agentActions.insertAgentAction(trx, {
          user_id: userId,
          tool: input.tool,
          arguments: config.encryptionAtRest ? withoutContentPreview(input.arguments) : input.arguments,
          outcome: input.outcome,
          error_code: input.errorCode,
          room_id: input.roomId,
          message_id: input.messageId,
          agent: input.agent,
          started_at: input.startedAt,
          finished_at: input.finishedAt,
        }),
      );
    },

    /** The caller's own actions, newest first; `next_cursor` is opaque. */
    async list(userId: string, options: { limit: number; cursor: string | null }): Promise<AgentActionPage> {
      const after = options.cursor ? decodeCursor(options.cursor, isActionCursor) : null;
      return withUser(db, userId, async (trx) => {
        const rows = await agentActions.listAgentActions(trx, userId, { after, limit: options.limit + 1 });
        const page = pageOf(rows, options.limit, (last) => encodeCursor({ at: last.created_at, id: last.id }));
        return { actions: page.items, next_cursor: page.nextCursor };
      });
    },
  };
}
