import * as rooms from '../db/rooms.js';
import * as members from '../db/participants.js';
import { withUser } from '../db/with-user.js';
import { roomNotFound } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { enforceRate, type RateLimiter } from './rate-limit.js';
import { isRoomId } from './rooms.js';

export type TypingService = ReturnType<typeof createTypingService>;

/**
 * Typing indicators: ephemeral, never stored. A member's start/stop
 * goes to the room's other members; clients expire indicators themselves
 * (~6 s), so a lost `stop` heals on its own.
 */
export function createTypingService({ db, bus, logger }: ServiceDeps, limiter: RateLimiter) {
  return {
    async relay(userId: string, roomId: string, state: 'start' | 'stop'): Promise<void> {
      if (!isRoomId(roomId)) throw roomNotFound();
      // A `stop` is never refused: it only ever clears an indicator.
      if (state === 'start') await enforceRate(limiter, `typing:${userId}`, 'typing signals');
      const recipients = await withUser(db, userId, async (trx) => {
        if (!(await rooms.findRoomOfUser(trx, roomId, userId))) throw roomNotFound();
        return members.participantIds(trx, roomId);
      });
      await bus
        .publish({
          type: 'user_frame',
          frame: { type: 'typing', room_id: roomId, user_id: userId, state },
          recipients,
          except_user_id: userId,
        })
        .catch((err) => logger.error({ err, roomId }, 'typing publish failed'));
    },
  };
}

/** Typing signals per user: a keystroke-driven client sends about one per 3 s per room. */
export const TYPING_SIGNALS_PER_10S = 20;
