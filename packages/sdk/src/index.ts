export { ParleyClient, type ParleyClientEvents, type ParleyClientOptions, type ParleyStores } from './client.js';
export {
  Connection,
  type ConnectionChange,
  type ConnectionState,
  type SocketLike,
  type WebSocketConstructor,
} from './connection.js';
export { ParleyError, toParleyError } from './errors.js';
export { fullJitterDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { StateStore } from './store/state-store.js';
export { selectRoomList, selectTotalUnread, type RoomsState } from './store/rooms.js';
export {
  EMPTY_WINDOW,
  type LocalMessage,
  type MessageStatus,
  type MessageWindow,
  type MessagesState,
} from './store/messages.js';
export { selectTypingUsers, type TypingState } from './store/typing.js';
export type { PresenceState } from './store/presence.js';
export type { GetToken } from './token.js';
export type * from './protocol.js';
export { API_PREFIX, DEFAULT_SERVER_LIMITS, SOCKET_PATH } from './protocol.js';
export type { SessionState } from './store/client-stores.js';
export {
  indexedDbOutboxStorage,
  memoryOutboxStorage,
  type OutboxStorage,
  type OutboxStorageFactory,
} from './outbox-storage.js';
export type { OutboxEntry } from './outbox.js';
export type { ShareSource } from './share-message.js';
