import type Router from '@koa/router';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { editMessageBody, listMessagesQuery, sendMessageBody } from '../schemas/messages.js';
import { parse } from '../validation.js';

/** A room's messages: history pages, sending, editing and deleting. */
export function registerMessageRoutes(router: Router<AuthState>, services: Services): void {
  router.get('/rooms/:roomId/messages', async (ctx) => {
    const q = parse(listMessagesQuery, ctx.query);
    ctx.body = await services.messages.list(ctx.state.user.id, ctx.params['roomId']!, {
      before: q.before ?? null,
      after: q.after ?? null,
      limit: q.limit,
    });
  });

  router.post('/rooms/:roomId/messages', async (ctx) => {
    const body = parse(sendMessageBody, ctx.request.body);
    const { message, created } = await services.messages.send(ctx.state.user.id, ctx.params['roomId']!, {
      content: body.content,
      type: body.type,
      metadata: body.metadata,
      clientId: body.client_id ?? null,
    });
    ctx.status = created ? 201 : 200;
    ctx.body = message;
  });

  router.patch('/rooms/:roomId/messages/:messageId', async (ctx) => {
    const { content } = parse(editMessageBody, ctx.request.body);
    ctx.body = await services.messages.edit(
      ctx.state.user.id,
      ctx.params['roomId']!,
      ctx.params['messageId']!,
      content,
    );
  });

  router.delete('/rooms/:roomId/messages/:messageId', async (ctx) => {
    ctx.body = await services.messages.remove(ctx.state.user.id, ctx.params['roomId']!, ctx.params['messageId']!);
  });
}
