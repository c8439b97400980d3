import type { Knex } from 'knex';
import type { ClientMessageType, Message, MessagePage } from '@parley/sdk/protocol';
import * as messages from '../db/messages.js';
import * as roomEvents from '../db/room-events.js';
import * as rooms from '../db/rooms.js';
import { withUser } from '../db/with-user.js';
import { ParleyError, roomNotFound } from '../errors.js';
import { createAgentWriteGuard } from './agent-actions.js';
import type { ServiceDeps } from './deps.js';
import { checkContent, checkMetadata } from './message-rules.js';
import { publishAll, roomEventMessages } from './publish.js';
import { beginRoomChange, recordRoomEvent, type RoomChange } from './room-log.js';
import { isRoomId } from './rooms.js';
import { unreadFramesForMembers } from './unread.js';

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

export const messageNotFound = () => new ParleyError('message_not_found', 'Message not found');

/**
 * Locks the caller's room (404 room_not_found if not theirs) and finds a
 * message in it (404 message_not_found). Read under the lock, so a
 * concurrent edit or delete of the same message cannot interleave.
 */
async function lockRoomMessage(
  trx: Knex.Transaction,
  userId: string,
  roomId: string,
  messageId: string,
): Promise<{ change: RoomChange; message: Message }> {
  if (!(await rooms.findRoomOfUser(trx, roomId, userId))) throw roomNotFound();
  const change = await beginRoomChange(trx, roomId);
  const message = isRoomId(messageId) ? await messages.findMessage(trx, roomId, messageId, userId) : undefined;
  if (!message) throw messageNotFound();
  return { change, message };
}

/** Only the sender edits or deletes a message (system messages have none). */
function assertSender(message: Message, userId: string, action: string): void {
  if (message.sender_id !== userId) throw new ParleyError('forbidden', `You can only ${action} your own messages`);
}

export function createMessageService(deps: ServiceDeps) {
  const { db, config } = deps;
  // Assistant-written messages have a limit of their own (domain/agent-actions.ts).
  const agentWrites = createAgentWriteGuard();

  return {
    /**
     * Sends a message: one transaction under the room lock takes the next seq,
     * inserts the message and its `message.created` event, and computes the
     * other members' unread counts; after the commit the event and their
     * `unread` frames go on the bus. A repeated `clientId` returns the
     * original message (`created: false`) and logs nothing.
     */
    async send(userId: string, roomId: string, input: SendInput): Promise<{ message: Message; created: boolean }> {
      if (!config.messagingEnabled) throw new ParleyError('messaging_disabled', 'Messaging is disabled');
      if (!isRoomId(roomId)) throw roomNotFound();
      checkContent(config, input.content);
      const metadata = checkMetadata(input.type, input.metadata);
      agentWrites.check(userId, input.metadata);

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
          metadata,
          client_id: input.clientId,
        });
        await rooms.adjustUnread(trx, roomId, message.seq, 1);
        const event = await recordRoomEvent(trx, change, 'message.created', { message });
        const recipients = await rooms.participantIds(trx, roomId);
        const frames = await unreadFramesForMembers(trx, roomId, userId);
        return { message, created: true as const, publish: [...roomEventMessages([event], recipients), ...frames] };
      });

      if (result.created) await publishAll(deps, result.publish);
      return { message: result.message, created: result.created };
    },

    /** Replaces the content of one's own message; logs `message.updated`. A deleted message cannot be edited (409). */
    async edit(userId: string, roomId: string, messageId: string, content: string): Promise<Message> {
      if (!isRoomId(roomId)) throw roomNotFound();
      checkContent(config, content);
      const result = await withUser(db, userId, async (trx) => {
        const { change, message: current } = await lockRoomMessage(trx, userId, roomId, messageId);
        assertSender(current, userId, 'edit');
        if (current.deleted_at) throw new ParleyError('conflict', 'The message was deleted');
        const message = await messages.updateMessageContent(trx, roomId, current.id, content, userId);
        const event = await recordRoomEvent(trx, change, 'message.updated', { message });
        return { message, publish: roomEventMessages([event], await rooms.participantIds(trx, roomId)) };
      });
      await publishAll(deps, result.publish);
      return result.message;
    },

    /**
     * Soft-deletes one's own message (content and metadata erased, the
     * tombstone keeps its seq); logs `message.deleted` and pushes the other
     * members' new unread counts. Deleting it again answers the tombstone.
     */
    async remove(userId: string, roomId: string, messageId: string): Promise<Message> {
      if (!isRoomId(roomId)) throw roomNotFound();
      const result = await withUser(db, userId, async (trx) => {
        const { change, message: current } = await lockRoomMessage(trx, userId, roomId, messageId);
        assertSender(current, userId, 'delete');
        if (current.deleted_at) return { message: current, publish: [] };
        const message = await messages.softDeleteMessage(trx, roomId, current.id);
        // Sent messages are never `system` (those have no sender), so the deleted one was counted.
        await rooms.adjustUnread(trx, roomId, current.seq, -1);
        await roomEvents.scrubDeletedMessage(trx, current.id);
        const event = await recordRoomEvent(trx, change, 'message.deleted', { message });
        const recipients = await rooms.participantIds(trx, roomId);
        const frames = await unreadFramesForMembers(trx, roomId, userId);
        return { message, publish: [...roomEventMessages([event], recipients), ...frames] };
      });
      await publishAll(deps, result.publish);
      return result.message;
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
