import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message } from '@parley/sdk/protocol';
import { createMessageContentCodec } from '../../src/crypto/content-codec.js';
import { generateKey, sealContent } from '../../src/crypto/envelope.js';
import type { RoomKeyStore } from '../../src/crypto/room-keys.js';
import type { Db } from '../../src/db/database.js';
import type { Logger } from '../../src/logger.js';

const roomId = randomUUID();
const dataKey = generateKey();
/** A key store that knows one room's v1 key (the database part is covered by the integration tests). */
const keys = {
  keyOf: async (_db: Db, room: string, version: number) => (room === roomId && version === 1 ? dataKey : null),
} as unknown as RoomKeyStore;
const db = {} as Db;

function message(content: string | null, id = randomUUID()): Message {
  return {
    id,
    room_id: roomId,
    seq: 1,
    sender_id: 'alice',
    type: 'text',
    content,
    metadata: {},
    reactions: [],
    client_id: null,
    created_at: new Date().toISOString(),
    edited_at: null,
    deleted_at: null,
  };
}

function recordingLogger() {
  const warnings: unknown[][] = [];
  return {
    warnings,
    logger: { warn: (...args: unknown[]) => warnings.push(args), error: () => {} } as unknown as Logger,
  };
}

describe('MessageContentCodec.decodeMessages', () => {
  it('opens sealed content, passes plaintext and tombstones through, and marks what cannot be opened', async () => {
    const { warnings, logger } = recordingLogger();
    const codec = createMessageContentCodec({ keys, sealing: true, logger });
    const sealed = message(null);
    sealed.content = sealContent(dataKey, { roomId, messageId: sealed.id, keyVersion: 1 }, 'secret words');
    const moved = message(sealed.content);
    const unknownVersion = message(sealed.content.replace(/^pe1:1:/, 'pe1:2:'));
    const legacy = message('written before encryption');
    const tombstone = message(null);

    const out = await codec.decodeMessages(db, [sealed, moved, unknownVersion, legacy, tombstone]);
    expect(out.map((m) => [m.content, m.unreadable])).toEqual([
      ['secret words', undefined],
      [null, true],
      [null, true],
      ['written before encryption', undefined],
      [null, undefined],
    ]);
    // Logged with where it happened, never with content or key material.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]![0]).toMatchObject({
      roomId,
      messageId: moved.id,
      reason: expect.stringMatching(/authentication/),
    });
    expect(warnings[1]![0]).toMatchObject({ messageId: unknownVersion.id, reason: 'room key v2 not found' });
    expect(JSON.stringify(warnings)).not.toContain('secret');
  });

  it('without a master key, answers sealed content as unreadable and stores new content as given', async () => {
    const { logger } = recordingLogger();
    const codec = createMessageContentCodec({ keys: null, sealing: false, logger });
    const sealed = message(null);
    sealed.content = sealContent(dataKey, { roomId, messageId: sealed.id, keyVersion: 1 }, 'secret words');
    expect((await codec.decodeMessages(db, [sealed]))[0]).toMatchObject({ content: null, unreadable: true });
    expect(await codec.encode(db, { roomId, messageId: sealed.id }, 'plain')).toBe('plain');
    expect(() => createMessageContentCodec({ keys: null, sealing: true, logger })).toThrow(/needs a master key/);
  });
});
