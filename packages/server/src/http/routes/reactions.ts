import type Router from '@koa/router';
import type { Services } from '../../domain/services.js';
import type { AuthState } from '../auth.js';
import { reactionBody } from '../schemas/reactions.js';
import { parse } from '../validation.js';

/** Emoji reactions on a message; both answer the message's reactions. */
export function registerReactionRoutes(router: Router<AuthState>, services: Services): void {
  router.post('/rooms/:roomId/messages/:messageId/reactions', async (ctx) => {
    const { emoji } = parse(reactionBody, ctx.request.body);
    const { roomId, messageId } = ctx.params as { roomId: string; messageId: string };
    ctx.body = { reactions: await services.reactions.add(ctx.state.user.id, roomId, messageId, emoji) };
  });

  // The emoji is a URL-encoded path segment (the router decodes it).
  router.delete('/rooms/:roomId/messages/:messageId/reactions/:emoji', async (ctx) => {
    const { roomId, messageId, emoji } = ctx.params as { roomId: string; messageId: string; emoji: string };
    ctx.body = { reactions: await services.reactions.remove(ctx.state.user.id, roomId, messageId, emoji) };
  });
}
