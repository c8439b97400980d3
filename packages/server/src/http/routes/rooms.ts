import type Router from '@koa/router';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { addParticipantsBody, createRoomBody, listRoomsQuery, muteRoomBody, renameRoomBody } from '../schemas/rooms.js';
import { parse } from '../validation.js';

/** Rooms: list, open/create, read, rename, mute (the caller's own setting); their participants. */
export function registerRoomRoutes(router: Router<AuthState>, services: Services): void {
  router.get('/rooms', async (ctx) => {
    const { limit, cursor } = parse(listRoomsQuery, ctx.query);
    ctx.type = 'application/json';
    ctx.body = await services.rooms.listBody(ctx.state.user.id, { limit, cursor: cursor ?? null });
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

  router.patch('/rooms/:roomId', async (ctx) => {
    const { name } = parse(renameRoomBody, ctx.request.body);
    ctx.body = await services.rooms.rename(ctx.state.user.id, ctx.params['roomId']!, name);
  });

  router.put('/rooms/:roomId/mute', async (ctx) => {
    const { muted } = parse(muteRoomBody, ctx.request.body);
    ctx.body = await services.rooms.setMuted(ctx.state.user.id, ctx.params['roomId']!, muted);
  });

  router.get('/rooms/:roomId/participants', async (ctx) => {
    ctx.body = { participants: await services.participants.list(ctx.state.user.id, ctx.params['roomId']!) };
  });

  router.post('/rooms/:roomId/participants', async (ctx) => {
    const { user_ids } = parse(addParticipantsBody, ctx.request.body);
    ctx.body = await services.participants.add(ctx.state.user.id, ctx.params['roomId']!, user_ids);
  });

  router.delete('/rooms/:roomId/participants/:userId', async (ctx) => {
    const room = await services.participants.remove(ctx.state.user.id, ctx.params['roomId']!, ctx.params['userId']!);
    // Having left, the caller can no longer see the room.
    if (room) ctx.body = room;
    else ctx.status = 204;
  });
}
