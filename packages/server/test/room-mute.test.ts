import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';
import { createGroup, restSend, signIn } from './realtime/helpers.js';
import { type TestSocket, TestSockets } from './socket-client.js';

// PUT /rooms/:id/mute: each member's own setting. A muted room's messages
// still arrive and count in its own unread_count; it stays out of the
// member's unread totals (GET /unread, `unread` and `mute` frames, POST /read).
describe.each(availableBackends())('muting a room on %s', (backend) => {
  let server: TestServer;
  let tokens: Record<string, string> = {};
  const sockets = new TestSockets(
    () => server.wsUrl,
    (user) => tokens[user]!,
  );
  const as = (user: string) => ({ token: tokens[user]! });
  const connect = (user: string) => sockets.connect(user);
  const group = (creator: string, members: string[], name: string) =>
    createGroup(server, tokens[creator]!, members, name);
  const send = (user: string, roomId: string, content: string) => restSend(server, tokens[user]!, roomId, content);
  const mute = (user: string, roomId: string, muted: unknown) =>
    server.request('PUT', `/api/v1/rooms/${roomId}/mute`, { ...as(user), body: { muted } });
  const roomAs = async (user: string, roomId: string) =>
    (await server.request('GET', `/api/v1/rooms/${roomId}`, as(user))).body;
  const listedAs = async (user: string, roomId: string) =>
    (await server.request('GET', '/api/v1/rooms?limit=100', as(user))).body.rooms.find(
      (r: { id: string }) => r.id === roomId,
    );
  const unread = async (user: string) => (await server.request('GET', '/api/v1/unread', as(user))).body;
  /** Every frame the server sent this socket before now has arrived (the socket answers in order). */
  const settle = async (socket: TestSocket, ref: string) => {
    socket.send({ type: 'ping', ref });
    await socket.next('pong', (f) => f.ref === ref);
  };

  beforeAll(async () => {
    server = await startTestServer({ backend });
    tokens = await signIn(server, 'alice', 'bob', 'carol', 'mallory');
  });
  afterAll(async () => {
    sockets.closeAll();
    await server?.close();
  });

  it('keeps the setting per viewer: GET /rooms and GET /rooms/:id show it to the one who muted, false to the others', async () => {
    const room = await group('alice', ['bob'], 'Noisy');
    expect(await roomAs('alice', room)).toMatchObject({ muted: false, created_by: 'alice' });

    const res = await mute('bob', room, true);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: room, muted: true, created_by: 'alice' });
    expect(await roomAs('bob', room)).toMatchObject({ muted: true });
    expect(await listedAs('bob', room)).toMatchObject({ muted: true });
    expect(await roomAs('alice', room)).toMatchObject({ muted: false });
    expect(await listedAs('alice', room)).toMatchObject({ muted: false });

    // Muting again changes nothing; unmuting shows at once.
    expect((await mute('bob', room, true)).body.muted).toBe(true);
    expect((await mute('bob', room, false)).body.muted).toBe(false);
    expect(await roomAs('bob', room)).toMatchObject({ muted: false });
    expect(await listedAs('bob', room)).toMatchObject({ muted: false });
  });

  it('counts a muted room’s messages in its own unread_count but leaves it out of every total', async () => {
    const loud = await group('alice', ['carol'], 'Loud');
    const quiet = await group('alice', ['carol'], 'Quiet');
    await send('alice', loud, 'one');
    await send('alice', quiet, 'two');
    await send('alice', quiet, 'three');
    expect(await unread('carol')).toEqual({ total: 3, rooms: { [loud]: 1, [quiet]: 2 } });

    expect((await mute('carol', quiet, true)).body).toMatchObject({ muted: true, unread_count: 2 });
    expect(await unread('carol')).toEqual({ total: 1, rooms: { [loud]: 1, [quiet]: 2 } });

    // A new message in the muted room still arrives and counts there; the total carried with it does not move.
    const carol = await connect('carol');
    await send('alice', quiet, 'four');
    const event = await carol.next('event', (e) => e.room_id === quiet && e.kind === 'message.created');
    expect((event.data as any).message.content).toBe('four');
    expect(await carol.next('unread', (f) => f.room_id === quiet)).toEqual({
      type: 'unread',
      room_id: quiet,
      unread_count: 3,
      total: 1,
    });
    // A message in the loud room: its total leaves the muted room out too.
    await send('alice', loud, 'five');
    expect(await carol.next('unread', (f) => f.room_id === loud)).toMatchObject({ unread_count: 2, total: 2 });

    // A read answers the total without the muted room, and its frame carries the same.
    const read = await server.request('POST', `/api/v1/rooms/${loud}/read`, { ...as('carol'), body: {} });
    expect(read.body).toEqual({ unread_count: 0, total_unread: 0 });
    expect(await carol.next('unread', (f) => f.room_id === loud)).toMatchObject({ unread_count: 0, total: 0 });

    // A deleted message in the muted room lowers its own count, the total stays without it.
    const extra = await send('alice', quiet, 'six');
    await carol.next('unread', (f) => f.room_id === quiet && f.unread_count === 4);
    await server.request('DELETE', `/api/v1/rooms/${quiet}/messages/${extra.id}`, as('alice'));
    expect(await carol.next('unread', (f) => f.room_id === quiet && f.unread_count === 3)).toMatchObject({
      total: 0,
    });

    // Unmuting brings its messages back into the total.
    expect((await mute('carol', quiet, false)).body).toMatchObject({ muted: false, unread_count: 3 });
    expect(await unread('carol')).toEqual({ total: 3, rooms: { [loud]: 0, [quiet]: 3 } });
  });

  it('tells the user’s other sockets, with the new total, and nobody else', async () => {
    const room = await group('alice', ['bob'], 'Tabs');
    await send('bob', room, 'hello');
    const tab1 = await connect('alice');
    const tab2 = await connect('alice');
    const bob = await connect('bob');
    const totalBefore = (await unread('alice')).total;

    await mute('alice', room, true);
    for (const tab of [tab1, tab2]) {
      expect(await tab.next('mute', (f) => f.room_id === room)).toEqual({
        type: 'mute',
        room_id: room,
        muted: true,
        total: totalBefore - 1,
      });
    }
    // Setting it as it already is sends nothing; bob never hears of alice's setting.
    await mute('alice', room, true);
    await mute('alice', room, false);
    expect(await tab2.next('mute', (f) => f.room_id === room)).toMatchObject({ muted: false, total: totalBefore });
    await settle(tab2, 'mute-sync');
    expect(tab2.frames.filter((f) => f.type === 'mute')).toEqual([]);
    await settle(bob, 'bob-sync');
    expect(bob.frames.filter((f) => f.type === 'mute')).toEqual([]);
  });

  it('answers a non-member 404 room_not_found and a bad body 400 validation_failed', async () => {
    const room = await group('alice', ['bob'], 'Private');
    for (const id of [room, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await mute('mallory', id, true);
      expect(res.status, id).toBe(404);
      expect(res.body).toEqual({ error: { code: 'room_not_found', message: 'Room not found' } });
    }
    for (const body of [{}, { muted: 'yes' }, { muted: null }]) {
      const res = await server.request('PUT', `/api/v1/rooms/${room}/mute`, { ...as('bob'), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual({ error: { code: 'validation_failed', message: expect.stringMatching(/^muted: /) } });
    }
    expect(await roomAs('bob', room)).toMatchObject({ muted: false });
  });

  it('forgets the setting when the member leaves, and the leaving frame’s total never counted the muted room', async () => {
    const room = await group('alice', ['bob'], 'Leaving');
    const other = await group('alice', ['bob'], 'Staying');
    await send('alice', room, 'unread for bob');
    await send('alice', other, 'also unread for bob');
    await mute('bob', room, true);
    const totalBefore = (await unread('bob')).total;
    const bobSocket = await connect('bob');
    await server.request('DELETE', `/api/v1/rooms/${room}/participants/bob`, as('bob'));
    expect(await bobSocket.next('unread', (f) => f.room_id === room)).toMatchObject({
      unread_count: 0,
      total: totalBefore,
    });

    await server.request('POST', `/api/v1/rooms/${room}/participants`, {
      ...as('alice'),
      body: { user_ids: ['bob'] },
    });
    expect(await roomAs('bob', room)).toMatchObject({ muted: false });
  });
});
