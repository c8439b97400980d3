import type Router from '@koa/router';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { searchUsersQuery } from '../schemas/users.js';
import { parse } from '../validation.js';

/** The caller and the user directory. */
export function registerUserRoutes(router: Router<AuthState>, services: Services): void {
  router.get('/me', (ctx) => {
    ctx.body = ctx.state.user;
  });

  router.get('/users', async (ctx) => {
    const { q, limit } = parse(searchUsersQuery, ctx.query);
    ctx.body = { users: await services.users.search(ctx.state.user.id, q, limit) };
  });
}
