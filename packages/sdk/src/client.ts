import type { BackoffOptions } from './backoff.js';
import type { ParleyClientEvents } from './client-events.js';
import { Connection, type ConnectionState, type WebSocketConstructor } from './connection.js';
import { Emitter } from './emitter.js';
import { ParleyError, toParleyError } from './errors.js';
import type { OutboxEntry } from './outbox.js';
import { indexedDbOutboxStorage, type OutboxStorageFactory } from './outbox-storage.js';
import type {
  ClientMessageType,
  Message,
  ParticipantWithPresence,
  PresenceRecord,
  Room,
  RoomPage,
  ServerFrame,
  ServerLimits,
  User,
} from './protocol.js';
import { SOCKET_PATH } from './protocol.js';
import { RestClient } from './rest.js';
import { RoomSync } from './room-sync.js';
import { SendQueue } from './send-queue.js';
import { shareMessageOptions, type ShareSource } from './share-message.js';
import { ClientStores, type ParleyStores } from './store/client-stores.js';
import type { LocalMessage } from './store/messages.js';
import { TokenProvider, type GetToken } from './token.js';
import { Typing } from './typing.js';

export type { ParleyClientEvents, ParleyStores };

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

function toSocketUrl(base: string): string {
  const url = new URL(SOCKET_PATH, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * The Parley client: REST calls, one resuming socket, an offline outbox and the stores,
 * composed. Create one per signed-in user; `destroy()` releases everything.
 *
 * The parts: `Connection` owns the socket and its reconnects, `RoomSync` keeps rooms in step
 * with the server's log, `SendQueue` carries sends from click to ack, `Typing` both directions
 * of typing indicators, and `ClientStores` every state change. This class routes frames and
 * calls between them and answers REST calls into the stores.
 */
export class ParleyClient {
  readonly rest: RestClient;
  readonly stores: ParleyStores;
  private readonly state = new ClientStores();
  private readonly events = new Emitter<ParleyClientEvents>();
  private readonly connection: Connection;
  private readonly sync: RoomSync;
  private readonly sends: SendQueue;
  private readonly typing: Typing;
  private readonly pageSize: number;
  private destroyed = false;
  private outboxRestored: Promise<void> | null = null;
  /** How many rooms `connect({ rooms })` asked for on the socket, while the room list is not loaded. */
  private roomsOnConnect: number | undefined;

  constructor(private readonly options: ParleyClientOptions) {
    this.stores = this.state;
    this.pageSize = options.pageSize ?? 50;
    const tokens = new TokenProvider(options.getToken);
    this.rest = new RestClient(options.url, tokens, options.fetch);
    const WebSocketImpl =
      options.WebSocket ??
      ParleyClient.defaultWebSocket ??
      (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketImpl) {
      throw new ParleyError(
        'bad_request',
        ParleyClient.missingWebSocketHint ??
          'No WebSocket implementation: pass options.WebSocket (in Node, import from "ws")',
      );
    }
    this.connection = new Connection({
      url: toSocketUrl(options.url),
      tokens,
      WebSocket: WebSocketImpl,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      pauseWhenHidden: options.pauseWhenHidden ?? false,
      resumeState: () => this.sync.resumeState(),
      // The room list over the socket, until it is loaded (see connect's `rooms`).
      authExtras: () =>
        this.roomsOnConnect && !this.state.rooms.getLatestValue().loaded
          ? { rooms: { limit: this.roomsOnConnect } }
          : {},
    });
    this.sync = new RoomSync({
      stores: this.state,
      rest: this.rest,
      events: this.events,
      reconnect: () => this.connection.reconnectNow(),
      loadMessages: (roomId) => this.loadMessages(roomId),
    });
    this.sends = new SendQueue(this.state, this.connection, (error) =>
      this.events.emit('error', { error: toParleyError(error) }),
    );
    this.typing = new Typing(this.state, (frame) => this.connection.send(frame));
    this.connection.on('state', (change) => {
      this.state.setConnection(change.state);
      if (change.state !== 'open') this.sends.connectionLost();
      this.events.emit('connection.changed', change);
    });
    this.connection.on('frame', (frame) => this.handleFrame(frame));
    this.connection.on('error', (payload) => this.events.emit('error', payload));
  }

  /** Set by the Node entry point so `new ParleyClient()` works in Node without passing `ws`. */
  static defaultWebSocket: WebSocketConstructor | undefined;
  /** Set by the Node entry when `ws` is not installed: what the constructor's error tells the developer. */
  static missingWebSocketHint: string | undefined;

  /** The signed-in user, once known. */
  get user(): User | null {
    return this.stores.session.getLatestValue().user;
  }

  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  /** Messages sent but not yet acknowledged (pending or queued offline). */
  get outboxSize(): number {
    return this.sends.size;
  }

  on<K extends keyof ParleyClientEvents>(event: K, listener: (payload: ParleyClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Open the socket (resolves once authenticated) and load the signed-in user. With `rooms`, the first
   * page of the room list (that many rooms) comes on the socket too, before `ready` — as `loadRooms`
   * would load it, without a REST request (nor, across origins, a CORS preflight).
   */
  async connect(options: { rooms?: number } = {}): Promise<User> {
    this.assertAlive();
    if (options.rooms) this.roomsOnConnect = options.rooms;
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
      if (storage) await this.sends.restore(storage);
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
    this.typing.destroy();
    this.sends.destroy();
  }

  async me(): Promise<User> {
    const user = await this.rest.me();
    this.state.setUser(user);
    return user;
  }

  async searchUsers(query: string, limit?: number): Promise<User[]> {
    return (await this.rest.searchUsers(query, limit)).users;
  }

  /** Load the first page of the room list into the rooms store. */
  async loadRooms(limit = 50): Promise<Room[]> {
    const page = await this.rest.listRooms({ limit });
    this.takeFirstPage(page);
    return page.rooms;
  }

  /** The room list's first page, from REST or from the socket's `rooms` frame: the list is loaded. */
  private takeFirstPage(page: RoomPage): void {
    this.sync.remember(page.rooms);
    this.state.putRooms(page.rooms, { loaded: true, nextCursor: page.next_cursor });
  }

  /** Load the next page of rooms, if any. */
  async loadMoreRooms(limit = 50): Promise<Room[]> {
    const cursor = this.stores.rooms.getLatestValue().nextCursor;
    if (!cursor) return [];
    const page = await this.rest.listRooms({ limit, cursor });
    this.sync.remember(page.rooms);
    this.state.putRooms(page.rooms, { nextCursor: page.next_cursor });
    return page.rooms;
  }

  /** Fetch one room (and keep it in the store). */
  async getRoom(roomId: string): Promise<Room> {
    return this.keepRoom(await this.rest.getRoom(roomId));
  }

  /** The direct room with one other user; returns the existing one when there is one. */
  async createDirectRoom(userId: string): Promise<Room> {
    return this.keepRoom(await this.rest.createRoom({ type: 'direct', user_ids: [userId] }));
  }

  async createGroupRoom(name: string | null, userIds: string[]): Promise<Room> {
    return this.keepRoom(await this.rest.createRoom({ type: 'group', name, user_ids: userIds }));
  }

  /** Rename a group (null clears the custom name). */
  async renameRoom(roomId: string, name: string | null): Promise<Room> {
    return this.keepRoom(await this.rest.updateRoom(roomId, { name }));
  }

  async addParticipants(roomId: string, userIds: string[]): Promise<Room> {
    return this.keepRoom(await this.rest.addParticipants(roomId, userIds));
  }

  /**
   * Remove someone from a group (only its creator may remove others: `room.created_by`); with the user's own id,
   * leave it (resolves undefined and the room leaves the store). The removed person leaves `participants` at once.
   */
  async removeParticipant(roomId: string, userId: string): Promise<Room | undefined> {
    const room = await this.rest.removeParticipant(roomId, userId);
    if (!room) {
      this.state.removeRoom(roomId);
      return undefined;
    }
    this.keepRoom(room);
    // The store may hold a newer copy than the answer (upsertRooms keeps it): drop the person from it too.
    this.state.removeParticipant(roomId, userId);
    return room;
  }

  /**
   * Mute or unmute a room for the user (all their tabs and devices): its messages still arrive and count in its
   * `unread_count`, but it leaves the total unread (`selectTotalUnread`).
   */
  async setRoomMuted(roomId: string, muted: boolean): Promise<Room> {
    const room = this.keepRoom(await this.rest.setRoomMuted(roomId, muted));
    // As above: a newer copy in the store keeps its fields, the setting is the answer's.
    this.state.setMuted(roomId, room.muted);
    return room;
  }

  /** A room's participants with read positions and presence; their presence also goes into the presence store. */
  async listParticipants(roomId: string): Promise<ParticipantWithPresence[]> {
    const { participants } = await this.rest.participants(roomId);
    this.state.applyPresence(participants.map((p) => p.presence));
    return participants;
  }

  /** Leave a room; it disappears from the room list. */
  async leaveRoom(roomId: string): Promise<void> {
    const me = this.user ?? (await this.me());
    await this.removeParticipant(roomId, me.id);
  }

  /** Load the newest page of a room's messages into the messages store. */
  async loadMessages(roomId: string): Promise<LocalMessage[]> {
    const page = await this.rest.listMessages(roomId, { limit: this.pageSize });
    this.state.putMessages(roomId, page.messages, { hasOlder: page.next_cursor !== null, loaded: true });
    return this.state.window(roomId)?.messages ?? [];
  }

  /** Load the page before the oldest loaded message. */
  async loadOlderMessages(roomId: string): Promise<number> {
    const window = this.state.window(roomId);
    const oldest = window?.messages.find((m) => m.status === 'sent');
    if (!window || !oldest) return (await this.loadMessages(roomId)).length;
    if (!window.hasOlder) return 0;
    const page = await this.rest.listMessages(roomId, { before: oldest.seq, limit: this.pageSize });
    this.state.putMessages(roomId, page.messages, { hasOlder: page.next_cursor !== null });
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
    this.typing.sentMessage(roomId);
    return this.sends.send({
      room_id: roomId,
      content,
      type: options.type ?? 'text',
      metadata: options.metadata ?? {},
      ...(options.clientId === undefined ? {} : { client_id: options.clientId }),
    });
  }

  /** Send a failed message again (same client_id, so it can never be stored twice). */
  retrySend(roomId: string, clientId: string): Promise<Message> {
    return this.sends.retry(roomId, clientId);
  }

  /**
   * Forget a failed message: it leaves the room's messages and the persisted outbox (failed sends
   * otherwise survive a reload, so the user decides). Answers whether there was one to discard.
   */
  discardFailed(roomId: string, clientId: string): boolean {
    return this.sends.discard(roomId, clientId);
  }

  /** What the server accepts (message length, …): its `ready` frame's `limits`, or the defaults before. */
  get limits(): ServerLimits {
    return this.state.session.getLatestValue().limits;
  }

  /** Share an AI answer into a room as an `ai_share` message naming its source conversation and message. */
  async shareToRoom(roomId: string, content: string, source: ShareSource): Promise<Message> {
    return this.sendMessage(roomId, content, shareMessageOptions(content, source));
  }

  async editMessage(roomId: string, messageId: string, content: string): Promise<Message> {
    const message = await this.rest.editMessage(roomId, messageId, content);
    this.state.putMessages(roomId, [message]);
    return message;
  }

  /** Soft-delete one of my messages: a tombstone keeps its place. */
  async deleteMessage(roomId: string, messageId: string): Promise<Message> {
    const message = await this.rest.deleteMessage(roomId, messageId);
    this.state.putMessages(roomId, [message]);
    return message;
  }

  /** Add my reaction, or remove it if I already reacted with that emoji. */
  async toggleReaction(roomId: string, messageId: string, emoji: string): Promise<void> {
    const message = this.state.findMessage(roomId, (m) => m.id === messageId);
    const mine = message?.reactions.some((r) => r.emoji === emoji && r.me) ?? false;
    const { reactions } = mine
      ? await this.rest.removeReaction(roomId, messageId, emoji)
      : await this.rest.addReaction(roomId, messageId, emoji);
    this.state.setReactions(roomId, messageId, reactions);
  }

  /** Fetch presence for users (e.g. a room's participants) into the presence store. */
  async loadPresence(userIds: string[]): Promise<PresenceRecord[]> {
    if (userIds.length === 0) return [];
    const { presence } = await this.rest.presence(userIds);
    this.state.applyPresence(presence);
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
      if (seq === undefined) this.state.setUnread(roomId, 0);
      return;
    }
    const result = await this.rest.markRead(roomId, seq);
    this.state.setUnread(roomId, result.unread_count);
  }

  /** Tell the room's members that the user is typing (throttled) or stopped. */
  sendTyping(roomId: string, typing = true): void {
    this.typing.set(roomId, typing);
  }

  /** Set the user's presence (`away` when idle, `online` when back). */
  setPresence(status: 'online' | 'away', statusMessage?: string | null): void {
    this.connection.send({
      type: 'presence',
      status,
      ...(statusMessage === undefined ? {} : { status_message: statusMessage }),
    });
  }

  private keepRoom(room: Room): Room {
    this.sync.remember([room]);
    this.state.putRooms([room]);
    return room;
  }

  private handleFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'rooms':
        this.takeFirstPage(frame.page);
        break;
      case 'ready':
        this.state.setUser(frame.user, frame.limits);
        this.sync.resumed(frame.resume);
        this.events.emit('ready', { user: frame.user, resume: frame.resume });
        for (const [roomId, outcome] of Object.entries(frame.resume))
          this.events.emit('resumed', { room_id: roomId, outcome });
        this.sends.flush(true);
        break;
      case 'event': {
        const { type: _type, ...event } = frame;
        if (!this.sync.apply(event)) break;
        if (event.kind === 'message.created') {
          const { message } = event.data;
          // The echo of the user's own send can overtake its ack: either one settles it.
          if (message.sender_id === this.state.me) this.sends.settle(message.client_id ?? undefined, message);
          this.events.emit('message.new', { message });
        }
        this.events.emit('room.event', event);
        break;
      }
      case 'resync':
        void this.sync.resync(frame.room_id);
        break;
      case 'ack':
        this.sends.settle(frame.ref, frame.message);
        break;
      case 'error':
        if (!this.sends.refused(frame))
          this.events.emit('error', { error: new ParleyError(frame.code, frame.message) });
        break;
      case 'typing':
        this.typing.received(frame.room_id, frame.user_id, frame.state === 'start');
        this.events.emit('typing', { room_id: frame.room_id, user_id: frame.user_id, state: frame.state });
        break;
      case 'presence': {
        const { type: _type, ...record } = frame;
        this.state.applyPresence([record]);
        this.events.emit('presence', record);
        break;
      }
      case 'unread':
        this.state.setUnread(frame.room_id, frame.unread_count);
        this.events.emit('unread', { room_id: frame.room_id, unread_count: frame.unread_count, total: frame.total });
        break;
      case 'mute':
        this.state.setMuted(frame.room_id, frame.muted);
        this.events.emit('mute', { room_id: frame.room_id, muted: frame.muted, total: frame.total });
        break;
      case 'reads':
        this.state.applyReads(frame.room_id, frame.reads);
        this.events.emit('reads', { room_id: frame.room_id, reads: frame.reads });
        break;
      case 'pong':
        break;
    }
  }

  private assertAlive(): void {
    if (this.destroyed) throw new ParleyError('closed', 'this ParleyClient was destroyed');
  }
}

export type { OutboxEntry };
