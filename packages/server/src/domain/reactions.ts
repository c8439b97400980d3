import type { ReactionSummary } from '@parley/sdk/protocol';
import * as messages from '../db/messages.js';
import * as reactions from '../db/reactions.js';
import * as rooms from '../db/rooms.js';
import { withUser } from '../db/with-user.js';
import { ParleyError, roomNotFound } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { isSingleEmoji } from './emoji.js';
import { messageNotFound } from './messages.js';
import { publishAll, roomEventMessages } from './publish.js';
import { beginRoomChange, recordRoomEvent } from './room-log.js';
import { isRoomId } from './rooms.js';

export type ReactionService = ReturnType<typeof createReactionService>;

/**
 * Emoji reactions, one per (message, user, emoji). Adding one twice or
 * removing a missing one succeeds and changes nothing (no event). A change is
 * logged as `reaction.added`/`reaction.removed` with the emoji's absolute
 * count afterwards. Both answer the message's reactions from the caller's side.
 */
export function createReactionService(deps: ServiceDeps) {
  const { db } = deps;

  async function change(
    userId: string,
    roomId: string,
    messageId: string,
    emoji: string,
    kind: 'reaction.added' | 'reaction.removed',
  ): Promise<ReactionSummary[]> {
    if (!isRoomId(roomId)) throw roomNotFound();
    if (!isSingleEmoji(emoji)) throw new ParleyError('validation_failed', 'emoji: must be exactly one emoji');
    const result = await withUser(db, userId, async (trx) => {
      if (!(await rooms.findRoomOfUser(trx, roomId, userId))) throw roomNotFound();
      // The lock orders this change with the message's deletion and other reactions.
      const roomChange = await beginRoomChange(trx, roomId);
      const message = isRoomId(messageId) ? await messages.findMessage(trx, roomId, messageId, userId) : undefined;
      if (!message) throw messageNotFound();
      if (message.deleted_at) throw new ParleyError('conflict', 'The message was deleted');
      const key = { message_id: message.id, user_id: userId, emoji };
      const changed =
        kind === 'reaction.added'
          ? await reactions.addReaction(trx, { ...key, room_id: roomId })
          : await reactions.removeReaction(trx, key);
      const summary = (await reactions.reactionSummaries(trx, [message.id], userId)).get(message.id) ?? [];
      if (!changed) return { summary, publish: [] };
      const count = summary.find((s) => s.emoji === emoji)?.count ?? 0;
      const event = await recordRoomEvent(trx, roomChange, kind, { message_id: message.id, user_id: userId, emoji, count });
      return { summary, publish: roomEventMessages([event], await rooms.participantIds(trx, roomId)) };
    });
    await publishAll(deps, result.publish);
    return result.summary;
  }

  return {
    add: (userId: string, roomId: string, messageId: string, emoji: string) =>
      change(userId, roomId, messageId, emoji, 'reaction.added'),
    remove: (userId: string, roomId: string, messageId: string, emoji: string) =>
      change(userId, roomId, messageId, emoji, 'reaction.removed'),
  };
}
