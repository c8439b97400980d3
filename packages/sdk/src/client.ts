import type { BackoffOptions } from './backoff.js';
import { Connection, type ConnectionState, type WebSocketConstructor } from './connection.js';
import { shareToRoom as sendShare, type ShareSource } from './agent/share.js';
import { Emitter } from './emitter.js';
import { ParleyError, toParleyError } from './errors.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { indexedDbOutboxStorage, type OutboxStorageFactory } from './outbox-storage.js';
import type {
  ClientMessageType,
  Message,
  ParticipantWithPresence,
  PresenceRecord,
  ReadMarker,
  ResumeOutcome,
  Room,
  RoomEvent,
  ServerFrame,
  User,
} from './protocol.js';
import { SOCKET_PATH } from './protocol.js';
import { RestClient } from './rest.js';
import {
  addPending,
  applyRoomEventToMessages,
  setPendingStatus,
  upsertMessages,
  type LocalMessage,
  type MessagesState,
} from './store/messages.js';
import { applyPresence, type PresenceState } from './store/presence.js';
import {
  applyReadMarkers,
  applyRoomEventToRooms,
  INITIAL_ROOMS,
  removeRoom,
  setUnread,
  upsertRooms,
  type RoomsState,
} from './store/rooms.js';
import { StateStore } from './store/state-store.js';
import { applyTyping, expireTyping, type TypingState } from './store/typing.js';
import { TokenProvider, type GetToken } from './token.js';
import { randomId } from './uuid.js';

export interface ParleyClientOptions {
  /** Base URL of the Parley server, e.g. `https://chat.example.com`. */
  url: string;
  /** Returns a JWT for the signed-in user; called again when it nears expiry or the server rejects it. */
  getToken: GetToken;
  /** WebSocket implementation; defaults to the global one (browsers; in Node the SDK's node entry supplies `ws`). */
  WebSocket?: WebSocketConstructor;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** Close the socket while the page is hidden and reconnect (with resume) when it is visible again. */
  pauseWhenHidden?: boolean;
  /** How many messages a room's first load and each older page fetch. Default 50. */
  pageSize?: number;
  /**
   * Where unsent messages survive a reload. Default: IndexedDB when the environment has it
   * (browsers), else memory only. `false` keeps them in memory only.
   */
  outboxStorage?: OutboxStorageFactory | false;
}

/** Everything the client emits; every `on()` returns its own unsubscribe. */
export interface ParleyClientEvents {
  'connection.changed': { state: ConnectionState; previous: ConnectionState };
  /** The socket is authenticated; `resume` says per room whether missed events were replayed or the room was refetched. */
  ready: { user: User; resume: Record<string, ResumeOutcome> };
  /** Every logged room change, once each, in seq order per room. */
  'room.event': RoomEvent;
  'message.new': { message: Message };
  /** A room's gap was too large to replay; the client refetched it. */
  resync: { room_id: string };
  /** After a reconnect, per room the client resumed: every missed event replayed (`recovered`) or refetched (`resync`). */
  resumed: { room_id: string; outcome: ResumeOutcome };
  typing: { room_id: string; user_id: string; state: 'start' | 'stop' };
  presence: PresenceRecord;
  unread: { room_id: string; unread_count: number; total: number };
  /** Participants' read markers moved in a room (also applied to the room's `participants` in the store). */
  reads: { room_id: string; reads: ReadMarker[] };
  error: { error: ParleyError };
}

/** Stores a UI subscribes to; each holds plain immutable objects. */
export interface ParleyStores {
  connection: StateStore<{ state: ConnectionState }>;
  session: StateStore<{ user: User | null }>;
  rooms: StateStore<RoomsState>;
  messages: StateStore<{ byRoom: MessagesState }>;
  presence: StateStore<{ byUser: PresenceState }>;
  typing: StateStore<{ byRoom: TypingState }>;
}

interface PendingSend {
  resolve: (message: Message) => void;
  reject: (error: ParleyError) => void;
}

const TYPING_RESEND_MS = 3_000;
/** Wait before resending a send the server refused for now (rate limit) when it does not say how long. */
const SEND_RETRY_MS = 1_000;
/** Gap reconnects allowed per minute before a room with a gap is refetched instead (a safety valve). */
const MAX_GAP_RECONNECTS_PER_MINUTE = 3;

function toSocketUrl(base: string): string {
  const url = new URL(SOCKET_PATH, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * The Parley client: REST calls, one resuming socket, an offline outbox and the stores,
 * composed. Create one per signed-in user; `destroy()` releases everything.
 */
export class ParleyClient {
  readonly rest: RestClient;
  readonly stores: ParleyStores;
  private readonly events = new Emitter<ParleyClientEvents>();
  private readonly connection: Connection;
  private readonly tokens: TokenProvider;
  private readonly outbox = new Outbox();
  private readonly pendingSends = new Map<string, PendingSend>();
  /** Highest seq received per room over the socket: what a reconnect resumes from. */
  private readonly seenSeq = new Map<string, number>();
  private readonly roomFetches = new Map<string, Promise<Room | null>>();
  private readonly typingSentAt = new Map<string, number>();
  private readonly pageSize: number;
  private typingTimer: ReturnType<typeof setInterval> | null = null;
  private destroyed = false;
  private outboxRestored: Promise<void> | null = null;
  /** Rooms being refetched: their events apply without gap checks until the refetch settles. */
  private readonly resyncs = new Map<string, Promise<void>>();
  private readonly retryTimers = new Set<ReturnType<typeof setTimeout>>();
  private gapReconnects: number[] = [];

  constructor(private readonly options: ParleyClientOptions) {
    this.pageSize = options.pageSize ?? 50;
    this.tokens = new TokenProvider(options.getToken);
    this.rest = new RestClient(options.url, this.tokens, options.fetch);
    const WebSocketImpl =
      options.WebSocket ??
      ParleyClient.defaultWebSocket ??
      (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketImpl) {
      throw new ParleyError(
        'bad_request',
        'No WebSocket implementation: pass options.WebSocket (in Node, import from "ws")',
      );
    }
    this.stores = {
      connection: new StateStore<{ state: ConnectionState }>({ state: 'idle' }),
      session: new StateStore<{ user: User | null }>({ user: null }),
      rooms: new StateStore<RoomsState>(INITIAL_ROOMS),
      messages: new StateStore<{ byRoom: MessagesState }>({ byRoom: {} }),
      presence: new StateStore<{ byUser: PresenceState }>({ byUser: {} }),
      typing: new StateStore<{ byRoom: TypingState }>({ byRoom: {} }),
    };
    this.connection = new Connection({
      url: toSocketUrl(options.url),
      tokens: this.tokens,
      WebSocket: WebSocketImpl,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      pauseWhenHidden: options.pauseWhenHidden ?? false,
      resumeState: () => this.resumeState(),
    });
    this.connection.on('state', (change) => {
      this.stores.connection.next({ state: change.state });
      if (change.state !== 'open') this.outbox.requeueInflight();
      this.events.emit('connection.changed', change);
    });
    this.connection.on('frame', (frame) => this.handleFrame(frame));
    this.connection.on('error', (payload) => this.events.emit('error', payload));
  }

  /** Set by the Node entry point so `new ParleyClient()` works in Node without passing `ws`. */
  static defaultWebSocket: WebSocketConstructor | undefined;

  /** The signed-in user, once known. */
  get user(): User | null {
    return this.stores.session.getLatestValue().user;
  }

  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  on<K extends keyof ParleyClientEvents>(event: K, listener: (payload: ParleyClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Open the socket (resolves once authenticated) and load the signed-in user. */
  async connect(): Promise<User> {
    this.assertAlive();
    const [user] = await Promise.all([this.me(), this.connection.open()]);
    await this.restoreOutbox(user);
    return user;
  }

  /** Once per client: persist the outbox for this server and user, and bring back what a previous session left unsent. */
  private restoreOutbox(user: User): Promise<void> {
    return (this.outboxRestored ??= (async () => {
      const factory =
        this.options.outboxStorage === false ? null : (this.options.outboxStorage ?? indexedDbOutboxStorage);
      const storage = factory?.(`${this.options.url}|${user.id}`);
      if (!storage) return;
      this.outbox.onStorageError = (error) => this.events.emit('error', { error: toParleyError(error) });
      const restored = await this.outbox.attach(storage);
      for (const entry of restored) {
        this.stores.messages.next((s) => ({ byRoom: addPending(s.byRoom, this.pendingMessage(entry)) }));
      }
      if (restored.length) this.flushOutbox();
    })());
  }

  /** Close the socket; the stores keep their data and `connect()` resumes. */
  disconnect(): void {
    this.connection.close();
  }

  /** Close everything and drop every listener; the client cannot be used again. */
  destroy(): void {
    this.destroyed = true;
    this.connection.destroy();
    this.events.clear();
    if (this.typingTimer) clearInterval(this.typingTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const pending of this.pendingSends.values()) pending.reject(new ParleyError('closed', 'client destroyed'));
    this.pendingSends.clear();
  }

  async me(): Promise<User> {
    const user = await this.rest.me();
    this.stores.session.next({ user });
    return user;
  }

  async searchUsers(query: string, limit?: number): Promise<User[]> {
    return (await this.rest.searchUsers(query, limit)).users;
  }

  /** Load the first page of the room list into the rooms store. */
  async loadRooms(limit = 50): Promise<Room[]> {
    const page = await this.rest.listRooms({ limit });
    this.rememberSeqs(page.rooms);
    this.stores.rooms.next((s) => upsertRooms(s, page.rooms, { loaded: true, nextCursor: page.next_cursor }));
    return page.rooms;
  }

  /** Load the next page of rooms, if any. */
  async loadMoreRooms(limit = 50): Promise<Room[]> {
    const cursor = this.stores.rooms.getLatestValue().nextCursor;
    if (!cursor) return [];
    const page = await this.rest.listRooms({ limit, cursor });
    this.rememberSeqs(page.rooms);
    this.stores.rooms.next((s) => upsertRooms(s, page.rooms, { nextCursor: page.next_cursor }));
    return page.rooms;
  }

  /** Fetch one room (and keep it in the store). */
  async getRoom(roomId: string): Promise<Room> {
    const room = await this.rest.getRoom(roomId);
    this.rememberSeqs([room]);
    this.stores.rooms.next((s) => upsertRooms(s, [room]));
    return room;
  }

  /** The direct room with one other user; returns the existing one when there is one. */
  async createDirectRoom(userId: string): Promise<Room> {
    return this.keepRoom(await this.rest.createRoom({ type: 'direct', user_ids: [userId] }));
  }

  async createGroupRoom(name: string | null, userIds: string[]): Promise<Room> {
    return this.keepRoom(await this.rest.createRoom({ type: 'group', name, user_ids: userIds }));
  }

  /** Load the newest page of a room's messages into the messages store. */
  async loadMessages(roomId: string): Promise<LocalMessage[]> {
    const page = await this.rest.listMessages(roomId, { limit: this.pageSize });
    this.stores.messages.next((s) => ({
      byRoom: upsertMessages(s.byRoom, roomId, page.messages, { hasOlder: page.next_cursor !== null, loaded: true }),
    }));
    return this.stores.messages.getLatestValue().byRoom[roomId]?.messages ?? [];
  }

  /** Load the page before the oldest loaded message. */
  async loadOlderMessages(roomId: string): Promise<number> {
    const window = this.stores.messages.getLatestValue().byRoom[roomId];
    const oldest = window?.messages.find((m) => m.status === 'sent');
    if (!window || !oldest) {
      await this.loadMessages(roomId);
      return this.stores.messages.getLatestValue().byRoom[roomId]?.messages.length ?? 0;
    }
    if (!window.hasOlder) return 0;
    const page = await this.rest.listMessages(roomId, { before: oldest.seq, limit: this.pageSize });
    this.stores.messages.next((s) => ({
      byRoom: upsertMessages(s.byRoom, roomId, page.messages, { hasOlder: page.next_cursor !== null }),
    }));
    return page.messages.length;
  }

  /**
   * Send a message. It appears in the store at once as `pending`, is queued while offline,
   * and resolves with the stored message once the server acknowledges it.
   */
  sendMessage(
    roomId: string,
    content: string,
    options: { type?: ClientMessageType; metadata?: Record<string, unknown>; clientId?: string } = {},
  ): Promise<Message> {
    this.assertAlive();
    const user = this.user;
    const entry = this.outbox.add({
      client_id: options.clientId ?? randomId(),
      room_id: roomId,
      content,
      type: options.type ?? 'text',
      metadata: options.metadata ?? {},
      created_at: new Date().toISOString(),
    });
    const pending = this.pendingMessage(entry, user?.id ?? null);
    this.stores.messages.next((s) => ({ byRoom: addPending(s.byRoom, pending) }));
    this.typingSentAt.delete(roomId);
    return this.awaitAck(entry.client_id);
  }

  /** Send a failed message again (same client_id, so it can never be stored twice). */
  retrySend(roomId: string, clientId: string): Promise<Message> {
    const window = this.stores.messages.getLatestValue().byRoom[roomId];
    const failed = window?.messages.find((m) => m.client_id === clientId && m.status === 'failed');
    if (!failed) return Promise.reject(new ParleyError('message_not_found', 'no failed message with that client_id'));
    this.stores.messages.next((s) => ({ byRoom: setPendingStatus(s.byRoom, roomId, clientId, 'pending') }));
    this.outbox.add({
      client_id: clientId,
      room_id: roomId,
      content: failed.content ?? '',
      type: failed.type === 'system' ? 'text' : failed.type,
      metadata: failed.metadata,
      created_at: failed.created_at,
    });
    return this.awaitAck(clientId);
  }

  /** Flush the outbox and resolve with the server's copy when `clientId` is acknowledged. */
  private awaitAck(clientId: string): Promise<Message> {
    const result = new Promise<Message>((resolve, reject) => this.pendingSends.set(clientId, { resolve, reject }));
    // Nobody has to await a send: the failed state lives in the store.
    result.catch(() => undefined);
    this.flushOutbox();
    return result;
  }

  /** Rename a group (null clears the custom name). */
  async renameRoom(roomId: string, name: string | null): Promise<Room> {
    return this.keepRoom(await this.rest.updateRoom(roomId, { name }));
  }

  /** A room's participants with read positions and presence; their presence also goes into the presence store. */
  async listParticipants(roomId: string): Promise<ParticipantWithPresence[]> {
    const { participants } = await this.rest.participants(roomId);
    this.stores.presence.next((s) => ({
      byUser: participants.reduce((byUser, p) => applyPresence(byUser, p.presence), s.byUser),
    }));
    return participants;
  }

  async addParticipants(roomId: string, userIds: string[]): Promise<Room> {
    return this.keepRoom(await this.rest.addParticipants(roomId, userIds));
  }

  /** Leave a room; it disappears from the room list. */
  async leaveRoom(roomId: string): Promise<void> {
    const me = this.user ?? (await this.me());
    await this.rest.removeParticipant(roomId, me.id);
    this.stores.rooms.next((s) => removeRoom(s, roomId));
  }

  async editMessage(roomId: string, messageId: string, content: string): Promise<Message> {
    const message = await this.rest.editMessage(roomId, messageId, content);
    this.stores.messages.next((s) => ({ byRoom: upsertMessages(s.byRoom, roomId, [message]) }));
    return message;
  }

  /** Soft-delete one of my messages: a tombstone keeps its place. */
  async deleteMessage(roomId: string, messageId: string): Promise<Message> {
    const message = await this.rest.deleteMessage(roomId, messageId);
    this.stores.messages.next((s) => ({ byRoom: upsertMessages(s.byRoom, roomId, [message]) }));
    return message;
  }

  /** Share an AI answer into a room as an `ai_share` message naming its source conversation and message. */
  shareToRoom(roomId: string, content: string, source: ShareSource): Promise<Message> {
    return sendShare(this, roomId, content, source);
  }

  /** Add my reaction, or remove it if I already reacted with that emoji. */
  async toggleReaction(roomId: string, messageId: string, emoji: string): Promise<void> {
    const message = this.stores.messages.getLatestValue().byRoom[roomId]?.messages.find((m) => m.id === messageId);
    const mine = message?.reactions.some((r) => r.emoji === emoji && r.me) ?? false;
    const { reactions } = mine
      ? await this.rest.removeReaction(roomId, messageId, emoji)
      : await this.rest.addReaction(roomId, messageId, emoji);
    // The answer is absolute, so it agrees with the event that also arrives (no double counting).
    this.stores.messages.next((s) => {
      const window = s.byRoom[roomId];
      if (!window) return s;
      const messages = window.messages.map((m) => (m.id === messageId ? { ...m, reactions } : m));
      return { byRoom: { ...s.byRoom, [roomId]: { ...window, messages } } };
    });
  }

  /** Fetch presence for users (e.g. a room's participants) into the presence store. */
  async loadPresence(userIds: string[]): Promise<PresenceRecord[]> {
    if (userIds.length === 0) return [];
    const { presence } = await this.rest.presence(userIds);
    this.stores.presence.next((s) => ({ byUser: presence.reduce(applyPresence, s.byUser) }));
    return presence;
  }

  /**
   * Mark a room read up to `seq` (default: everything). Over the open socket this is a `read` frame
   * (cheap enough to call for every message shown: the server coalesces them) and the new counts
   * arrive as an `unread` frame; without a socket it is `POST /rooms/:id/read`, whose answer updates
   * the counts.
   */
  async markRead(roomId: string, seq?: number): Promise<void> {
    if (
      this.connection.state === 'open' &&
      this.connection.send({ type: 'read', room_id: roomId, ...(seq === undefined ? {} : { seq }) })
    ) {
      if (seq === undefined) this.stores.rooms.next((s) => setUnread(s, roomId, 0));
      return;
    }
    const result = await this.rest.markRead(roomId, seq);
    this.stores.rooms.next((s) => setUnread(s, roomId, result.unread_count));
  }

  /** Tell the room's members that the user is typing (throttled) or stopped. */
  sendTyping(roomId: string, typing = true): void {
    const now = Date.now();
    if (typing) {
      const last = this.typingSentAt.get(roomId) ?? 0;
      if (now - last < TYPING_RESEND_MS) return;
      this.typingSentAt.set(roomId, now);
    } else {
      if (!this.typingSentAt.has(roomId)) return;
      this.typingSentAt.delete(roomId);
    }
    this.connection.send({ type: 'typing', room_id: roomId, state: typing ? 'start' : 'stop' });
  }

  /** Set the user's presence (`away` when idle, `online` when back). */
  setPresence(status: 'online' | 'away', statusMessage?: string | null): void {
    this.connection.send({
      type: 'presence',
      status,
      ...(statusMessage === undefined ? {} : { status_message: statusMessage }),
    });
  }

  /** Messages sent but not yet acknowledged (pending or queued offline). */
  get outboxSize(): number {
    return this.outbox.size;
  }

  /** The optimistic copy of an unsent message, shown until the server's copy replaces it. */
  private pendingMessage(entry: OutboxEntry, senderId: string | null = this.user?.id ?? null): LocalMessage {
    return {
      id: `local:${entry.client_id}`,
      room_id: entry.room_id,
      seq: 0,
      sender_id: senderId,
      type: entry.type,
      content: entry.content,
      metadata: entry.metadata,
      reactions: [],
      client_id: entry.client_id,
      created_at: entry.created_at,
      edited_at: null,
      deleted_at: null,
      status: 'pending',
    };
  }

  private keepRoom(room: Room): Room {
    this.rememberSeqs([room]);
    this.stores.rooms.next((s) => upsertRooms(s, [room]));
    return room;
  }

  private rememberSeqs(rooms: readonly Room[]): void {
    for (const room of rooms) {
      if (!this.seenSeq.has(room.id)) this.seenSeq.set(room.id, room.last_seq);
    }
  }

  private resumeState(): Record<string, number> {
    return Object.fromEntries(this.seenSeq);
  }

  private flushOutbox(): void {
    if (this.connection.state !== 'open') return;
    for (const entry of this.outbox.takeQueued()) {
      const sent = this.connection.send({
        type: 'send',
        ref: entry.client_id,
        room_id: entry.room_id,
        content: entry.content,
        message_type: entry.type,
        metadata: entry.metadata,
        client_id: entry.client_id,
      });
      if (!sent) {
        this.outbox.requeueInflight();
        return;
      }
    }
  }

  private handleFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ready':
        this.stores.session.next({ user: frame.user });
        for (const [roomId, outcome] of Object.entries(frame.resume)) {
          if (outcome === 'resync') void this.resyncRoom(roomId);
        }
        this.events.emit('ready', { user: frame.user, resume: frame.resume });
        for (const [roomId, outcome] of Object.entries(frame.resume))
          this.events.emit('resumed', { room_id: roomId, outcome });
        this.flushOutbox();
        break;
      case 'event': {
        const { type: _type, ...event } = frame;
        this.applyEvent(event);
        break;
      }
      case 'resync':
        void this.resyncRoom(frame.room_id);
        break;
      case 'ack':
        this.settleSend(frame.ref, frame.message);
        break;
      case 'error':
        if (frame.ref && this.outbox.get(frame.ref)) {
          // "Not now" is not "no": a rate-limited send, or one that met an expiring token, goes again.
          if (frame.code === 'rate_limited' || frame.code === 'token_expired')
            this.retryLater(frame.ref, frame.retry_after_ms ?? SEND_RETRY_MS);
          else this.failSend(frame.ref, new ParleyError(frame.code, frame.message));
        } else this.events.emit('error', { error: new ParleyError(frame.code, frame.message) });
        break;
      case 'typing':
        this.stores.typing.next((s) => ({
          byRoom: applyTyping(s.byRoom, frame.room_id, frame.user_id, frame.state === 'start', Date.now()),
        }));
        this.ensureTypingExpiry();
        this.events.emit('typing', { room_id: frame.room_id, user_id: frame.user_id, state: frame.state });
        break;
      case 'presence': {
        const { type: _type, ...record } = frame;
        this.stores.presence.next((s) => ({ byUser: applyPresence(s.byUser, record) }));
        this.events.emit('presence', record);
        break;
      }
      case 'unread':
        this.stores.rooms.next((s) => setUnread(s, frame.room_id, frame.unread_count));
        this.events.emit('unread', { room_id: frame.room_id, unread_count: frame.unread_count, total: frame.total });
        break;
      case 'reads':
        this.stores.rooms.next((s) => applyReadMarkers(s, frame.room_id, frame.reads));
        this.events.emit('reads', { room_id: frame.room_id, reads: frame.reads });
        break;
      case 'pong':
        break;
    }
  }

  /** Put a send back in the queue and flush again after `delayMs` (it keeps its place and client_id). */
  private retryLater(clientId: string, delayMs: number): void {
    this.outbox.requeue(clientId);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.flushOutbox();
    }, delayMs);
    this.retryTimers.add(timer);
  }

  /**
   * A room's events skipped ahead of what the client has: never drop the missing ones
   * silently. Reconnect so the server replays them from the log (resume); if that keeps
   * happening, refetch the room instead.
   */
  private handleGap(roomId: string): void {
    const now = Date.now();
    this.gapReconnects = this.gapReconnects.filter((at) => now - at < 60_000);
    if (this.gapReconnects.length >= MAX_GAP_RECONNECTS_PER_MINUTE) {
      void this.resyncRoom(roomId);
      return;
    }
    this.gapReconnects.push(now);
    this.connection.reconnectNow();
  }

  private applyEvent(event: RoomEvent): void {
    const known = this.seenSeq.has(event.room_id);
    const seen = this.seenSeq.get(event.room_id) ?? 0;
    // Replay and live delivery may overlap after a reconnect: each seq counts once.
    if (event.seq <= seen) return;
    if (known && event.seq > seen + 1 && !this.resyncs.has(event.room_id)) return this.handleGap(event.room_id);
    this.seenSeq.set(event.room_id, event.seq);
    const me = this.user?.id ?? null;
    if (!this.stores.rooms.getLatestValue().byId[event.room_id]) void this.fetchRoomOnce(event.room_id);
    if (event.kind === 'member.left' && event.data.user_id === me) {
      this.stores.rooms.next((s) => removeRoom(s, event.room_id));
    } else {
      this.stores.rooms.next((s) => applyRoomEventToRooms(s, event, me));
    }
    this.stores.messages.next((s) => {
      const byRoom = applyRoomEventToMessages(s.byRoom, event, me);
      return byRoom === s.byRoom ? s : { byRoom };
    });
    if (event.kind === 'message.created') {
      const { message } = event.data;
      if (message.client_id && this.outbox.get(message.client_id) && message.sender_id === me)
        this.settleSend(message.client_id, message);
      this.stores.typing.next((s) => {
        const byRoom = applyTyping(s.byRoom, event.room_id, message.sender_id ?? '', false, Date.now());
        return byRoom === s.byRoom ? s : { byRoom };
      });
      this.events.emit('message.new', { message });
    }
    this.events.emit('room.event', event);
  }

  private settleSend(clientId: string | undefined, message: Message): void {
    if (!clientId) return;
    this.outbox.remove(clientId);
    this.stores.messages.next((s) => ({ byRoom: upsertMessages(s.byRoom, message.room_id, [message]) }));
    this.pendingSends.get(clientId)?.resolve(message);
    this.pendingSends.delete(clientId);
  }

  private failSend(clientId: string, error: ParleyError): void {
    const entry = this.outbox.remove(clientId);
    if (!entry) return;
    this.stores.messages.next((s) => ({
      byRoom: setPendingStatus(s.byRoom, entry.room_id, clientId, 'failed', {
        code: error.code,
        message: error.message,
      }),
    }));
    this.pendingSends.get(clientId)?.reject(error);
    this.pendingSends.delete(clientId);
  }

  private fetchRoomOnce(roomId: string): Promise<Room | null> {
    let fetching = this.roomFetches.get(roomId);
    if (!fetching) {
      fetching = this.getRoom(roomId)
        .catch((error: unknown) => {
          this.events.emit('error', { error: toParleyError(error) });
          return null;
        })
        .finally(() => this.roomFetches.delete(roomId));
      this.roomFetches.set(roomId, fetching);
    }
    return fetching;
  }

  /** The gap was too large to replay: refetch the room and, if it was loaded, its newest messages. */
  private resyncRoom(roomId: string): Promise<void> {
    let running = this.resyncs.get(roomId);
    if (!running) {
      running = this.refetchRoom(roomId).finally(() => this.resyncs.delete(roomId));
      this.resyncs.set(roomId, running);
    }
    return running;
  }

  private async refetchRoom(roomId: string): Promise<void> {
    try {
      const room = await this.rest.getRoom(roomId);
      // Live events may have run ahead of the fetched room meanwhile: never move backwards.
      this.seenSeq.set(roomId, Math.max(this.seenSeq.get(roomId) ?? 0, room.last_seq));
      this.stores.rooms.next((s) => upsertRooms(removeRoom(s, roomId), [room]));
      if (this.stores.messages.getLatestValue().byRoom[roomId]) {
        this.stores.messages.next((s) => {
          const { [roomId]: _dropped, ...rest } = s.byRoom;
          return { byRoom: rest };
        });
        await this.loadMessages(roomId);
      }
      this.events.emit('resync', { room_id: roomId });
    } catch (error) {
      const parleyError = toParleyError(error);
      if (parleyError.code === 'room_not_found') {
        this.seenSeq.delete(roomId);
        this.stores.rooms.next((s) => removeRoom(s, roomId));
      } else {
        this.events.emit('error', { error: parleyError });
      }
    }
  }

  private ensureTypingExpiry(): void {
    if (this.typingTimer) return;
    this.typingTimer = setInterval(() => {
      const state = this.stores.typing.getLatestValue().byRoom;
      const next = expireTyping(state, Date.now());
      if (next !== state) this.stores.typing.next({ byRoom: next });
      if (Object.values(next).every((users) => Object.keys(users).length === 0) && this.typingTimer) {
        clearInterval(this.typingTimer);
        this.typingTimer = null;
      }
    }, 1_000);
  }

  private assertAlive(): void {
    if (this.destroyed) throw new ParleyError('closed', 'this ParleyClient was destroyed');
  }
}

export type { OutboxEntry };
