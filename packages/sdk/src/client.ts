// Over 300 lines on purpose: this is the SDK's public API, one documented method per call a host
// makes, each a few lines that hand the work to its part (see the class comment) and the answer to
// the stores. The parts, the frame routing and the options live in files of their own.
import type { ParleyClientEvents } from './client-events.js';
import { toSocketUrl, type ParleyClientOptions } from './client-options.js';
import { Connection, type ConnectionState, type WebSocketConstructor } from './connection.js';
import { Emitter } from './emitter.js';
import { ParleyError, toParleyError } from './errors.js';
import { routeFrame, type FrameTargets } from './frame-router.js';
import type { OutboxEntry } from './outbox.js';
import { indexedDbOutboxStorage } from './outbox-storage.js';
import type {
  ClientMessageType,
  Message,
  ParticipantWithPresence,
  PresenceRecord,
  Room,
  RoomPage,
  ServerLimits,
  User,
} from './protocol.js';
import { RestClient } from './rest.js';
import { RoomSync } from './room-sync.js';
import { SendQueue } from './send-queue.js';
import { shareMessageOptions, type ShareSource } from './share-message.js';
import { ClientStores, type ParleyStores } from './store/client-stores.js';
import type { LocalMessage } from './store/messages.js';
import { StoredRoomList } from './stored-room-list.js';
import { TokenProvider, tokenSubject } from './token.js';
import { Typing } from './typing.js';

export type { ParleyClientEvents, ParleyClientOptions, ParleyStores };

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
  private readonly tokens: TokenProvider;
  private readonly storedRooms: StoredRoomList | null;

  constructor(private readonly options: ParleyClientOptions) {
    this.stores = this.state;
    this.pageSize = options.pageSize ?? 50;
    const tokens = new TokenProvider(options.getToken);
    this.tokens = tokens;
    this.storedRooms = options.roomListStorage
      ? new StoredRoomList(options.roomListStorage, options.url, this.state)
      : null;
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
    const targets: FrameTargets = {
      state: this.state,
      events: this.events,
      sync: this.sync,
      sends: this.sends,
      typing: this.typing,
      takeFirstPage: (page) => this.takeFirstPage(page),
    };
    this.connection.on('frame', (frame) => routeFrame(frame, targets));
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
   * Open the socket; resolves with the signed-in user once authenticated (the socket's `ready` names
   * them: no REST request). With `rooms`, the first page of the room list (that many rooms) comes on
   * the socket too, before `ready` — as `loadRooms` would load it, without a REST request (nor, across
   * origins, a CORS preflight).
   */
  async connect(options: { rooms?: number } = {}): Promise<User> {
    this.assertAlive();
    if (options.rooms) this.roomsOnConnect = options.rooms;
    // The rooms last listed, as soon as the token says whose they are.
    if (this.storedRooms)
      void this.tokens.get().then(
        (token) => this.storedRooms?.show(tokenSubject(token)),
        () => undefined, // connect() reports a token failure
      );
    await this.connection.open();
    const user = this.user ?? (await this.me());
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
    this.storedRooms?.destroy();
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
    this.storedRooms?.firstPage(page);
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

  private assertAlive(): void {
    if (this.destroyed) throw new ParleyError('closed', 'this ParleyClient was destroyed');
  }
}

export type { OutboxEntry };
