import { randomUUID } from 'node:crypto';
import type { ClientMessageType, Message, MessagePage, RoomEvent } from '@parley/sdk/protocol';
import * as messages from '../db/messages.js';
import { changeMessage, type ChangeAnswer } from '../db/message-changes.js';
import * as rooms from '../db/rooms.js';
import { withUser } from '../db/with-user.js';
import { ParleyError, roomNotFound } from '../errors.js';
import { createAgentWriteGuard } from './agent-actions.js';
import { pageOf } from './cursor.js';
import type { ServiceDeps } from './deps.js';
import { checkContent, checkMetadata } from './message-rules.js';
import { publishAll, roomEventMessages } from './publish.js';
import { isRoomId } from './rooms.js';
import { unreadFrame } from './unread.js';
import type { BusMessage } from '../bus/bus.js';
import type { WritePath } from './write-path.js';
import { enforceRate, type RateLimiter } from './rate-limit.js';
import { messageContentCodec } from '../crypto/content-codec.js';

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
 * The service error for a change the database refused (sql/016): the room is
 * not the caller's, the message is not in it, it is someone else's, or it was deleted.
 */
export function changeRefused(error: string, action: string): ParleyError {
  switch (error) {
    case 'room_not_found':
      return roomNotFound();
    case 'message_not_found':
      return messageNotFound();
    case 'forbidden':
      return new ParleyError('forbidden', `You can only ${action} your own messages`);
    case 'conflict':
      return new ParleyError('conflict', 'The message was deleted');
    default:
      return new ParleyError('internal', 'Internal error');
  }
}

/** The bus messages of a committed change: its event to the room's members. */
export function changeEvent(
  roomId: string,
  answer: Exclude<ChangeAnswer, { error: string }>,
  data?: unknown,
): BusMessage[] {
  if (!answer.event) return [];
  const event = { ...answer.event, room_id: roomId, ...(data === undefined ? {} : { data }) } as RoomEvent;
  return roomEventMessages([event], answer.recipients ?? []);
}

export interface SendResult {
  message: Message;
  created: boolean;
}

export function createMessageService(
  deps: ServiceDeps,
  writes: WritePath,
  limiters: { sends: RateLimiter; agentWrites: RateLimiter },
) {
  const { db, config } = deps;
  const sendLimiter = limiters.sends;
  // Assistant-written messages have a limit of their own (domain/agent-actions.ts).
  const agentWrites = createAgentWriteGuard(limiters.agentWrites);

  /** The stored form of new content: sealed when encryption is on (the room key is loaded as the user on a cache miss). */
  async function storedContent(userId: string, roomId: string, messageId: string, content: string): Promise<string> {
    const codec = messageContentCodec(db);
    const ref = { roomId, messageId };
    const cached = codec.encodeCached(ref, content);
    if (cached !== undefined) return cached;
    return withUser(db, userId, async (trx) => {
      if (!(await rooms.findRoomOfUser(trx, roomId, userId))) throw roomNotFound();
      return codec.encode(trx, ref, content);
    });
  }

  /**
   * Takes a send into the write path (docs/architecture.md, "The write path"):
   * checks what can be checked without the database, then queues it for the
   * next group commit. Resolves once it is queued — so a socket's sends keep
   * their order — with `committed`, which settles after the commit: the
   * stored message, or the original (`created: false`) on a repeated `clientId`.
   */
  async function submit(userId: string, roomId: string, input: SendInput): Promise<{ committed: Promise<SendResult> }> {
    // One token of the sender's bucket per send, REST and socket alike (PARLEY_RATE_LIMIT_MESSAGES_PER_10S).
    await enforceRate(sendLimiter, `send:${userId}`, 'messages');
    if (!config.messagingEnabled) throw new ParleyError('messaging_disabled', 'Messaging is disabled');
    if (!isRoomId(roomId)) throw roomNotFound();
    checkContent(config, input.content);
    const metadata = checkMetadata(input.type, input.metadata);
    await agentWrites.check(userId, input.metadata);
    const id = randomUUID();
    const content = await storedContent(userId, roomId, id, input.content);
    const element = {
      op: 'send' as const,
      user: userId,
      room: roomId,
      id,
      client_id: input.clientId,
      type: input.type,
      content,
      metadata,
    };
    const committed = writes.submit({ element, content: input.content }).then(async (outcome): Promise<SendResult> => {
      if (outcome.kind === 'sent') return { message: outcome.message, created: true };
      const original = await withUser(db, userId, (trx) =>
        messages.findMessage(trx, roomId, outcome.messageId, userId),
      );
      if (!original) throw roomNotFound();
      return { message: original, created: false };
    });
    // The caller may await `committed` later (or, for a closed socket, never): do not report it unhandled.
    committed.catch(() => undefined);
    return { committed };
  }

  return {
    submit,

    /** Sends a message and resolves after the commit (REST): {@link submit}, awaited. */
    async send(userId: string, roomId: string, input: SendInput): Promise<SendResult> {
      return (await submit(userId, roomId, input)).committed;
    },

    /** Replaces the content of one's own message; logs `message.updated`. A deleted message cannot be edited (409). */
    async edit(userId: string, roomId: string, messageId: string, content: string): Promise<Message> {
      if (!isRoomId(roomId)) throw roomNotFound();
      checkContent(config, content);
      // Sealed content is bound to its message id: an id that is not one names no message.
      const stored = isRoomId(messageId) ? await storedContent(userId, roomId, messageId, content) : content;
      const answer = await changeMessage(db, {
        op: 'edit',
        user: userId,
        room: roomId,
        message: messageId,
        content: stored,
      });
      if ('error' in answer) throw changeRefused(answer.error, 'edit');
      // The answer carries the stored (possibly sealed) content; the caller and the members get the words.
      const message = { ...answer.message!, content };
      await publishAll(deps, changeEvent(roomId, answer, { message }));
      return message;
    },

    /**
     * Soft-deletes one's own message (content and metadata erased, the
     * tombstone keeps its seq); logs `message.deleted` and pushes the other
     * members' new unread counts. Deleting it again answers the tombstone.
     */
    async remove(userId: string, roomId: string, messageId: string): Promise<Message> {
      if (!isRoomId(roomId)) throw roomNotFound();
      const answer = await changeMessage(db, { op: 'delete', user: userId, room: roomId, message: messageId });
      if ('error' in answer) throw changeRefused(answer.error, 'delete');
      const frames = (answer.unread ?? [])
        .filter(([member]) => member !== userId)
        .map(([member, roomUnread, total]) => unreadFrame(member, roomId, roomUnread, total));
      await publishAll(deps, [...changeEvent(roomId, answer), ...frames]);
      return answer.message!;
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
        const page = pageOf(rows, input.limit, (last) => String(last.seq));
        return { messages: page.items, next_cursor: page.nextCursor };
      });
    },
  };
}
