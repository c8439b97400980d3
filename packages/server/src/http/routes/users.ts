import type Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { parse } from '../validation.js';

const searchQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** The caller and the user directory. */
export function registerUserRoutes(router: Router<AuthState>, services: Services): void {
  router.get('/me', (ctx) => {
    ctx.body = ctx.state.user;
  });

  router.get('/users', async (ctx) => {
    const { q, limit } = parse(searchQuery, ctx.query);
    ctx.body = { users: await services.users.search(ctx.state.user.id, q, limit) };
  });
}
