import type Router from '@koa/router';
import { z } from 'zod';
import { createAgentActionService, type AgentActionService } from '../../domain/agent-actions.js';
import type { ServiceDeps } from '../../domain/deps.js';
import type { AuthState } from '../auth.js';
import { parse } from '../validation.js';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
const timestamp = z.iso.datetime({ offset: true }).transform((v) => new Date(v));

const recordBody = z.object({
  tool: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a tool name (lowercase, digits, _)'),
  arguments: z.record(z.string(), z.unknown()).default({}),
  outcome: z.enum(['ok', 'error', 'drafted']),
  error_code: z.string().min(1).max(64).nullish(),
  room_id: uuid.nullish(),
  message_id: uuid.nullish(),
  agent: z.string().trim().min(1).max(64).nullish(),
  started_at: timestamp,
  finished_at: timestamp,
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

/**
 * The audit trail of AI assistants acting for the caller: the agent toolkit
 * records each tool call; the caller lists only their own (RLS-backed).
 */
export function registerAgentActionRoutes(
  router: Router<AuthState>,
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  service: AgentActionService = createAgentActionService(deps),
): void {
  router.post('/agent-actions', async (ctx) => {
    const body = parse(recordBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = await service.record(ctx.state.user.id, {
      tool: body.tool,
      arguments: body.arguments,
      outcome: body.outcome,
      errorCode: body.error_code ?? null,
      roomId: body.room_id ?? null,
      messageId: body.message_id ?? null,
      agent: body.agent ?? null,
      startedAt: body.started_at,
      finishedAt: body.finished_at,
    });
  });

  router.get('/agent-actions', async (ctx) => {
    const q = parse(listQuery, ctx.query);
    ctx.body = await service.list(ctx.state.user.id, { limit: q.limit, cursor: q.cursor ?? null });
  });
}
