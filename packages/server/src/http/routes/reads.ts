import type Router from '@koa/router';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { readBody } from '../schemas/reads.js';
import { parse } from '../validation.js';

/** Read markers and unread counts. */
export function registerReadRoutes(router: Router<AuthState>, services: Services): void {
  router.post('/rooms/:roomId/read', async (ctx) => {
    const { seq } = parse(readBody, ctx.request.body ?? {});
    ctx.body = await services.reads.markRead(ctx.state.user.id, ctx.params['roomId']!, seq ?? null);
  });

  router.get('/unread', async (ctx) => {
    ctx.body = await services.reads.summary(ctx.state.user.id);
  });
}
