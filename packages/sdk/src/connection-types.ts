import type { BackoffOptions } from './backoff.js';
import type { ParleyError } from './errors.js';
import type { ClientFrame, ServerFrame } from './protocol.js';
import type { TokenProvider } from './token.js';

/**
 * `idle`: never opened · `connecting`: first attempt · `open`: authenticated and live ·
 * `reconnecting`: lost, retrying with backoff · `offline`: the browser says there is no network ·
 * `closed`: closed on purpose.
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'offline' | 'closed';

/** The part of a WebSocket the SDK uses: the browser's native one and the `ws` package both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => SocketLike;

export interface ConnectionOptions {
  /** `ws://` or `wss://` URL of the socket endpoint. */
  url: string;
  tokens: TokenProvider;
  WebSocket: WebSocketConstructor;
  backoff?: BackoffOptions;
  /** The last seq seen per room, sent on every (re)connect so the server replays what was missed. */
  resumeState?: () => Record<string, number>;
  /** What else the `auth` frame asks for (the first page of rooms), read as each socket opens. */
  authExtras?: () => Pick<Extract<ClientFrame, { type: 'auth' }>, 'rooms'>;
  /** Close the socket while the page is hidden (saves server sockets for background tabs). Default false. */
  pauseWhenHidden?: boolean;
  /** Give up on an attempt that has not authenticated after this long. */
  connectTimeoutMs?: number;
}

/** A state change; `code` and `reason` when the server's (or the network's) close of the socket caused it. */
export interface ConnectionChange {
  state: ConnectionState;
  previous: ConnectionState;
  code?: number;
  reason?: string;
}

export interface ConnectionEvents {
  state: ConnectionChange;
  /** Every frame after `auth`, including replayed events that precede `ready`. */
  frame: ServerFrame;
  error: { error: ParleyError };
}
