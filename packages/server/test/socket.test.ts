import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing.js';
import { TestSocket, TestSockets } from './socket-client.js';

describe('realtime socket', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let roomId: string;
  const sockets = new TestSockets(() => server.wsUrl);
  const connect = (token: string) => sockets.connect(token);

  beforeAll(async () => {
    server = await startTestServer({ backend: 'pglite', authTimeoutMs: 300, allowedOrigins: ['https://host.example'] });
    alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    bob = server.mintToken({ sub: 'bob', name: 'Bob' });
    await server.request('GET', '/api/v1/me', { token: bob });
    roomId = (
      await server.request('POST', '/api/v1/rooms', { token: alice, body: { type: 'direct', user_ids: ['bob'] } })
    ).body.id;
  });
  afterAll(async () => {
    sockets.closeAll();
    await server?.close();
  });

  it('sends the first page of rooms before ready when auth asks for it: the page GET /rooms answers', async () => {
    const s = await TestSocket.open(server.wsUrl);
    sockets.add(s);
    s.send({ type: 'auth', token: alice, rooms: { limit: 10 } });
    const rooms = await s.next('rooms');
    await s.next('ready');
    expect(s.arrived.filter((t) => t === 'rooms' || t === 'ready')).toEqual(['rooms', 'ready']);
    const rest = await server.request('GET', '/api/v1/rooms?limit=10', { token: alice });
    expect(rooms.page).toEqual(rest.body);
    expect(rooms.page.rooms.map((r) => r.id)).toContain(roomId);

    // Without the ask, no page; with a limit out of range, a clear error and no session.
    const plain = await TestSocket.connect(server.wsUrl, bob);
    sockets.add(plain);
    expect(plain.arrived).not.toContain('rooms');
    const bad = await TestSocket.open(server.wsUrl);
    sockets.add(bad);
    bad.send({ type: 'auth', token: alice, rooms: { limit: 0 } });
    expect(await bad.next('error')).toMatchObject({ code: 'validation_failed' });
  });

  it('answers auth with ready, naming the user, the heartbeat and the limits a client checks before sending', async () => {
    const s = await TestSocket.open(server.wsUrl);
    sockets.add(s);
    s.send({ type: 'auth', token: alice, resume: { [roomId]: 3 } });
    const ready = await s.next('ready');
    expect(ready.user).toMatchObject({ id: 'alice', name: 'Alice' });
    expect(ready.heartbeat_seconds).toBe(25);
    expect(ready.limits).toEqual({ message_max_length: server.config.messageMaxLength });
    // The client claims seq 3 of a room still at 0: it cannot have that, so it must refetch.
    expect(ready.resume).toEqual({ [roomId]: 'resync' });
  });

  it('acks a send and delivers the event to the other user and to the sender', async () => {
    const a = await connect(alice);
    const aOtherTab = await connect(alice);
    const b = await connect(bob);
    a.send({ type: 'send', ref: 'r1', room_id: roomId, content: 'hello bob', client_id: 'sock-1' });
    const ack = await a.next('ack');
    expect(ack.ref).toBe('r1');
    expect(ack.message).toMatchObject({
      room_id: roomId,
      sender_id: 'alice',
      content: 'hello bob',
      client_id: 'sock-1',
    });

    for (const s of [b, a, aOtherTab]) {
      const event = await s.next('event');
      expect(event).toMatchObject({ room_id: roomId, seq: ack.message.seq, kind: 'message.created' });
      expect((event.data as { message: { id: string } }).message.id).toBe(ack.message.id);
      expect(typeof event.at).toBe('string');
    }

    // The same message is what REST returns.
    const list = await server.request('GET', `/api/v1/rooms/${roomId}/messages`, { token: bob });
    expect(list.body.messages[0].id).toBe(ack.message.id);
  });

  it('answers a REST send with a socket event too', async () => {
    const b = await connect(bob);
    const res = await server.request('POST', `/api/v1/rooms/${roomId}/messages`, {
      token: alice,
      body: { content: 'via rest' },
    });
    const event = await b.next('event', (e) => e.seq === res.body.seq);
    expect(event.kind).toBe('message.created');
  });

  it('answers malformed frames with error frames and keeps the socket usable', async () => {
    const a = await connect(alice);
    a.send('{not json');
    expect(await a.next('error')).toMatchObject({ code: 'bad_request' });
    a.send({ type: 'shout', ref: 'x1' });
    expect(await a.next('error')).toMatchObject({ code: 'unknown_frame', ref: 'x1' });
    a.send({ type: 'send', ref: 'x2', room_id: roomId });
    expect(await a.next('error')).toMatchObject({ code: 'validation_failed', ref: 'x2' });
    a.send({ type: 'send', ref: 'x3', room_id: '00000000-0000-4000-8000-000000000000', content: 'hi' });
    expect(await a.next('error')).toMatchObject({ code: 'room_not_found', ref: 'x3' });
    a.send({ type: 'ping', ref: 'p1' });
    expect(await a.next('pong')).toEqual({ type: 'pong', ref: 'p1' });
  });

  it('closes a socket whose first frame is not a valid auth, and only that socket', async () => {
    const bystander = await connect(bob);
    const bad = await TestSocket.open(server.wsUrl);
    bad.send({ type: 'auth', token: server.mintToken({ sub: 'alice', ttl: -5 }) });
    expect(await bad.next('error')).toMatchObject({ code: 'token_expired' });
    expect((await bad.closed).code).toBe(4401);

    const early = await TestSocket.open(server.wsUrl);
    early.send({ type: 'ping' });
    expect(await early.next('error')).toMatchObject({ code: 'not_authenticated' });
    expect((await early.closed).code).toBe(4401);

    bystander.send({ type: 'ping', ref: 'still-here' });
    expect(await bystander.next('pong')).toMatchObject({ ref: 'still-here' });
  });

  it('closes a socket that does not authenticate in time', async () => {
    const silent = await TestSocket.open(server.wsUrl);
    expect((await silent.closed).code).toBe(4408);
  });

  it('refuses upgrades from origins that are not allowed, and other paths', async () => {
    await expect(TestSocket.open(server.wsUrl, { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(TestSocket.open(server.wsUrl.replace('/api/v1/ws', '/ws'))).rejects.toThrow(/404/);
    const allowed = await TestSocket.open(server.wsUrl, { Origin: 'https://host.example' });
    allowed.close();
  });
});
