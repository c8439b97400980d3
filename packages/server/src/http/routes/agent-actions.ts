import type Router from '@koa/router';
import type { AgentActionService } from '../../domain/agent-actions.js';
import type { AuthState } from '../auth.js';
import { listAgentActionsQuery, recordAgentActionBody } from '../schemas/agent-actions.js';
import { parse } from '../validation.js';

/**
 * The audit trail of AI assistants acting for the caller: the agent toolkit
 * records each tool call; the caller lists only their own (RLS-backed).
 */
export function registerAgentActionRoutes(router: Router<AuthState>, service: AgentActionService): void {
  router.post('/agent-actions', async (ctx) => {
    const body = parse(recordAgentActionBody, ctx.request.body);
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
    const q = parse(listAgentActionsQuery, ctx.query);
    ctx.body = await service.list(ctx.state.user.id, { limit: q.limit, cursor: q.cursor ?? null });
  });
}
