import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceRecord } from '@parley/sdk/protocol';
import { availableBackends, startTestServer, type TestServer } from '../../src/testing.js';
import { TestSocket } from '../socket-client.js';
import { createGroup, signIn } from './helpers.js';

describe.each(availableBackends())('presence and typing on %s', (backend) => {
  let server: TestServer;
  let tokens: Record<string, string>;
  let room: string;
  const sockets: TestSocket[] = [];
  const connect = async (user: string) => {
    const s = await TestSocket.connect(server.wsUrl, tokens[user]!);
    sockets.push(s);
    return s;
  };
  const presenceOf = async (asker: string, ...ids: string[]): Promise<PresenceRecord[]> => {
    const res = await server.request('GET', `/api/v1/presence?user_ids=${ids.join(',')}`, { token: tokens[asker] });
    expect(res.status).toBe(200);
    return res.body.presence;
  };
  const statusOf = async (user: string) => (await presenceOf(user, user))[0]?.status;

  beforeAll(async () => {
    // Heartbeat 1 s, offline after 2 s of silence; the sweep is run by hand. No grace period
    // (the test server's default, said here because these tests expect offline at once).
    server = await startTestServer({
      backend,
      presenceHeartbeatSeconds: 1,
      presenceOfflineThresholdSeconds: 2,
      presenceGraceSeconds: 0,
      presenceSweepMs: 3_600_000,
    });
    tokens = await signIn(server, 'alice', 'bob', 'carol', 'mallory', 'erin');
    room = await createGroup(server, tokens.alice!, ['bob', 'carol']);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server?.close();
  });

  it('is online while any socket is open and offline only after the last closes', async () => {
    const watcher = await connect('bob');
    const first = await connect('alice');
    expect(await watcher.next('presence', (p) => p.user_id === 'alice' && p.status === 'online')).toMatchObject({
      status: 'online',
    });
    const second = await connect('alice');
    first.close();
    await first.closed;
    // Still one socket: no offline frame, and the record stays online.
    second.send({ type: 'ping', ref: 'p' });
    await second.next('pong');
    expect(await statusOf('alice')).toBe('online');
    expect(watcher.frames.some((f) => f.type === 'presence' && f.user_id === 'alice' && f.status === 'offline')).toBe(
      false,
    );
    second.close();
    const offline = await watcher.next('presence', (p) => p.user_id === 'alice' && p.status === 'offline');
    expect(offline.last_seen_at).not.toBeNull();
    expect(await statusOf('alice')).toBe('offline');
  });

  it('sets away and a status message from the socket and from PUT /presence', async () => {
    const watcher = await connect('bob');
    const alice = await connect('alice');
    alice.send({ type: 'presence', status: 'away', status_message: 'lunch' });
    expect(await watcher.next('presence', (p) => p.user_id === 'alice' && p.status === 'away')).toMatchObject({
      status_message: 'lunch',
    });
    const put = await server.request('PUT', '/api/v1/presence', {
      token: tokens.alice,
      body: { status: 'online', status_message: null },
    });
    expect(put.body).toMatchObject({ user_id: 'alice', status: 'online', status_message: null });
    await watcher.next('presence', (p) => p.user_id === 'alice' && p.status === 'online');
    const bad = await server.request('PUT', '/api/v1/presence', { token: tokens.alice, body: { status: 'offline' } });
    expect(bad.body.error.code).toBe('validation_failed');
    alice.close();
    await watcher.next('presence', (p) => p.user_id === 'alice' && p.status === 'offline');
  });

  it('sends presence frames only to users who share a room, and reads only their records', async () => {
    const outsider = await connect('mallory');
    const bob = await connect('bob');
    const carol = await connect('carol');
    await bob.next('presence', (p) => p.user_id === 'carol' && p.status === 'online');
    carol.close();
    await bob.next('presence', (p) => p.user_id === 'carol' && p.status === 'offline');
    // Mallory shares no room with carol: her socket got nothing about carol.
    outsider.send({ type: 'ping', ref: 'sync' });
    await outsider.next('pong');
    expect(outsider.frames.filter((f) => f.type === 'presence' && f.user_id === 'carol')).toEqual([]);
    expect((await presenceOf('mallory', 'carol', 'mallory')).map((p) => p.user_id)).toEqual(['mallory']);
    expect((await presenceOf('bob', 'carol', 'mallory', 'nobody')).map((p) => p.user_id)).toEqual(['carol']);
    const tooMany = await server.request(
      'GET',
      `/api/v1/presence?user_ids=${Array.from({ length: 101 }, (_, i) => `u${i}`).join(',')}`,
      { token: tokens.bob },
    );
    expect(tooMany.body.error.code).toBe('validation_failed');
  });

  it('closes a socket silent past the threshold, which takes the user offline', async () => {
    const watcher = await connect('bob');
    // The watcher heartbeats like a client does; carol's socket says nothing after auth.
    const heartbeat = setInterval(() => watcher.send({ type: 'ping' }), 500);
    try {
      const silent = await connect('carol');
      await watcher.next('presence', (p) => p.user_id === 'carol' && p.status === 'online');
      expect((await silent.closed).code).toBe(4000);
      await watcher.next('presence', (p) => p.user_id === 'carol' && p.status === 'offline');
    } finally {
      clearInterval(heartbeat);
    }
  });

  it('sweeps users a crashed node left online, but not users with a live socket', async () => {
    const watcher = await connect('bob');
    const live = await connect('alice');
    // Erin's node "crashed": her row says online, last seen long ago, and no socket is here.
    await server
      .db('user_presence')
      .insert({ user_id: 'erin', status: 'online', last_seen_at: new Date(Date.now() - 60_000) })
      .onConflict('user_id')
      .merge();
    await server
      .db('user_presence')
      .where('user_id', 'alice')
      .update({ last_seen_at: new Date(Date.now() - 60_000) });
    const erinRoom = await createGroup(server, tokens.erin!, ['bob']);
    expect(erinRoom).toBeTruthy();
    expect(await server.services.presence.sweep()).toBe(1);
    await watcher.next('presence', (p) => p.user_id === 'erin' && p.status === 'offline');
    expect(await statusOf('erin')).toBe('offline');
    expect(await statusOf('alice')).toBe('online');
    live.close();
  });

  it('relays typing to the other members only, and stops it when the typist’s socket closes', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const outsider = await connect('mallory');
    alice.send({ type: 'typing', room_id: room, state: 'start' });
    expect(await bob.next('typing')).toEqual({ type: 'typing', room_id: room, user_id: 'alice', state: 'start' });
    alice.send({ type: 'ping', ref: 'sync' });
    await alice.next('pong');
    outsider.send({ type: 'ping', ref: 'sync' });
    await outsider.next('pong');
    expect(alice.frames.filter((f) => f.type === 'typing')).toEqual([]);
    expect(outsider.frames.filter((f) => f.type === 'typing')).toEqual([]);
    alice.close();
    expect(await bob.next('typing')).toMatchObject({ user_id: 'alice', state: 'stop' });
  });

  it('answers typing in a room the user is not in with an error frame', async () => {
    const outsider = await connect('mallory');
    outsider.send({ type: 'typing', room_id: room, state: 'start' });
    expect(await outsider.next('error')).toMatchObject({ code: 'room_not_found' });
    outsider.send({ type: 'typing', room_id: 'nope', state: 'start' });
    expect(await outsider.next('error')).toMatchObject({ code: 'room_not_found' });
  });
});

describe.each(availableBackends())('presence grace period on %s', (backend) => {
  const GRACE_SECONDS = 1;
  let server: TestServer;
  let tokens: Record<string, string>;
  const sockets: TestSocket[] = [];
  const connect = async (user: string) => {
    const s = await TestSocket.connect(server.wsUrl, tokens[user]!);
    sockets.push(s);
    return s;
  };
  const presenceFramesOf = (socket: TestSocket, userId: string) =>
    socket.frames.filter((f) => f.type === 'presence' && f.user_id === userId);
  /** Counts the writes to `userId`'s presence row from now on. */
  const countPresenceWrites = (userId: string) => {
    let writes = 0;
    const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
      if (
        /^((insert into|update) "user_presence"|select parley_save_presence\()/.test(q.sql) &&
        q.bindings?.includes(userId)
      )
        writes++;
    };
    server.db.on('query', onQuery);
    return () => {
      server.db.off('query', onQuery);
      return writes;
    };
  };

  beforeAll(async () => {
    server = await startTestServer({ backend, presenceGraceSeconds: GRACE_SECONDS, presenceSweepMs: 3_600_000 });
    tokens = await signIn(server, 'alice', 'bob', 'carol', 'dave');
    await createGroup(server, tokens.alice!, ['bob', 'carol', 'dave']);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server?.close();
  });

  it('a reconnect within the grace period changes nothing: no offline frame for a co-member, no write', async () => {
    const bob = await connect('bob');
    const first = await connect('alice');
    await bob.next('presence', (p) => p.user_id === 'alice' && p.status === 'online');
    const carol = await connect('carol');
    await bob.next('presence', (p) => p.user_id === 'carol' && p.status === 'online');

    const writes = countPresenceWrites('alice');
    first.close();
    await first.closed;
    const second = await connect('alice'); // back well within the grace period
    // Carol's grace period starts after the one of alice's first socket and is as long, so
    // her offline frame says that one has ended too.
    carol.close();
    await bob.next('presence', (p) => p.user_id === 'carol' && p.status === 'offline');
    // Alice's presence changes are handled one at a time, in order: this one comes after the
    // end of her first socket's grace period, so an offline (or online) it caused would be here first.
    second.send({ type: 'presence', status: 'away' });
    await bob.next('presence', (p) => p.user_id === 'alice' && p.status === 'away');
    expect(presenceFramesOf(bob, 'alice')).toEqual([]);
    expect(writes()).toBe(1); // the away, nothing for the flap
  });

  it('a user not back within the grace period goes offline when it ends', async () => {
    const bob = await connect('bob');
    const dave = await connect('dave');
    await bob.next('presence', (p) => p.user_id === 'dave' && p.status === 'online');
    const closedAt = Date.now();
    dave.close();
    const offline = await bob.next('presence', (p) => p.user_id === 'dave' && p.status === 'offline');
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000 - 50);
    expect(offline.last_seen_at).not.toBeNull();
    const res = await server.request('GET', '/api/v1/presence?user_ids=dave', { token: tokens.bob });
    expect(res.body.presence[0]).toMatchObject({ user_id: 'dave', status: 'offline' });
  });
});
