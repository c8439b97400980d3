import type { ClientMessageType, Message, MessagePage } from '@parley/sdk/protocol';
import * as messages from '../db/messages.js';
import * as rooms from '../db/rooms.js';
import { withUser } from '../db/with-user.js';
import { ParleyError, roomNotFound } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { beginRoomChange, recordRoomEvent } from './room-log.js';
import { isRoomId } from './rooms.js';

export type MessageService = ReturnType<typeof createMessageService>;

export interface SendInput {
  content: string;
  type: ClientMessageType;
  metadata: Record<string, unknown>;
  clientId: string | null;
}

/** `before`/`after` as given: a seq, or a message id to be resolved to its seq. */
export type MessageAnchor = { seq: number } | { messageId: string };

export interface ListInput {
  before: MessageAnchor | null;
  after: MessageAnchor | null;
  limit: number;
}

export function createMessageService({ db, bus, config, logger }: ServiceDeps) {
  return {
    /**
     * Sends a message: one transaction under the room lock takes the next seq,
     * inserts the message and its `message.created` event; after the commit
     * the event goes on the bus to the room's participants. A repeated
     * `clientId` returns the original message (`created: false`) and logs nothing.
     */
    async send(userId: string, roomId: string, input: SendInput): Promise<{ message: Message; created: boolean }> {
      if (!config.messagingEnabled) throw new ParleyError('messaging_disabled', 'Messaging is disabled');
      if (!isRoomId(roomId)) throw roomNotFound();
      if (input.content.length > config.messageMaxLength) {
        throw new ParleyError('message_too_long', `content is longer than ${config.messageMaxLength} characters`);
      }
      if (input.content.trim() === '') throw new ParleyError('validation_failed', 'content: must not be empty');

      const result = await withUser(db, userId, async (trx) => {
        // Membership first (the app's wall), then the lock; RLS would hide the room anyway.
        if (!(await rooms.findRoomOfUser(trx, roomId, userId))) throw roomNotFound();
        const change = await beginRoomChange(trx, roomId);
        // Checked under the room lock, so a concurrent retry of the same
        // client_id has either committed (found here) or waits behind us.
        if (input.clientId) {
          const original = await messages.findByClientId(trx, roomId, userId, input.clientId, userId);
          if (original) return { message: original, created: false as const };
        }
        const message = await messages.insertMessage(trx, {
          room_id: roomId,
          seq: change.seq,
          sender_id: userId,
          type: input.type,
          content: input.content,
          metadata: input.metadata,
          client_id: input.clientId,
        });
        const event = await recordRoomEvent(trx, change, 'message.created', { message });
        const recipients = await rooms.participantIds(trx, roomId);
        return { message, created: true as const, event, recipients };
      });

      if (result.created) {
        // Best effort: the message is committed; a lost publish is repaired by resume.
        await bus.publish({ type: 'room_event', event: result.event, recipients: result.recipients }).catch((err) => {
          logger.error({ err, roomId, seq: result.event.seq }, 'bus publish failed');
        });
      }
      return { message: result.message, created: result.created };
    },

    /**
     * A page of history. With `after`: oldest first, seq > after. Otherwise
     * newest first, seq < before (or from the latest). `next_cursor` is the
     * seq to pass as the same parameter for the following page, null at the end.
     */
    async list(userId: string, roomId: string, input: ListInput): Promise<MessagePage> {
      if (!isRoomId(roomId)) throw roomNotFound();
      if (input.before && input.after) {
        throw new ParleyError('validation_failed', 'Use either before or after, not both');
      }
      return withUser(db, userId, async (trx) => {
        if (!(await rooms.findRoomOfUser(trx, roomId, userId))) throw roomNotFound();
        const resolve = async (anchor: MessageAnchor | null): Promise<number | null> => {
          if (!anchor) return null;
          if ('seq' in anchor) return anchor.seq;
          const seq = isRoomId(anchor.messageId)
            ? await messages.findSeqOfMessage(trx, roomId, anchor.messageId)
            : undefined;
          if (seq === undefined) throw new ParleyError('message_not_found', 'Cursor message not found in this room');
          return seq;
        };
        const before = await resolve(input.before);
        const after = await resolve(input.after);
        const rows = await messages.listMessages(trx, roomId, userId, { before, after, limit: input.limit + 1 });
        const more = rows.length > input.limit;
        const page = rows.slice(0, input.limit);
        const last = page[page.length - 1];
        return { messages: page, next_cursor: more && last ? String(last.seq) : null };
      });
    },
  };
}
