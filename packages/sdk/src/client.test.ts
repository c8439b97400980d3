import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParleyClient, type ParleyClientOptions } from './client.js';
import { memoryOutboxStorage } from './outbox-storage.js';
import { FakeSocket } from './fake-socket.test-helpers.js';
import type { ClientFrame, Message, Room, RoomEvent } from './protocol.js';
import { MAX_GAP_RECONNECTS_PER_MINUTE } from './room-sync.js';
import { makeMessage, makeRoom } from './store/fixtures.test-helpers.js';
import { selectTotalUnread } from './store/rooms.js';
// The Node suites' one wait helper (the SDK's integration tests use the server's test harness too).
import { until } from '../../server/src/test-support/until.js';

const waitUntil = (predicate: () => boolean, what: string) => until(predicate, what, 2_000, 2);

/**
 * The server side of these tests, in memory: a room log, REST answers from it, and a socket
 * that replays the log on resume (or, with `replays` off, forgets to, so gaps stay open).
 */
class FakeServer {
  readonly rooms = new Map<string, Room>();
  readonly log = new Map<string, RoomEvent[]>();
  readonly requests: string[] = [];
  replays = true;

  constructor() {
    FakeSocket.all = [];
    FakeSocket.onAuth = (socket, auth) => {
      if (auth.rooms) socket.reply({ type: 'rooms', page: { rooms: [...this.rooms.values()], next_cursor: null } });
      this.authenticate(socket, auth.resume ?? {});
    };
    FakeSocket.onFrame = () => undefined;
  }

  addRoom(room: Room): void {
    this.rooms.set(room.id, room);
    this.log.set(room.id, []);
  }

  /** Append a new message to a room's log; returns its event (not yet delivered to anyone). */
  write(roomId: string, content: string, overrides: Partial<Message> = {}): RoomEvent {
    const events = this.log.get(roomId)!;
    const seq = events.length + 1;
    const message = makeMessage({ room_id: roomId, seq, id: `${roomId}-m${seq}`, content, ...overrides });
    const event: RoomEvent = {
      room_id: roomId,
      seq,
      kind: 'message.created',
      data: { message },
      at: message.created_at,
    };
    events.push(event);
    this.rooms.set(roomId, { ...this.rooms.get(roomId)!, last_seq: seq });
    return event;
  }

  deliver(event: RoomEvent, socket = FakeSocket.latest()): void {
    socket.reply({ type: 'event', ...event });
  }

  /** Write and deliver live, as the server's fan-out would. */
  post(roomId: string, content: string): RoomEvent {
    const event = this.write(roomId, content);
    this.deliver(event);
    return event;
  }

  fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const path = url.pathname.replace('/api/v1', '');
    const method = init?.method ?? 'GET';
    this.requests.push(`${method} ${path}`);
    const json = (body: unknown, status = 200) =>
      Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
    if (path === '/me') return json({ id: 'alice', name: 'Alice', avatar_url: null });
    if (path === '/rooms') return json({ rooms: [...this.rooms.values()], next_cursor: null });
    const [, , roomId, sub, userId] = path.split('/');
    const room = roomId ? this.rooms.get(decodeURIComponent(roomId)) : undefined;
    if (!room) return json({ error: { code: 'room_not_found', message: 'no such room' } }, 404);
    if (method === 'PUT' && sub === 'mute') {
      const { muted } = JSON.parse(init!.body as string) as { muted: boolean };
      this.rooms.set(room.id, { ...room, muted });
      return json(this.rooms.get(room.id));
    }
    if (method === 'DELETE' && sub === 'participants') {
      const participants = room.participants.filter((p) => p.id !== decodeURIComponent(userId!));
      this.rooms.set(room.id, { ...room, participants });
      return userId === 'alice' ? Promise.resolve(new Response(null, { status: 204 })) : json(this.rooms.get(room.id));
    }
    if (sub === 'messages') {
      const messages = this.log.get(room.id)!.map((e) => (e.data as { message: Message }).message);
      return json({ messages, next_cursor: null });
    }
    return json(room);
  };

  private authenticate(socket: FakeSocket, resume: Record<string, number>): void {
    const outcomes: Record<string, 'recovered'> = {};
    if (this.replays) for (const roomId of Object.keys(resume)) outcomes[roomId] = 'recovered';
    socket.reply({
      type: 'ready',
      user: { id: 'alice', name: 'Alice', avatar_url: null },
      resume: outcomes,
      heartbeat_seconds: 25,
    });
    if (!this.replays) return;
    for (const [roomId, seq] of Object.entries(resume)) {
      for (const event of this.log.get(roomId) ?? []) if (event.seq > seq) this.deliver(event, socket);
    }
  }
}

function clientOf(server: FakeServer, options: Partial<ParleyClientOptions> = {}): ParleyClient {
  return new ParleyClient({
    url: 'http://parley.test',
    getToken: () => 'token',
    WebSocket: FakeSocket,
    fetch: server.fetch,
    backoff: { baseMs: 1, maxMs: 5 },
    outboxStorage: false,
    ...options,
  });
}

const seqsIn = (client: ParleyClient, roomId: string) =>
  client.stores.messages.getLatestValue().byRoom[roomId]?.messages.map((m) => m.seq) ?? [];
const authFrames = () =>
  FakeSocket.all.flatMap((s) => s.sent.filter((f): f is Extract<ClientFrame, { type: 'auth' }> => f.type === 'auth'));

describe('ParleyClient', () => {
  let server: FakeServer;
  let client: ParleyClient;
  let applied: number[];

  beforeEach(async () => {
    server = new FakeServer();
    server.addRoom(makeRoom({ id: 'r1' }));
    client = clientOf(server);
    applied = [];
    client.on('room.event', (event) => applied.push(event.seq));
    await client.connect();
    await client.loadRooms();
    await client.loadMessages('r1');
  });

  afterEach(() => {
    client.destroy();
    vi.restoreAllMocks();
  });

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

  describe('sends', () => {
    const sends = () => FakeSocket.all.flatMap((s) => s.sent.filter((f) => f.type === 'send'));
    /** The server stores a send as Alice's message and acks it. */
    const store = (socket: FakeSocket, frame: Extract<ClientFrame, { type: 'send' }>) => {
      const event = server.write('r1', frame.content, { client_id: frame.client_id!, sender_id: 'alice' });
      socket.reply({ type: 'ack', ref: frame.ref!, message: (event.data as { message: Message }).message });
    };

    it('resends a rate-limited send with the same client_id after the wait the server names, then settles it', async () => {
      let answered = 0;
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type !== 'send') return;
        if (answered++ === 0) {
          socket.reply({
            type: 'error',
            ref: frame.ref!,
            code: 'rate_limited',
            message: 'slow down',
            retry_after_ms: 20,
          });
          return;
        }
        store(socket, frame);
      };
      const sent = await client.sendMessage('r1', 'hello');
      expect(sends()).toHaveLength(2);
      expect(new Set(sends().map((f) => (f as { client_id: string }).client_id)).size).toBe(1);
      expect(sent).toMatchObject({ content: 'hello', seq: 1 });
      expect(client.outboxSize).toBe(0);
      expect(client.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({ id: 'r1-m1', status: 'sent' }),
      ]);
    });

    it('marks a refused send failed with its reason, and retrySend stores it once under the same client_id', async () => {
      let refuse = true;
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type !== 'send') return;
        if (refuse) {
          socket.reply({ type: 'error', ref: frame.ref!, code: 'validation_failed', message: 'content: too long' });
          return;
        }
        store(socket, frame);
      };
      await expect(client.sendMessage('r1', 'hello', { clientId: 'c-1' })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      expect(client.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({
          client_id: 'c-1',
          status: 'failed',
          error: { code: 'validation_failed', message: 'content: too long' },
        }),
      ]);
      expect(client.outboxSize).toBe(0);

      refuse = false;
      await client.retrySend('r1', 'c-1');
      expect(client.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({ client_id: 'c-1', status: 'sent', seq: 1 }),
      ]);
    });

    it('keeps a failed send in its place in time, and in the outbox across a reload until it is discarded', async () => {
      const storage = memoryOutboxStorage();
      const reloadable = () => clientOf(server, { outboxStorage: () => storage });
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type === 'send')
          socket.reply({ type: 'error', ref: frame.ref!, code: 'validation_failed', message: 'content: too long' });
      };
      const first = reloadable();
      await first.connect();
      await first.loadMessages('r1');
      await expect(first.sendMessage('r1', 'too long', { clientId: 'c-9' })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      // Newer messages arrive after it failed: it stays where it was written, not pinned below them.
      await new Promise((resolve) => setTimeout(resolve, 5));
      server.deliver(server.write('r1', 'newer', { created_at: new Date().toISOString() }));
      await waitUntil(() => seqsIn(first, 'r1').includes(1), 'the newer message');
      expect(first.stores.messages.getLatestValue().byRoom['r1']?.messages.map((m) => m.content)).toEqual([
        'too long',
        'newer',
      ]);
      expect(first.outboxSize).toBe(0);
      first.destroy();

      // A reload: the failed send is back, failed with its reason, and is not sent again by itself.
      const sentBefore = sends().length;
      const second = reloadable();
      await second.connect();
      await second.loadMessages('r1');
      await waitUntil(
        () =>
          second.stores.messages.getLatestValue().byRoom['r1']?.messages.some((m) => m.client_id === 'c-9') ?? false,
        'the restored failed send',
      );
      expect(second.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({
          client_id: 'c-9',
          status: 'failed',
          error: { code: 'validation_failed', message: 'content: too long' },
        }),
        expect.objectContaining({ content: 'newer', status: 'sent' }),
      ]);
      expect(sends()).toHaveLength(sentBefore);

      expect(second.discardFailed('r1', 'c-9')).toBe(true);
      expect(second.discardFailed('r1', 'c-9')).toBe(false);
      expect(second.stores.messages.getLatestValue().byRoom['r1']?.messages.map((m) => m.content)).toEqual(['newer']);
      expect(await storage.load()).toEqual([]);
      second.destroy();
    });

    it('takes the limits the server names in ready, and the defaults before', async () => {
      expect(client.limits).toEqual({ message_max_length: 10_000 });
      FakeSocket.onAuth = (socket) =>
        socket.reply({
          type: 'ready',
          user: { id: 'alice', name: 'Alice', avatar_url: null },
          resume: {},
          heartbeat_seconds: 25,
          limits: { message_max_length: 280 },
        });
      const other = clientOf(server);
      expect(other.limits.message_max_length).toBe(10_000);
      await other.connect();
      expect(other.limits).toEqual({ message_max_length: 280 });
      expect(other.stores.session.getLatestValue().limits.message_max_length).toBe(280);
      other.destroy();
    });

    it("settles a send on its own message's event when that overtakes the ack", async () => {
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type !== 'send') return;
        server.deliver(server.write('r1', frame.content, { client_id: frame.client_id!, sender_id: 'alice' }), socket);
      };
      const sent = await client.sendMessage('r1', 'echo only');
      expect(sent).toMatchObject({ seq: 1, content: 'echo only' });
      expect(client.outboxSize).toBe(0);
      expect(seqsIn(client, 'r1')).toEqual([1]);
    });

    it('keeps a send queued while the socket is down and sends it once after the reconnect', async () => {
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type !== 'send') return;
        store(socket, frame);
      };
      client.disconnect();
      const sent = client.sendMessage('r1', 'offline');
      expect(client.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({ content: 'offline', status: 'pending' }),
      ]);
      expect(sends()).toHaveLength(0);
      await client.connect();
      await expect(sent).resolves.toMatchObject({ content: 'offline', seq: 1 });
      expect(sends()).toHaveLength(1);
    });
  });
});
