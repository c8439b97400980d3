import type { ConnectionState } from '../connection.js';
import {
  DEFAULT_SERVER_LIMITS,
  type Message,
  type PresenceRecord,
  type ReactionSummary,
  type ReadMarker,
  type Room,
  type RoomEvent,
  type ServerLimits,
  type User,
} from '../protocol.js';
import {
  addPending,
  removePending,
  applyRoomEventToMessages,
  setPendingStatus,
  upsertMessages,
  type LocalMessage,
  type MessageWindow,
  type MessagesState,
} from './messages.js';
import { applyPresence, type PresenceState } from './presence.js';
import {
  applyReadMarkers,
  applyRoomEventToRooms,
  INITIAL_ROOMS,
  removeParticipant,
  removeRoom,
  setMuted,
  setUnread,
  upsertRooms,
  type RoomsState,
} from './rooms.js';
import { StateStore } from './state-store.js';
import { applyTyping, expireTyping, type TypingState } from './typing.js';

export interface SessionState {
  user: User | null;
  limits: ServerLimits;
}

/** Stores a UI subscribes to; each holds plain immutable objects. */
export interface ParleyStores {
  connection: StateStore<{ state: ConnectionState }>;
  /** Who is signed in, and what the server accepts (its `ready` frame's `limits`). */
  session: StateStore<SessionState>;
  rooms: StateStore<RoomsState>;
  messages: StateStore<{ byRoom: MessagesState }>;
  presence: StateStore<{ byUser: PresenceState }>;
  typing: StateStore<{ byRoom: TypingState }>;
}

/**
 * The client's stores and every change the client makes to them, by name: the parts of the
 * client (room sync, send queue, typing) say what happened, the reducers in this folder say
 * what that does to the state. UIs see only the `ParleyStores` side.
 */
export class ClientStores implements ParleyStores {
  readonly connection = new StateStore<{ state: ConnectionState }>({ state: 'idle' });
  readonly session = new StateStore<SessionState>({ user: null, limits: DEFAULT_SERVER_LIMITS });
  readonly rooms = new StateStore<RoomsState>(INITIAL_ROOMS);
  readonly messages = new StateStore<{ byRoom: MessagesState }>({ byRoom: {} });
  readonly presence = new StateStore<{ byUser: PresenceState }>({ byUser: {} });
  readonly typing = new StateStore<{ byRoom: TypingState }>({ byRoom: {} });

  get me(): string | null {
    return this.session.getLatestValue().user?.id ?? null;
  }

  setUser(user: User, limits?: ServerLimits): void {
    this.session.next({ user, limits: limits ?? this.session.getLatestValue().limits });
  }

  setConnection(state: ConnectionState): void {
    this.connection.next({ state });
  }

  hasRoom(roomId: string): boolean {
    return roomId in this.rooms.getLatestValue().byId;
  }

  /** Rooms fetched from the server; `page` when they are a page of the room list. */
  putRooms(rooms: readonly Room[], page: Partial<Pick<RoomsState, 'loaded' | 'nextCursor'>> = {}): void {
    this.rooms.next((s) => upsertRooms(s, rooms, page));
  }

  /** A refetched room replaces the old copy whole (nothing of the stale one is merged in). */
  replaceRoom(room: Room): void {
    this.rooms.next((s) => upsertRooms(removeRoom(s, room.id), [room]));
  }

  removeRoom(roomId: string): void {
    this.rooms.next((s) => removeRoom(s, roomId));
  }

  setUnread(roomId: string, unread: number): void {
    this.rooms.next((s) => setUnread(s, roomId, unread));
  }

  setMuted(roomId: string, muted: boolean): void {
    this.rooms.next((s) => setMuted(s, roomId, muted));
  }

  removeParticipant(roomId: string, userId: string): void {
    this.rooms.next((s) => removeParticipant(s, roomId, userId));
  }

  applyReads(roomId: string, reads: readonly ReadMarker[]): void {
    this.rooms.next((s) => applyReadMarkers(s, roomId, reads));
  }

  /** One logged room change, in order: rooms, loaded messages, and the sender's typing indicator. */
  applyEvent(event: RoomEvent): void {
    const me = this.me;
    if (event.kind === 'member.left' && event.data.user_id === me) this.removeRoom(event.room_id);
    else this.rooms.next((s) => applyRoomEventToRooms(s, event, me));
    this.updateMessages((byRoom) => applyRoomEventToMessages(byRoom, event, me));
    if (event.kind === 'message.created') {
      // A message ends its sender's typing indicator at once, not when it times out.
      this.setTyping(event.room_id, event.data.message.sender_id ?? '', false);
    }
  }

  window(roomId: string): MessageWindow | undefined {
    return this.messages.getLatestValue().byRoom[roomId];
  }

  findMessage(roomId: string, predicate: (message: LocalMessage) => boolean): LocalMessage | undefined {
    return this.window(roomId)?.messages.find(predicate);
  }

  putMessages(
    roomId: string,
    messages: readonly Message[],
    patch?: Partial<Pick<MessageWindow, 'hasOlder' | 'loaded'>>,
  ): void {
    this.updateMessages((byRoom) => upsertMessages(byRoom, roomId, messages, patch));
  }

  /** Forget a room's loaded history (a resync loads it again from scratch). */
  dropMessages(roomId: string): void {
    this.updateMessages((byRoom) => {
      if (!(roomId in byRoom)) return byRoom;
      const { [roomId]: _dropped, ...rest } = byRoom;
      return rest;
    });
  }

  addPending(message: LocalMessage): void {
    this.updateMessages((byRoom) => addPending(byRoom, message));
  }

  removePending(roomId: string, clientId: string): void {
    this.updateMessages((byRoom) => removePending(byRoom, roomId, clientId));
  }

  setPendingStatus(
    roomId: string,
    clientId: string,
    status: 'pending' | 'failed',
    error?: LocalMessage['error'],
  ): void {
    this.updateMessages((byRoom) => setPendingStatus(byRoom, roomId, clientId, status, error));
  }

  /** A reaction answer from the server is absolute, so it agrees with the event that also arrives. */
  setReactions(roomId: string, messageId: string, reactions: ReactionSummary[]): void {
    this.updateMessages((byRoom) => {
      const window = byRoom[roomId];
      if (!window) return byRoom;
      const messages = window.messages.map((m) => (m.id === messageId ? { ...m, reactions } : m));
      return { ...byRoom, [roomId]: { ...window, messages } };
    });
  }

  applyPresence(records: readonly PresenceRecord[]): void {
    this.presence.next((s) => ({ byUser: records.reduce(applyPresence, s.byUser) }));
  }

  setTyping(roomId: string, userId: string, typing: boolean, now = Date.now()): void {
    this.typing.next((s) => {
      const byRoom = applyTyping(s.byRoom, roomId, userId, typing, now);
      return byRoom === s.byRoom ? s : { byRoom };
    });
  }

  /** Drop indicators nobody refreshed; answers whether anyone is still typing anywhere. */
  expireTyping(now = Date.now()): boolean {
    const state = this.typing.getLatestValue().byRoom;
    const next = expireTyping(state, now);
    if (next !== state) this.typing.next({ byRoom: next });
    return Object.values(next).some((users) => Object.keys(users).length > 0);
  }

  private updateMessages(update: (byRoom: MessagesState) => MessagesState): void {
    this.messages.next((s) => {
      const byRoom = update(s.byRoom);
      return byRoom === s.byRoom ? s : { byRoom };
    });
  }
}
