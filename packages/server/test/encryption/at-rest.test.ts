import { afterAll, describe, expect, it } from 'vitest';
import type { Message, ServerFrame } from '@parley/sdk/protocol';
import { withUser } from '../../src/db/with-user.js';
import { suiteServer } from '../../src/test-support/suite-server.js';
import { availableBackends } from '../../src/testing.js';
import { TestSocket, TestSockets } from '../socket-client.js';
import {
  createGroup,
  encryptedWith,
  history,
  newMasterKey,
  send,
  signIn,
  storedContents,
  storedEventText,
} from './helpers.js';

type EventFrame = Extract<ServerFrame, { type: 'event' }>;

/** Flips one bit in the ciphertext part of a sealed string. */
function flipCiphertextBit(sealed: string): string {
  const parts = sealed.split(':');
  const body = Buffer.from(parts[3]!, 'base64');
  body[0] = body[0]! ^ 0x01;
  parts[3] = body.toString('base64');
  return parts.join(':');
}

describe.each(availableBackends())('message encryption at rest on %s', (backend) => {
  const suite = suiteServer({ backend, ...encryptedWith(newMasterKey()) }, signIn, 'alice', 'bob', 'mallory');
  const sockets = new TestSockets(() => suite.server.wsUrl);
  afterAll(() => sockets.closeAll());

  it('round-trips through REST and the socket, while storing no plaintext in chat_messages or room_events', async () => {
    const room = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    const bobSocket = await TestSocket.connect(suite.server.wsUrl, suite.tokens.bob!);
    const aliceSocket = await TestSocket.connect(suite.server.wsUrl, suite.tokens.alice!);
    sockets.add(bobSocket, aliceSocket);

    const text = await send(suite.server, suite.tokens.alice!, room, 'zebra-plaintext-1 with ünïcödé 🦓');
    expect(text.content).toBe('zebra-plaintext-1 with ünïcödé 🦓');
    const shared = await send(suite.server, suite.tokens.bob!, room, 'zebra-plaintext-2 shared from an assistant', {
      type: 'ai_share',
      metadata: { source_conversation_id: 'conv-1' },
    });
    expect(shared).toMatchObject({ type: 'ai_share', content: 'zebra-plaintext-2 shared from an assistant' });

    aliceSocket.send({
      type: 'send',
      ref: 'r1',
      room_id: room,
      content: 'zebra-plaintext-3 over the socket',
      client_id: crypto.randomUUID(),
    });
    const ack = await aliceSocket.next('ack', (f) => f.ref === 'r1');
    expect(ack.message.content).toBe('zebra-plaintext-3 over the socket');

    const edited = await suite.server.request('PATCH', `/api/v1/rooms/${room}/messages/${text.id}`, {
      token: suite.tokens.alice!,
      body: { content: 'zebra-plaintext-4 after the edit' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.content).toBe('zebra-plaintext-4 after the edit');

    // Live events carry plaintext to members.
    const created = await bobSocket.next('event', (f) => f.kind === 'message.created' && f.seq === ack.message.seq);
    expect((created as EventFrame & { kind: 'message.created' }).data.message.content).toBe(
      'zebra-plaintext-3 over the socket',
    );
    const updated = await bobSocket.next('event', (f) => f.kind === 'message.updated');
    expect((updated as EventFrame & { kind: 'message.updated' }).data.message.content).toBe(
      'zebra-plaintext-4 after the edit',
    );

    // History, the room list's preview and a single room read back in plaintext.
    expect((await history(suite.server, suite.tokens.bob!, room)).map((m) => m.content)).toEqual([
      'zebra-plaintext-4 after the edit',
      'zebra-plaintext-2 shared from an assistant',
      'zebra-plaintext-3 over the socket',
    ]);
    const list = await suite.server.request('GET', '/api/v1/rooms', { token: suite.tokens.bob! });
    const listed = list.body.rooms.find((r: { id: string }) => r.id === room);
    expect(listed.last_message.content).toBe('zebra-plaintext-3 over the socket');

    // Replay after a reconnect decrypts the logged copies too.
    const resumed = await TestSocket.open(suite.server.wsUrl);
    sockets.add(resumed);
    resumed.send({ type: 'auth', token: suite.tokens.bob!, resume: { [room]: 0 } });
    await resumed.next('ready');
    const replayed = resumed.frames
      .filter((f): f is EventFrame => f.type === 'event' && f.room_id === room && f.kind.startsWith('message.'))
      .map((f) => (f.data as { message: Message }).message.content);
    expect(replayed).toEqual([
      'zebra-plaintext-1 with ünïcödé 🦓',
      'zebra-plaintext-2 shared from an assistant',
      'zebra-plaintext-3 over the socket',
      'zebra-plaintext-4 after the edit',
    ]);

    // What a stolen dump would hold: sealed strings, no words.
    const stored = [...(await storedContents(suite.server.db, [room])).values()];
    expect(stored).toHaveLength(3);
    for (const content of stored) expect(content).toMatch(/^pe1:1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    const dump = stored.join('\n') + (await storedEventText(suite.server.db, [room]));
    expect(dump).not.toContain('zebra');
    expect(dump).not.toContain('plaintext');
    // The log holds a sealed copy of every message version (created ×3, updated ×1).
    expect(dump.match(/pe1:1:/g)).toHaveLength(3 + 4);
  });

  it('keeps room keys behind row-level security: a non-member cannot read them', async () => {
    const room = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    await send(suite.server, suite.tokens.alice!, room, 'hello');
    const visibleTo = (user: string) =>
      withUser(suite.server.db, user, (trx) =>
        trx('room_encryption_keys').where({ room_id: room }).select('key_version'),
      );
    expect(await visibleTo('bob')).toHaveLength(1);
    expect(await visibleTo('mallory')).toHaveLength(0);
    const [row] = await suite.server
      .db('room_encryption_keys')
      .where({ room_id: room })
      .select('wrapped_key', 'master_key_version');
    expect(row).toMatchObject({ master_key_version: 1, wrapped_key: expect.stringMatching(/^pk1:/) });
  });

  it('answers a tampered message as unreadable (content null, unreadable true), and the others as usual', async () => {
    const room = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    const before = await send(suite.server, suite.tokens.alice!, room, 'first, untouched');
    const victim = await send(suite.server, suite.tokens.alice!, room, 'second, to be tampered with');
    const after = await send(suite.server, suite.tokens.bob!, room, 'third, untouched');

    const stored = (await storedContents(suite.server.db, [room])).get(victim.id)!;
    await suite.server
      .db('chat_messages')
      .where({ id: victim.id })
      .update({ content: flipCiphertextBit(stored) });
    const eventData = (await suite.server.db('room_events').where({ room_id: room, seq: victim.seq }).first('data'))
      .data;
    eventData.message.content = flipCiphertextBit(eventData.message.content);
    await suite.server
      .db('room_events')
      .where({ room_id: room, seq: victim.seq })
      .update({ data: JSON.stringify(eventData) });

    const messages = await history(suite.server, suite.tokens.bob!, room);
    expect(messages.map((m) => [m.id, m.content, m.unreadable])).toEqual([
      [before.id, 'first, untouched', undefined],
      [victim.id, null, true],
      [after.id, 'third, untouched', undefined],
    ]);
    expect(messages[1]).toMatchObject({ deleted_at: null, sender_id: 'alice' });

    const resumed = await TestSocket.open(suite.server.wsUrl);
    sockets.add(resumed);
    resumed.send({ type: 'auth', token: suite.tokens.bob!, resume: { [room]: 0 } });
    await resumed.next('ready');
    const replayed = resumed.frames
      .filter((f): f is EventFrame => f.type === 'event' && f.room_id === room && f.kind === 'message.created')
      .map((f) => (f.data as { message: Message }).message);
    expect(replayed.map((m) => [m.content, m.unreadable])).toEqual([
      ['first, untouched', undefined],
      [null, true],
      ['third, untouched', undefined],
    ]);
  });

  it('refuses ciphertext moved to another message or another room', async () => {
    const room = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    const otherRoom = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    const source = await send(suite.server, suite.tokens.alice!, room, 'the original words');
    const sameRoomTarget = await send(suite.server, suite.tokens.alice!, room, 'will be overwritten');
    const otherRoomTarget = await send(suite.server, suite.tokens.alice!, otherRoom, 'will be overwritten too');

    const sealed = (await storedContents(suite.server.db, [room])).get(source.id)!;
    await suite.server
      .db('chat_messages')
      .whereIn('id', [sameRoomTarget.id, otherRoomTarget.id])
      .update({ content: sealed });

    const here = await history(suite.server, suite.tokens.bob!, room);
    expect(here.map((m) => [m.content, m.unreadable])).toEqual([
      ['the original words', undefined],
      [null, true],
    ]);
    const there = await history(suite.server, suite.tokens.bob!, otherRoom);
    expect(there.map((m) => [m.content, m.unreadable])).toEqual([[null, true]]);
  });
});
