import {
  API_PREFIX,
  ParleyClient,
  type ClientFrame,
  type ErrorCode,
  type Message,
  type ParleyClientOptions,
  type Room,
  type ServerFrame,
  type SocketLike,
  type User,
} from '@parley/sdk';

/**
 * A Parley server in memory, for component tests that need no real one: `client()` is a real
 * `ParleyClient` whose `fetch` and `WebSocket` options answer from fixture data, so stores, the
 * socket protocol and event handling are the SDK's own code (a hand-written client double would
 * drift from it). The shapes are `protocol.ts`'s; the socket plays the server like the SDK's
 * FakeSocket in connection.test.ts.
 *
 * It answers GET /me, /rooms, /rooms/:id, /rooms/:id/messages (newest first, `before`, `limit`),
 * /presence, POST /rooms/:id/read, and on the socket `auth` (→ `ready`), `send` (→ `ack` and the
 * `message.created` event), `read` (→ `unread`) and `ping`. Anything else answers 404 and is in
 * `requests`, so a test sees what it did not cover. `push()` sends any server frame, `deliver()`
 * a new message as if another user had sent it, `hold()` keeps the answers back.
 */
export interface StubData {
  me: User;
  rooms?: Room[];
  /** Per room, oldest first: the stub numbers them seq 1, 2, … and fills in the room's last message. */
  messages?: Record<string, Message[]>;
}

const STUB_URL = 'http://parley.stub';
const OPEN = 1;
const CLOSED = 3;

type Answer = { status: number; body?: unknown };

function notFound(code: ErrorCode, what: string): Answer {
  return { status: 404, body: { error: { code, message: `${what} not found` } } };
}

/** One client's socket to the stub: opens on the next tick, answers asynchronously like a network. */
class StubSocket implements SocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    private readonly stub: Pick<StubParley, 'handle' | 'forget'>,
  ) {
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = OPEN;
      this.onopen?.({});
    }, 0);
  }

  send(data: string): void {
    const frame = JSON.parse(data) as ClientFrame;
    setTimeout(() => this.stub.handle(this, frame), 0);
  }

  close(code = 1000): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.stub.forget(this);
    setTimeout(() => this.onclose?.({ code, reason: '' }), 0);
  }

  /** A frame from the server. */
  receive(frame: ServerFrame): void {
    if (this.readyState === OPEN) this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

/** A `WebSocket` constructor whose sockets talk to `stub`. */
function socketsTo(stub: StubParley): new (url: string) => SocketLike {
  return class extends StubSocket {
    constructor(url: string) {
      super(url, stub);
    }
  };
}

export class StubParley {
  readonly me: User;
  readonly rooms: Room[];
  readonly messages = new Map<string, Message[]>();
  /** Every REST call, as `GET /rooms?limit=50`. */
  readonly requests: string[] = [];
  /** Every frame any client sent. */
  readonly frames: ClientFrame[] = [];
  /** The `WebSocket` option: each socket talks to this stub. */
  readonly WebSocket: new (url: string) => SocketLike;
  private readonly sockets = new Set<StubSocket>();
  private readonly clients = new Set<ParleyClient>();
  /** Frames held back by `hold()`, answered by `release()`. */
  private held: Array<[StubSocket, ClientFrame]> | undefined;
  /** While set, REST calls wait for it (`holdRest()`). */
  private restGate: Promise<void> | undefined;

  constructor(data: StubData) {
    this.me = data.me;
    this.rooms = (data.rooms ?? []).map((room) => ({ ...room }));
    for (const room of this.rooms) {
      const list = (data.messages?.[room.id] ?? []).map((m, i) => ({ ...m, room_id: room.id, seq: i + 1 }));
      this.messages.set(room.id, list);
      this.noteNewest(room, list.at(-1));
    }
    this.WebSocket = socketsTo(this);
  }

  /** A real client on this stub (destroyed by `destroy()`); options override the stub's. */
  client(options: Partial<ParleyClientOptions> = {}): ParleyClient {
    const client = new ParleyClient({
      url: STUB_URL,
      getToken: () => 'stub-token',
      fetch: this.fetch,
      WebSocket: this.WebSocket,
      // Nothing may survive into the next test through IndexedDB.
      outboxStorage: false,
      ...options,
    });
    this.clients.add(client);
    return client;
  }

  /** Send a server frame on every open socket. */
  push(frame: ServerFrame): void {
    for (const socket of this.sockets) socket.receive(frame);
  }

  /** Store a message as the room's next and push its `message.created` event. Returns the stored copy. */
  deliver(incoming: Message): Message {
    const room = this.room(incoming.room_id);
    if (!room) throw new Error(`deliver: no room ${incoming.room_id} in the stub`);
    const stored = { ...incoming, seq: room.last_seq + 1 };
    this.messages.get(room.id)!.push(stored);
    this.noteNewest(room, stored);
    this.push({
      type: 'event',
      room_id: room.id,
      seq: stored.seq,
      kind: 'message.created',
      data: { message: stored },
      at: stored.created_at,
    });
    return stored;
  }

  /** Leave clients' frames unanswered until `release()`: a test sees what shows before the server answers. */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const [socket, frame] of held) this.handle(socket, frame);
  }

  /** Leave REST calls unanswered until the returned function is called (a slow server). */
  holdRest(): () => void {
    let open!: () => void;
    this.restGate = new Promise((resolve) => (open = resolve));
    return () => {
      this.restGate = undefined;
      open();
    };
  }

  destroy(): void {
    for (const client of this.clients) client.destroy();
    this.clients.clear();
  }

  room(id: string): Room | undefined {
    return this.rooms.find((r) => r.id === id);
  }

  private noteNewest(room: Room, newest: Message | undefined): void {
    if (!newest) return;
    room.last_seq = newest.seq;
    room.last_message = newest;
    room.last_message_at = newest.created_at;
  }

  /** The `fetch` option: the REST API over the fixture data. */
  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init.method ?? 'GET').toUpperCase();
    const path = url.pathname.slice(API_PREFIX.length);
    this.requests.push(`${method} ${path}${url.search}`);
    await this.restGate;
    const { status, body } = this.answer(method, path.split('/').slice(1).map(decodeURIComponent), url.searchParams);
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };

  private answer(method: string, [resource, id, sub]: string[], query: URLSearchParams): Answer {
    if (method === 'GET' && resource === 'me') return { status: 200, body: this.me };
    if (method === 'GET' && resource === 'presence') {
      const ids = (query.get('user_ids') ?? '').split(',').filter(Boolean);
      const offline = (userId: string) => ({
        user_id: userId,
        status: 'offline',
        status_message: null,
        last_seen_at: null,
      });
      return { status: 200, body: { presence: ids.map(offline) } };
    }
    if (resource !== 'rooms') return notFound('not_found', 'route');
    if (method === 'GET' && id === undefined) {
      const limit = Number(query.get('limit') ?? 50);
      const recent = [...this.rooms].sort((a, b) =>
        (b.last_message_at ?? b.created_at).localeCompare(a.last_message_at ?? a.created_at),
      );
      return { status: 200, body: { rooms: recent.slice(0, limit), next_cursor: null } };
    }
    const room = id === undefined ? undefined : this.room(id);
    if (!room) return notFound('room_not_found', 'room');
    if (method === 'GET' && sub === undefined) return { status: 200, body: room };
    if (method === 'GET' && sub === 'messages') return { status: 200, body: this.page(room, query) };
    if (method === 'POST' && sub === 'read') {
      room.unread_count = 0;
      return { status: 200, body: { unread_count: 0, total_unread: this.totalUnread() } };
    }
    return notFound('not_found', 'route');
  }

  /** `GET /rooms/:id/messages`: newest first, below `before` (a seq), `limit` of them. */
  private page(room: Room, query: URLSearchParams) {
    const before = Number(query.get('before') ?? Infinity);
    const limit = Number(query.get('limit') ?? 50);
    const older = this.messages
      .get(room.id)!
      .filter((m) => m.seq < before)
      .reverse();
    const messages = older.slice(0, limit);
    return { messages, next_cursor: older.length > limit ? String(messages.at(-1)!.seq) : null };
  }

  private totalUnread(): number {
    return this.rooms.reduce((sum, r) => sum + r.unread_count, 0);
  }

  /** What the server does with a frame from a client. */
  handle(socket: StubSocket, frame: ClientFrame): void {
    if (this.held && frame.type !== 'auth') return void this.held.push([socket, frame]);
    this.frames.push(frame);
    switch (frame.type) {
      case 'auth':
        this.sockets.add(socket);
        socket.receive({
          type: 'ready',
          user: this.me,
          // Nothing is ever missed here: every room the client resumes is recovered.
          resume: Object.fromEntries(Object.keys(frame.resume ?? {}).map((roomId) => [roomId, 'recovered'])),
          heartbeat_seconds: 25,
        });
        break;
      case 'send': {
        const stored = this.deliver({
          id: `m-${crypto.randomUUID().slice(0, 8)}`,
          room_id: frame.room_id,
          seq: 0,
          sender_id: this.me.id,
          type: frame.message_type ?? 'text',
          content: frame.content,
          metadata: frame.metadata ?? {},
          reactions: [],
          client_id: frame.client_id ?? null,
          created_at: new Date().toISOString(),
          edited_at: null,
          deleted_at: null,
        });
        socket.receive({ type: 'ack', ...(frame.ref === undefined ? {} : { ref: frame.ref }), message: stored });
        break;
      }
      case 'read': {
        const room = this.room(frame.room_id);
        if (!room) break;
        room.unread_count = 0;
        socket.receive({ type: 'unread', room_id: room.id, unread_count: 0, total: this.totalUnread() });
        break;
      }
      case 'ping':
        socket.receive({ type: 'pong', ...(frame.ref === undefined ? {} : { ref: frame.ref }) });
        break;
      case 'typing':
      case 'presence':
        break;
    }
  }

  forget(socket: StubSocket): void {
    this.sockets.delete(socket);
  }
}
