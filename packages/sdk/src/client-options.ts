import type { BackoffOptions } from './backoff.js';
import type { WebSocketConstructor } from './connection.js';
import type { OutboxStorageFactory } from './outbox-storage.js';
import type { RoomListStorageArea } from './stored-room-list.js';
import { SOCKET_PATH } from './protocol.js';
import type { GetToken } from './token.js';

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
  /**
   * Where the top of the room list is kept between page loads (e.g. `sessionStorage`), per server and
   * user: `connect()` shows it at once, before the socket's first page replaces it. Default: none.
   */
  roomListStorage?: RoomListStorageArea;
}

/** The socket's address on the server at `base` (`wss:` for an `https:` server). */
export function toSocketUrl(base: string): string {
  const url = new URL(SOCKET_PATH, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
