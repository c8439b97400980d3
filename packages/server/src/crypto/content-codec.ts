import type { Knex } from 'knex';
import type { Message, RoomEvent } from '@parley/sdk/protocol';
import type { Db } from '../db/database.js';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { EnvelopeError, openContent, parseSealedContent, sealContent } from './envelope.js';
import { RoomKeyError, type RoomKeyStore } from './room-keys.js';

/** Which message a piece of content belongs to (bound into the ciphertext). */
export interface ContentRef {
  roomId: string;
  messageId: string;
}

/**
 * Turns message content into its stored form and back. The SQL modules for
 * messages and room events call it where content goes into and comes out of
 * the database, so the rest of the server only ever sees plaintext.
 *
 * With encryption on, new content is sealed (AES-256-GCM under the room's
 * data key). Reading opens sealed content whether or not encryption is on now,
 * and passes plaintext written while it was off through unchanged. Content
 * that cannot be opened (tampered, moved, key missing) comes out as
 * `content: null, unreadable: true`, and is logged — never garbage, never a crash.
 */
export interface MessageContentCodec {
  /** Whether new content is sealed. */
  readonly sealing: boolean;
  /** The stored form of a message's content. */
  encode(db: Db, ref: ContentRef, content: string): Promise<string>;
  /**
   * The stored form without touching the database, when that is possible
   * (no sealing, or the room's key is in memory); undefined otherwise, and the
   * caller uses {@link encode} inside a transaction as the user.
   */
  encodeCached(ref: ContentRef, content: string): string | undefined;
  /** Messages as stored → as the API shows them. */
  decodeMessages(db: Db, messages: Message[]): Promise<Message[]>;
  /** Room event data as given → as stored: the message inside `message.*` data is sealed. */
  encodeEventData<T>(db: Db, roomId: string, data: T): Promise<T>;
  /** Room events as stored → as the API shows them. */
  decodeEvents(db: Db, events: RoomEvent[]): Promise<RoomEvent[]>;
}

export interface CodecOptions {
  /** Room keys under the master key; null when no master key is configured. */
  keys: RoomKeyStore | null;
  /** Seal new content (MESSAGE_ENCRYPTION_AT_REST); needs `keys`. */
  sealing: boolean;
  logger: Logger;
}

/** Builds the codec a server runs with (see {@link MessageContentCodec}). */
export function createMessageContentCodec({ keys, sealing, logger }: CodecOptions): MessageContentCodec {
  if (sealing && !keys) throw new Error('sealing message content needs a master key');

  const unreadable = (message: Message, reason: string): Message => {
    logger.warn({ roomId: message.room_id, messageId: message.id, reason }, 'message content is unreadable');
    return { ...message, content: null, unreadable: true };
  };

  async function decodeMessages(db: Db, messages: Message[]): Promise<Message[]> {
    const out: Message[] = [];
    for (const message of messages) {
      const sealed = message.content === null ? null : parseSealedContent(message.content);
      if (!sealed) {
        out.push(message); // no content, or plaintext stored while encryption was off
        continue;
      }
      if (!keys) {
        out.push(unreadable(message, 'sealed content but no MESSAGE_ENCRYPTION_MASTER_KEY is configured'));
        continue;
      }
      const { keyVersion } = sealed;
      try {
        const key = await keys.keyOf(db, message.room_id, keyVersion);
        if (!key) {
          out.push(unreadable(message, `room key v${keyVersion} not found`));
          continue;
        }
        const content = openContent(key, { roomId: message.room_id, messageId: message.id, keyVersion }, sealed);
        out.push({ ...message, content });
      } catch (err) {
        if (err instanceof EnvelopeError || err instanceof RoomKeyError) {
          out.push(unreadable(message, err.message));
          continue;
        }
        throw err;
      }
    }
    return out;
  }

  async function encode(db: Db, ref: ContentRef, content: string): Promise<string> {
    if (!sealing) return content;
    let key;
    try {
      key = await keys!.currentKey(db, ref.roomId);
    } catch (err) {
      if (err instanceof RoomKeyError) {
        // Fail closed: never store plaintext the operator asked to encrypt.
        logger.error({ err, roomId: ref.roomId }, 'cannot seal message content');
        throw new ParleyError('unavailable', 'Message encryption is unavailable on this server', { cause: err });
      }
      throw err;
    }
    return sealContent(key.key, { roomId: ref.roomId, messageId: ref.messageId, keyVersion: key.version }, content);
  }

  return {
    sealing,
    encode,
    encodeCached(ref, content) {
      if (!sealing) return content;
      const key = keys!.cachedCurrentKey(ref.roomId);
      if (!key) return undefined;
      return sealContent(key.key, { roomId: ref.roomId, messageId: ref.messageId, keyVersion: key.version }, content);
    },
    decodeMessages,

    async encodeEventData<T>(db: Db, roomId: string, data: T): Promise<T> {
      const message = messageOf(data);
      if (!sealing || !message || message.content === null) return data;
      const content = await encode(db, { roomId, messageId: message.id }, message.content);
      return { ...data, message: { ...message, content } };
    },

    async decodeEvents(db, events) {
      const out: RoomEvent[] = [];
      for (const event of events) {
        const message = messageOf(event.data);
        if (!message) {
          out.push(event);
          continue;
        }
        const [opened] = await decodeMessages(db, [message]);
        out.push({ ...event, data: { ...event.data, message: opened } } as RoomEvent);
      }
      return out;
    },
  };
}

/** The message inside `message.*` event data, if the data carries one. */
function messageOf(data: unknown): Message | null {
  if (typeof data !== 'object' || data === null || !('message' in data)) return null;
  const message = data.message;
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Partial<Message>;
  return typeof m.id === 'string' && typeof m.room_id === 'string' ? (message as Message) : null;
}

// ---------------------------------------------------------------------------
// The codec travels with the database handle
// ---------------------------------------------------------------------------

const CODEC_PARAM = 'parleyMessageContentCodec';

/**
 * Attaches the codec to a database handle. Knex hands a handle's `userParams`
 * to every transaction (and savepoint) opened from it, so the SQL modules find
 * the codec on whatever `trx` they are given, without every service, the
 * socket's replay and the seeding threading it through each call.
 */
export function attachMessageContentCodec(db: Knex, codec: MessageContentCodec): void {
  db.userParams = { ...db.userParams, [CODEC_PARAM]: codec };
}

/**
 * The codec attached to a handle. A handle without one (a test's own database,
 * a migration) stores plaintext and cannot open sealed content; the server
 * always attaches one (see openMessageEncryption).
 */
export function messageContentCodec(db: Db): MessageContentCodec {
  const codec = (db.userParams as Record<string, unknown> | undefined)?.[CODEC_PARAM] as
    MessageContentCodec | undefined;
  return codec ?? PLAINTEXT_CODEC;
}

const PLAINTEXT_CODEC = createMessageContentCodec({
  keys: null,
  sealing: false,
  logger: { warn() {}, error() {} } as unknown as Logger,
});
