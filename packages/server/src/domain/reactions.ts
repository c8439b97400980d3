import type { ReactionSummary } from '@parley/sdk/protocol';
import { changeMessage } from '../db/message-changes.js';
import { ParleyError, roomNotFound } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { isSingleEmoji } from './emoji.js';
import { changeEvent, changeRefused } from './messages.js';
import { publishAll } from './publish.js';
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
    const answer = await changeMessage(db, {
      op: kind === 'reaction.added' ? 'react' : 'unreact',
      user: userId,
      room: roomId,
      message: messageId,
      emoji,
    });
    if ('error' in answer) throw changeRefused(answer.error, 'react to');
    await publishAll(deps, changeEvent(roomId, answer));
    return answer.summary ?? [];
  }

  return {
    add: (userId: string, roomId: string, messageId: string, emoji: string) =>
      change(userId, roomId, messageId, emoji, 'reaction.added'),
    remove: (userId: string, roomId: string, messageId: string, emoji: string) =>
      change(userId, roomId, messageId, emoji, 'reaction.removed'),
  };
}
