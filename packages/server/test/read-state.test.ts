import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';
import { TestSocket } from './socket-client.js';

describe.each(availableBackends())('read state and unread counts on %s', (backend) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const sockets: TestSocket[] = [];
  const as = (user: string) => ({ token: tokens[user]! });
  const connect = async (user: string) => {
    const s = await TestSocket.connect(server.wsUrl, tokens[user]!);
    sockets.push(s);
    return s;
  };
  const send = async (user: string, roomId: string, content: string) =>
    (await server.request('POST', `/api/v1/rooms/${roomId}/messages`, { ...as(user), body: { content } })).body;
  const read = (user: string, roomId: string, body: object = {}) =>
    server.request('POST', `/api/v1/rooms/${roomId}/read`, { ...as(user), body });
  const unreadIn = async (user: string, roomId: string) =>
    (await server.request('GET', `/api/v1/rooms/${roomId}`, as(user))).body.unread_count;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    for (const id of ['alice', 'bob', 'carol']) {
      tokens[id] = server.mintToken({ sub: id, name: id[0]!.toUpperCase() + id.slice(1) });
      await server.request('GET', '/api/v1/me', as(id));
    }
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server?.close();
  });

  it('counts others’ undeleted, non-system messages after the marker, and pushes every participant’s counts to all their sockets', async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', {
        ...as('alice'),
        body: { type: 'group', user_ids: ['bob', 'carol'] },
      })
    ).body;
    const other = (
      await server.request('POST', '/api/v1/rooms', { ...as('carol'), body: { type: 'direct', user_ids: ['bob'] } })
    ).body;
    await send('carol', other.id, 'elsewhere');
    const bobTab1 = await connect('bob');
    const bobTab2 = await connect('bob');
    const alice = await connect('alice');

    const m1 = await send('alice', room.id, 'one');
    for (const tab of [bobTab1, bobTab2]) {
      expect(await tab.next('unread', (f) => f.room_id === room.id)).toEqual({
        type: 'unread',
        room_id: room.id,
        unread_count: 1,
        total: 2,
      });
    }
    await send('bob', room.id, 'mine'); // not unread for bob
    await send('alice', room.id, 'two');
    expect(await bobTab1.next('unread', (f) => f.room_id === room.id)).toMatchObject({ unread_count: 2, total: 3 });
    // A system message is not unread.
    await server.request('PATCH', `/api/v1/rooms/${room.id}`, { ...as('carol'), body: { name: 'Named' } });
    expect(await unreadIn('bob', room.id)).toBe(2);
    expect(await unreadIn('carol', room.id)).toBe(3);
    // Alice hears of Bob's message only: her own messages and system messages leave her counts alone.
    alice.send({ type: 'ping', ref: 'sync' });
    await alice.next('pong');
    expect(alice.frames.filter((f) => f.type === 'unread')).toEqual([
      { type: 'unread', room_id: room.id, unread_count: 1, total: 1 },
    ]);

    // Deleting a message lowers the others' counts, pushed too.
    await server.request('DELETE', `/api/v1/rooms/${room.id}/messages/${m1.id}`, as('alice'));
    expect(await bobTab2.next('unread', (f) => f.room_id === room.id && f.unread_count === 1)).toMatchObject({
      total: 2,
    });

    expect((await server.request('GET', '/api/v1/unread', as('bob'))).body).toEqual({
      total: 2,
      rooms: { [room.id]: 1, [other.id]: 1 },
    });
  });

  it('keeps every counter equal to a recount of the rule after a mix of sends, deletes, reads and joins', async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', { ...as('alice'), body: { type: 'group', user_ids: ['bob'] } })
    ).body;
    const sent: { id: string; by: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const by = ['alice', 'bob', 'carol'][i % 3]!;
      if (by === 'carol' && i === 2)
        await server.request('POST', `/api/v1/rooms/${room.id}/participants`, {
          ...as('alice'),
          body: { user_ids: ['carol'] },
        });
      if (by === 'carol' && i < 2) continue;
      sent.push({ id: (await send(by, room.id, `m${i}`)).id, by });
      if (i === 4) await read('bob', room.id);
      if (i === 7) await read('carol', room.id, { seq: 3 });
    }
    for (const m of sent.filter((_, i) => i % 4 === 1)) {
      await server.request('DELETE', `/api/v1/rooms/${room.id}/messages/${m.id}`, as(m.by));
    }
    await read('alice', room.id);

    const { rows } = await server.db.raw<{ rows: { user_id: string; counter: number; recount: number }[] }>(
      `select rp.user_id, rp.unread_count as counter,
              (select count(*)::int from chat_messages m
                where m.room_id = rp.room_id and m.seq > rp.last_read_seq and m.deleted_at is null
                  and m.message_type <> 'system' and m.sender_id is distinct from rp.user_id) as recount
         from room_participants rp where rp.room_id = ? order by rp.user_id`,
      [room.id],
    );
    expect(rows.map((r) => r.user_id)).toEqual(['alice', 'bob', 'carol']);
    for (const r of rows) expect(r.counter, r.user_id).toBe(r.recount);
    expect(rows.some((r) => r.counter > 0)).toBe(true);
    for (const user of ['alice', 'bob', 'carol']) {
      expect(await unreadIn(user, room.id)).toBe(rows.find((r) => r.user_id === user)!.counter);
    }
  });

  it('moves the read marker forward only, clamps it to the newest message, and fans it out without taking a seq', async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', { ...as('alice'), body: { type: 'group', user_ids: ['bob'] } })
    ).body;
    const sent = [];
    for (const content of ['a', 'b', 'c']) sent.push(await send('alice', room.id, content));
    const lastSeq = (await server.request('GET', `/api/v1/rooms/${room.id}`, as('bob'))).body.last_seq;
    const aliceSocket = await connect('alice');
    const bobOther = await connect('bob');

    const partial = await read('bob', room.id, { seq: sent[1].seq });
    expect(partial.body).toEqual({ unread_count: 1, total_unread: expect.any(Number) });
    const seen = await aliceSocket.next('reads', (f) => f.room_id === room.id);
    expect(seen.reads).toEqual([{ user_id: 'bob', last_read_seq: sent[1].seq, last_read_at: expect.any(String) }]);
    expect(await bobOther.next('unread', (f) => f.room_id === room.id)).toMatchObject({ unread_count: 1 });

    // Backwards: nothing moves.
    expect((await read('bob', room.id, { seq: 1 })).body.unread_count).toBe(1);
    // Past the end: clamped to the newest message.
    expect((await read('bob', room.id, { seq: 10_000 })).body.unread_count).toBe(0);
    expect((await aliceSocket.next('reads', (f) => f.room_id === room.id)).reads).toEqual([
      { user_id: 'bob', last_read_seq: sent[2].seq, last_read_at: expect.any(String) },
    ]);
    const participants = (await server.request('GET', `/api/v1/rooms/${room.id}/participants`, as('alice'))).body
      .participants;
    expect(participants.find((p: { id: string }) => p.id === 'bob')).toMatchObject({
      last_read_seq: sent[2].seq,
      last_read_at: expect.any(String),
    });
    // Read markers are kept off the room's seq (and its lock): the room's log did not grow.
    expect((await server.request('GET', `/api/v1/rooms/${room.id}`, as('bob'))).body.last_seq).toBe(lastSeq);
    expect((await read('bob', room.id)).status).toBe(200);
    // Nothing moved, so nothing was fanned out: the next frame alice gets is the next real change.
    await send('bob', room.id, 'after');
    await aliceSocket.next(
      'event',
      (e) => e.room_id === room.id && e.kind === 'message.created' && e.data.message.content === 'after',
    );
    // Frames reach a socket in the order they were published, so a `reads` frame for the
    // unmoved read would be here by now.
    expect(aliceSocket.frames.filter((f) => f.type === 'reads')).toEqual([]);
  });

  it('validates the read body and scopes it to members', async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', { ...as('alice'), body: { type: 'direct', user_ids: ['bob'] } })
    ).body;
    for (const body of [{ seq: -1 }, { seq: 'x' }, { seq: 1.5 }]) {
      expect((await read('bob', room.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await read('carol', room.id)).body.error.code).toBe('room_not_found');
  });
});

describe.each(availableBackends())('idempotent sends over REST and the socket on %s', (backend) => {
  let server: TestServer;
  let alice: string;
  let roomId: string;
  let socket: TestSocket;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    roomId = (await server.request('POST', '/api/v1/rooms', { token: alice, body: { type: 'group', user_ids: [] } }))
      .body.id;
    socket = await TestSocket.connect(server.wsUrl, alice);
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
  });

  it('acks a repeated socket send with the original message and logs one event', async () => {
    socket.send({ type: 'send', ref: 's1', room_id: roomId, content: 'once', client_id: 'sock-dup' });
    const first = await socket.next('ack', (f) => f.ref === 's1');
    socket.send({ type: 'send', ref: 's2', room_id: roomId, content: 'once again', client_id: 'sock-dup' });
    const second = await socket.next('ack', (f) => f.ref === 's2');
    expect(second.message).toEqual(first.message);
    const events = await server.request('GET', `/api/v1/rooms/${roomId}/messages`, { token: alice });
    expect(events.body.messages.filter((m: { client_id: string }) => m.client_id === 'sock-dup')).toHaveLength(1);
  });

  it('treats a client_id sent over REST and retried over the socket as one message', async () => {
    const rest = await server.request('POST', `/api/v1/rooms/${roomId}/messages`, {
      token: alice,
      body: { content: 'hi', client_id: 'both-ways' },
    });
    expect(rest.status).toBe(201);
    socket.send({ type: 'send', ref: 'r1', room_id: roomId, content: 'hi', client_id: 'both-ways' });
    expect((await socket.next('ack', (f) => f.ref === 'r1')).message.id).toBe(rest.body.id);
    const room = await server.request('GET', `/api/v1/rooms/${roomId}`, { token: alice });
    expect(room.body.last_message.id).toBe(rest.body.id);
  });
});
