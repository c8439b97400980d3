import type Router from '@koa/router';
import { z } from 'zod';
import type { MessageAnchor } from '../../domain/messages.js';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { parse } from '../validation.js';

/** A cursor is a seq ("42") or a message id. */
const anchor = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((v): MessageAnchor => (/^\d+$/.test(v) ? { seq: Number(v) } : { messageId: v }))
  .optional();

const listQuery = z.object({
  before: anchor,
  after: anchor,
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const sendBody = z.object({
  content: z.string(),
  type: z.enum(['text', 'ai_share']).default('text'),
  metadata: z.record(z.string(), z.unknown()).default({}),
  client_id: z.string().trim().min(1).max(100).optional(),
});

/** A room's messages: history pages and sending. */
export function registerMessageRoutes(router: Router<AuthState>, services: Services): void {
  router.get('/rooms/:roomId/messages', async (ctx) => {
    const q = parse(listQuery, ctx.query);
    ctx.body = await services.messages.list(ctx.state.user.id, ctx.params['roomId']!, {
      before: q.before ?? null,
      after: q.after ?? null,
      limit: q.limit,
    });
  });

  router.post('/rooms/:roomId/messages', async (ctx) => {
    const body = parse(sendBody, ctx.request.body);
    const { message, created } = await services.messages.send(ctx.state.user.id, ctx.params['roomId']!, {
      content: body.content,
      type: body.type,
      metadata: body.metadata,
      clientId: body.client_id ?? null,
    });
    ctx.status = created ? 201 : 200;
    ctx.body = message;
  });
}
