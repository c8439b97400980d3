import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParleyClient } from './client.js';
import { authFrames, clientOf, clientPerTest, seqsIn, waitUntil, type FakeServer } from './client.test-helpers.js';
import { FakeSocket } from './fake-socket.test-helpers.js';
import { MAX_GAP_RECONNECTS_PER_MINUTE } from './room-sync.js';
import { makeRoom } from './store/fixtures.test-helpers.js';
import { selectTotalUnread } from './store/rooms.js';

describe('ParleyClient', () => {
  let server: FakeServer;
  let client: ParleyClient;
  let applied: number[];
  const current = clientPerTest();
  beforeEach(() => ({ server, client, applied } = current));

  it('takes the first page of rooms from the socket with connect({ rooms }), without a REST request', async () => {
    server.addRoom(makeRoom({ id: 'r2' }));
    const other = clientOf(server);
    const before = server.requests.length;
    await other.connect({ rooms: 50 });
    const rooms = other.stores.rooms.getLatestValue();
    expect(rooms.loaded).toBe(true);
    expect(Object.keys(rooms.byId).sort()).toEqual(['r1', 'r2']);
    expect(server.requests.slice(before)).not.toContain('GET /rooms');
    const auth = authFrames().at(-1)!;
    expect(auth.rooms).toEqual({ limit: 50 });
    // Once the list is loaded, a reconnect does not ask for it again.
    FakeSocket.latest().drop();
    await waitUntil(() => authFrames().length > 0 && authFrames().at(-1) !== auth, 'the reconnect');
    expect(authFrames().at(-1)!.rooms).toBeUndefined();
    other.destroy();
  });

  it('connect() resolves with the user the socket names in ready, with no REST request at all', async () => {
    const other = clientOf(server);
    const before = server.requests.length;
    const user = await other.connect();
    expect(user).toMatchObject({ id: 'alice', name: 'Alice' });
    expect(other.user).toEqual(user);
    expect(server.requests.slice(before)).toEqual([]);
    other.destroy();
  });

  it('applies each event once and in order, dropping a replay of one it has', async () => {
    const first = server.post('r1', 'one');
    server.post('r1', 'two');
    server.deliver(first);
    await waitUntil(() => applied.length === 2, 'two events');
    server.post('r1', 'three');
    await waitUntil(() => applied.length === 3, 'the third event');
    expect(applied).toEqual([1, 2, 3]);
    expect(seqsIn(client, 'r1')).toEqual([1, 2, 3]);
  });

  it('does not apply an event past a gap: it reconnects, resumes from the last seq it has, and the replay fills the gap', async () => {
    server.post('r1', 'one');
    await waitUntil(() => applied.length === 1, 'the first event');
    server.write('r1', 'two'); // never delivered live
    server.post('r1', 'three');

    await waitUntil(() => applied.length === 3, 'the replay');
    expect(FakeSocket.all).toHaveLength(2);
    expect(authFrames().at(-1)?.resume).toEqual({ r1: 1 });
    expect(applied).toEqual([1, 2, 3]);
    expect(seqsIn(client, 'r1')).toEqual([1, 2, 3]);
  });

  it(`after ${MAX_GAP_RECONNECTS_PER_MINUTE} gap reconnects in a minute, refetches the room instead; a minute later it reconnects again`, async () => {
    server.replays = false; // a server that never fills the gap: only the valve ends the loop
    const resyncs: string[] = [];
    client.on('resync', ({ room_id }) => resyncs.push(room_id));
    server.post('r1', 'one');
    await waitUntil(() => applied.length === 1, 'the first event');
    server.write('r1', 'two');
    const three = server.write('r1', 'three');

    for (let reconnects = 1; reconnects <= MAX_GAP_RECONNECTS_PER_MINUTE; reconnects++) {
      server.deliver(three);
      await waitUntil(
        () => FakeSocket.all.length === reconnects + 1 && client.connectionState === 'open',
        `gap reconnect ${reconnects}`,
      );
    }
    expect(applied).toEqual([1]);

    server.deliver(three);
    await waitUntil(() => resyncs.length === 1, 'the refetch');
    expect(FakeSocket.all).toHaveLength(MAX_GAP_RECONNECTS_PER_MINUTE + 1);
    expect(server.requests.filter((r) => r === 'GET /rooms/r1')).toHaveLength(1);
    expect(seqsIn(client, 'r1')).toEqual([1, 2, 3]);

    // The refetch moved the room to seq 3: the next live event follows on without a gap.
    server.post('r1', 'four');
    await waitUntil(() => applied.includes(4), 'the event after the refetch');
    expect(seqsIn(client, 'r1')).toEqual([1, 2, 3, 4]);

    const now = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => now() + 61_000);
    server.write('r1', 'five');
    server.post('r1', 'six');
    await waitUntil(
      () => FakeSocket.all.length === MAX_GAP_RECONNECTS_PER_MINUTE + 2,
      'a reconnect once the minute passed',
    );
    expect(resyncs).toHaveLength(1);
  });

  it('a resync frame refetches the room and its loaded messages, and events go on from the refetched seq', async () => {
    for (const content of ['one', 'two', 'three']) server.write('r1', content);
    const resyncs: string[] = [];
    client.on('resync', ({ room_id }) => resyncs.push(room_id));
    FakeSocket.latest().reply({ type: 'resync', room_id: 'r1' });
    await waitUntil(() => resyncs.length === 1, 'the resync');
    expect(seqsIn(client, 'r1')).toEqual([1, 2, 3]);
    expect(client.stores.rooms.getLatestValue().byId['r1']?.last_seq).toBe(3);

    server.post('r1', 'four');
    await waitUntil(() => applied.length === 1, 'the live event');
    expect(applied).toEqual([4]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('fetches a room it has never listed once, however many of its events arrive', async () => {
    server.addRoom(makeRoom({ id: 'r9', name: 'New' }));
    server.post('r9', 'one');
    server.post('r9', 'two');
    await waitUntil(() => client.stores.rooms.getLatestValue().byId['r9'] !== undefined, 'the new room');
    await waitUntil(() => applied.length === 2, 'both events');
    expect(server.requests.filter((r) => r === 'GET /rooms/r9')).toHaveLength(1);
  });

  it('resumes every room from the highest seq it has, also rooms it only listed', async () => {
    server.addRoom(makeRoom({ id: 'r2', last_seq: 0 }));
    server.rooms.set('r2', { ...server.rooms.get('r2')!, last_seq: 0 });
    await client.loadRooms();
    server.post('r1', 'one');
    await waitUntil(() => applied.length === 1, 'the event');
    FakeSocket.latest().drop();
    await waitUntil(() => authFrames().length === 2, 'the second auth');
    expect(authFrames()[1]?.resume).toEqual({ r1: 1, r2: 0 });
  });

  describe('room details', () => {
    const roomIn = (c: ParleyClient, roomId = 'r1') => c.stores.rooms.getLatestValue().byId[roomId];

    it('setRoomMuted keeps the answer in the store, even over a newer copy, and leaves the room out of the total', async () => {
      server.post('r1', 'one');
      await waitUntil(() => roomIn(client)?.unread_count === 1, 'the unread message');
      // The answer is older than the store's copy (upsertRooms keeps that one): its setting still applies.
      server.rooms.set('r1', { ...server.rooms.get('r1')!, last_seq: 0 });
      const room = await client.setRoomMuted('r1', true);
      expect(server.requests).toContain('PUT /rooms/r1/mute');
      expect(room.muted).toBe(true);
      expect(roomIn(client)).toMatchObject({ muted: true, unread_count: 1, last_seq: 1 });
      expect(selectTotalUnread(client.stores.rooms.getLatestValue())).toBe(0);
      await client.setRoomMuted('r1', false);
      expect(roomIn(client)?.muted).toBe(false);
      expect(selectTotalUnread(client.stores.rooms.getLatestValue())).toBe(1);
    });

    it('applies a mute frame from another tab to the rooms store and emits it', async () => {
      const heard: unknown[] = [];
      client.on('mute', (payload) => heard.push(payload));
      FakeSocket.latest().reply({ type: 'mute', room_id: 'r1', muted: true, total: 0 });
      await waitUntil(() => roomIn(client)?.muted === true, 'the mute');
      expect(heard).toEqual([{ room_id: 'r1', muted: true, total: 0 }]);
      // A room the client does not know is left alone.
      FakeSocket.latest().reply({ type: 'mute', room_id: 'elsewhere', muted: true, total: 0 });
      await waitUntil(() => heard.length === 2, 'the second frame');
      expect(client.stores.rooms.getLatestValue().byId['elsewhere']).toBeUndefined();
    });

    it('removeParticipant drops the person from participants; with the own id it leaves the room', async () => {
      const room = await client.removeParticipant('r1', 'bob');
      expect(server.requests).toContain('DELETE /rooms/r1/participants/bob');
      expect(room?.participants.map((p) => p.id)).toEqual(['alice']);
      expect(roomIn(client)?.participants.map((p) => p.id)).toEqual(['alice']);

      await expect(client.removeParticipant('r1', 'alice')).resolves.toBeUndefined();
      expect(roomIn(client)).toBeUndefined();
    });

    it('removeParticipant drops the person even when the store holds a newer copy than the answer', async () => {
      server.post('r1', 'one');
      await waitUntil(() => roomIn(client)?.last_seq === 1, 'the event');
      // The server's copy of the room still says last_seq 0 for this test: upsertRooms keeps the store's.
      server.rooms.set('r1', { ...server.rooms.get('r1')!, last_seq: 0 });
      await client.removeParticipant('r1', 'bob');
      expect(roomIn(client)).toMatchObject({ last_seq: 1 });
      expect(roomIn(client)?.participants.map((p) => p.id)).toEqual(['alice']);
    });
  });
});
