import type Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { parse } from '../validation.js';

const userId = z.string().trim().min(1).max(255);

const createRoomBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('direct'), user_ids: z.array(userId).min(1).max(2) }),
  z.object({
    type: z.literal('group'),
    name: z.string().trim().max(200).nullable().optional(),
    user_ids: z.array(userId).max(100),
  }),
]);

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(500).optional(),
});

/** Rooms: list, open/create, read one. */
export function registerRoomRoutes(router: Router<AuthState>, services: Services): void {
  router.get('/rooms', async (ctx) => {
    const { limit, cursor } = parse(listQuery, ctx.query);
    ctx.body = await services.rooms.list(ctx.state.user.id, { limit, cursor: cursor ?? null });
  });

  router.post('/rooms', async (ctx) => {
    const body = parse(createRoomBody, ctx.request.body);
    const { room, created } = await services.rooms.create(ctx.state.user.id, body);
    ctx.status = created ? 201 : 200;
    ctx.body = room;
  });

  router.get('/rooms/:roomId', async (ctx) => {
    ctx.body = await services.rooms.get(ctx.state.user.id, ctx.params['roomId']!);
  });
}
