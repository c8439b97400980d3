/** The ParleyClient suites' fixtures (client.test.ts, client-sends.test.ts): an in-memory server and a client on it. */
import { afterEach, beforeEach, vi } from 'vitest';
import { ParleyClient, type ParleyClientOptions } from './client.js';
import { FakeSocket } from './fake-socket.test-helpers.js';
import type { ClientFrame, Message, Room, RoomEvent } from './protocol.js';
import { makeMessage, makeRoom } from './store/fixtures.test-helpers.js';
// The Node suites' one wait helper (the SDK's integration tests use the server's test harness too).
import { until } from '../../server/src/test-support/until.js';

export const waitUntil = (predicate: () => boolean, what: string) => until(predicate, what, 2_000, 2);

/**
 * The server side of these tests, in memory: a room log, REST answers from it, and a socket
 * that replays the log on resume (or, with `replays` off, forgets to, so gaps stay open).
 */
export class FakeServer {
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

export function clientOf(server: FakeServer, options: Partial<ParleyClientOptions> = {}): ParleyClient {
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

export const seqsIn = (client: ParleyClient, roomId: string) =>
  client.stores.messages.getLatestValue().byRoom[roomId]?.messages.map((m) => m.seq) ?? [];
export const authFrames = () =>
  FakeSocket.all.flatMap((s) => s.sent.filter((f): f is Extract<ClientFrame, { type: 'auth' }> => f.type === 'auth'));

/** Each test's server, client and the seqs of the events the client applied (see `clientPerTest`). */
export interface ClientUnderTest {
  server: FakeServer;
  client: ParleyClient;
  applied: number[];
}

/**
 * Before each test: a FakeServer with room r1 and a client connected to it, r1 listed and its
 * messages loaded; after it, the client destroyed and mocks restored.
 */
export function clientPerTest(): ClientUnderTest {
  const t = {} as ClientUnderTest;
  beforeEach(async () => {
    t.server = new FakeServer();
    t.server.addRoom(makeRoom({ id: 'r1' }));
    t.client = clientOf(t.server);
    t.applied = [];
    t.client.on('room.event', (event) => t.applied.push(event.seq));
    await t.client.connect();
    await t.client.loadRooms();
    await t.client.loadMessages('r1');
  });
  afterEach(() => {
    t.client.destroy();
    vi.restoreAllMocks();
  });
  return t;
}
