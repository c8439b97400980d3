import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/with-user.js';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';
import { TestSocket } from './socket-client.js';

describe.each(availableBackends())('editing, deleting and reacting on %s', (backend) => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let roomId: string;
  const sockets: TestSocket[] = [];
  const send = async (token: string, content: string) =>
    (await server.request('POST', `/api/v1/rooms/${roomId}/messages`, { token, body: { content } })).body;
  const msgPath = (id: string) => `/api/v1/rooms/${roomId}/messages/${id}`;

  beforeAll(async () => {
    server = await startTestServer({ backend, messageMaxLength: 50 });
    alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    bob = server.mintToken({ sub: 'bob', name: 'Bob' });
    await server.request('GET', '/api/v1/me', { token: bob });
    roomId = (
      await server.request('POST', '/api/v1/rooms', {
        token: alice,
        body: { type: 'group', name: 'Edits', user_ids: ['bob'] },
      })
    ).body.id;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server?.close();
  });

  it('edits one’s own message: new content, edited_at, a message.updated event; the room’s activity order is unchanged', async () => {
    const original = await send(alice, 'helo');
    const before = (await server.request('GET', `/api/v1/rooms/${roomId}`, { token: alice })).body;
    const b = await TestSocket.connect(server.wsUrl, bob);
    sockets.push(b);
    const res = await server.request('PATCH', msgPath(original.id), { token: alice, body: { content: 'hello' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: original.id, seq: original.seq, content: 'hello', deleted_at: null });
    expect(res.body.edited_at).toEqual(expect.any(String));
    const event = await b.next('event', (e) => e.kind === 'message.updated');
    expect(event.data).toEqual({ message: res.body });
    const after = (await server.request('GET', `/api/v1/rooms/${roomId}`, { token: alice })).body;
    expect(after.last_message_at).toBe(before.last_message_at);
    expect(after.last_seq).toBe(before.last_seq + 1);
  });

  it('refuses editing or deleting someone else’s message (403) and system messages (403)', async () => {
    const mine = await send(alice, 'mine');
    for (const [method, body] of [
      ['PATCH', { content: 'hacked' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await server.request(method, msgPath(mine.id), { token: bob, body });
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    await server.request('PATCH', `/api/v1/rooms/${roomId}`, { token: alice, body: { name: 'Renamed' } });
    const system = (await server.request('GET', `/api/v1/rooms/${roomId}/messages?limit=1`, { token: alice })).body
      .messages[0];
    expect(system.type).toBe('system');
    expect((await server.request('DELETE', msgPath(system.id), { token: alice })).status).toBe(403);
  });

  it('validates edits: empty 400, too long 413, unknown message 404', async () => {
    const mine = await send(alice, 'short');
    expect(
      (await server.request('PATCH', msgPath(mine.id), { token: alice, body: { content: ' ' } })).body.error.code,
    ).toBe('validation_failed');
    const long = await server.request('PATCH', msgPath(mine.id), { token: alice, body: { content: 'x'.repeat(51) } });
    expect(long).toMatchObject({ status: 413, body: { error: { code: 'message_too_long' } } });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await server.request('PATCH', msgPath(id), { token: alice, body: { content: 'x' } });
      expect(res).toMatchObject({ status: 404, body: { error: { code: 'message_not_found' } } });
    }
  });

  it('soft-deletes one’s own message: a tombstone in place everywhere, its words erased from storage and the log', async () => {
    const first = await send(bob, 'keep');
    const doomed = (
      await server.request('POST', `/api/v1/rooms/${roomId}/messages`, {
        token: alice,
        body: { content: 'secret words', type: 'ai_share', metadata: { source_conversation_id: 'c1' } },
      })
    ).body;
    await server.request('POST', `${msgPath(doomed.id)}/reactions`, { token: bob, body: { emoji: '👍' } });
    const b = await TestSocket.connect(server.wsUrl, bob);
    sockets.push(b);

    const res = await server.request('DELETE', msgPath(doomed.id), { token: alice });
    expect(res.status).toBe(200);
    const tombstone = { id: doomed.id, seq: doomed.seq, content: null, metadata: {}, reactions: [], type: 'ai_share' };
    expect(res.body).toMatchObject(tombstone);
    expect(res.body.deleted_at).toEqual(expect.any(String));
    expect((await b.next('event', (e) => e.kind === 'message.deleted')).data).toEqual({ message: res.body });

    const page = await server.request('GET', `/api/v1/rooms/${roomId}/messages?limit=2`, { token: bob });
    expect(page.body.messages[0]).toMatchObject(tombstone);
    expect(page.body.messages[1].id).toBe(first.id);
    const room = await server.request('GET', `/api/v1/rooms/${roomId}`, { token: bob });
    expect(room.body.last_message).toMatchObject(tombstone);
    const listed = await server.request('GET', '/api/v1/rooms', { token: bob });
    expect(listed.body.rooms.find((r: { id: string }) => r.id === roomId).last_message).toMatchObject(tombstone);

    // Nothing of the words is left to leak, in the row or in the replayable log.
    const leftovers = await asSystem(server.db, async (trx) => ({
      row: await trx('chat_messages').where('id', doomed.id).first('content', 'metadata'),
      events: (await trx('room_events').where('room_id', roomId)).filter((e) =>
        JSON.stringify(e.data).includes('secret words'),
      ),
    }));
    expect(leftovers).toEqual({ row: { content: null, metadata: {} }, events: [] });

    // Deleting again answers the tombstone and logs nothing; editing it is a conflict; so is reacting.
    const again = await server.request('DELETE', msgPath(doomed.id), { token: alice });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    const edit = await server.request('PATCH', msgPath(doomed.id), { token: alice, body: { content: 'back' } });
    expect(edit).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const react = await server.request('POST', `${msgPath(doomed.id)}/reactions`, {
      token: bob,
      body: { emoji: '🎉' },
    });
    expect(react).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const unreact = await server.request('DELETE', `${msgPath(doomed.id)}/reactions/${encodeURIComponent('👍')}`, {
      token: bob,
    });
    expect(unreact.status).toBe(409);
  });

  it('adds reactions idempotently, aggregates them per emoji with `me`, and logs absolute counts', async () => {
    const message = await send(alice, 'react to me');
    const a = await TestSocket.connect(server.wsUrl, alice);
    sockets.push(a);
    const react = (token: string, emoji: string) =>
      server.request('POST', `${msgPath(message.id)}/reactions`, { token, body: { emoji } });

    const first = await react(bob, '👍');
    expect(first).toMatchObject({ status: 200, body: { reactions: [{ emoji: '👍', count: 1, me: true }] } });
    const twice = await react(bob, '👍');
    expect(twice.body.reactions).toEqual([{ emoji: '👍', count: 1, me: true }]);
    const fromAlice = await react(alice, '👍');
    expect(fromAlice.body.reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
    await react(alice, '🇫🇷');

    const added = [];
    for (let i = 0; i < 3; i++) added.push(await a.next('event', (e) => e.kind === 'reaction.added'));
    expect(added.map((e) => e.data)).toEqual([
      { message_id: message.id, user_id: 'bob', emoji: '👍', count: 1 },
      { message_id: message.id, user_id: 'alice', emoji: '👍', count: 2 },
      { message_id: message.id, user_id: 'alice', emoji: '🇫🇷', count: 1 },
    ]);

    // Messages come with their reactions from the reader's side.
    const page = await server.request('GET', `/api/v1/rooms/${roomId}/messages?after=${message.seq - 1}&limit=1`, {
      token: bob,
    });
    expect(page.body.messages[0].reactions).toEqual([
      { emoji: '👍', count: 2, me: true },
      { emoji: '🇫🇷', count: 1, me: false },
    ]);

    // Removing takes a URL-encoded emoji; removing a missing one is fine and logs nothing.
    const removed = await server.request('DELETE', `${msgPath(message.id)}/reactions/${encodeURIComponent('👍')}`, {
      token: bob,
    });
    expect(removed.body.reactions).toEqual([
      { emoji: '👍', count: 1, me: false },
      { emoji: '🇫🇷', count: 1, me: false },
    ]);
    expect((await a.next('event', (e) => e.kind === 'reaction.removed')).data).toEqual({
      message_id: message.id,
      user_id: 'bob',
      emoji: '👍',
      count: 1,
    });
    const seqBefore = (await server.request('GET', `/api/v1/rooms/${roomId}`, { token: bob })).body.last_seq;
    const missing = await server.request('DELETE', `${msgPath(message.id)}/reactions/${encodeURIComponent('🎉')}`, {
      token: bob,
    });
    expect(missing.status).toBe(200);
    expect((await server.request('GET', `/api/v1/rooms/${roomId}`, { token: bob })).body.last_seq).toBe(seqBefore);
  });

  it('accepts only a single emoji as a reaction (400 otherwise)', async () => {
    const message = await send(alice, 'emoji check');
    for (const emoji of ['ok', '<b>', '👍👍', '', 'a\u0301']) {
      const res = await server.request('POST', `${msgPath(message.id)}/reactions`, { token: bob, body: { emoji } });
      expect(res.status, JSON.stringify(emoji)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const viaPath = await server.request('DELETE', `${msgPath(message.id)}/reactions/ok`, { token: bob });
    expect(viaPath.status).toBe(400);
    expect(
      (await server.request('POST', `${msgPath(message.id)}/reactions`, { token: bob, body: { emoji: '👩‍👩‍👧‍👦' } })).status,
    ).toBe(200);
  });
});
