import type Router from '@koa/router';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { presenceBody, presenceQuery } from '../schemas/presence.js';
import { parse } from '../validation.js';

/** Presence of people who share a room with the caller, and the caller's own status. */
export function registerPresenceRoutes(router: Router<AuthState>, services: Services): void {
  router.get('/presence', async (ctx) => {
    const { user_ids } = parse(presenceQuery, ctx.query);
    ctx.body = { presence: await services.presence.get(ctx.state.user.id, user_ids) };
  });

  router.put('/presence', async (ctx) => {
    const body = parse(presenceBody, ctx.request.body);
    ctx.body = await services.presence.set(ctx.state.user.id, body.status, body.status_message);
  });
}
