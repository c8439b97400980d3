import { DEFAULT_BACKOFF, fullJitterDelay, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { ParleyError } from './errors.js';
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

const OPEN = 1;
/** Close codes the server uses for "do not retry with this token". */
const AUTH_FAILURE_CODES = new Set(['unauthorized', 'token_expired', 'not_authenticated']);
/** The server's 4401: this token will not do. Retried once with a fresh token, then final. */
const CLOSE_UNAUTHORIZED = 4401;
/**
 * Refusals no retry can change, with the error the host is told: 4403 the user may not connect,
 * 4409 another socket of the same user replaced this one (reconnecting would close that one).
 */
const FINAL_CLOSES: Record<number, 'forbidden' | 'conflict'> = { 4403: 'forbidden', 4409: 'conflict' };

/**
 * Owns the one socket: authentication, heartbeat, dead-socket detection, reconnect with
 * full-jitter backoff and the resume handshake. Frames from a replaced socket are ignored.
 */
export class Connection extends Emitter<ConnectionEvents> {
  private socket: SocketLike | null = null;
  private socketId = 0;
  private attempt = 0;
  private current: ConnectionState = 'idle';
  private wanted = false;
  private readonly cleanups: Array<() => void> = [];
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private heartbeatMs = 25_000;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** 4401 closes since the last `ready`: the second means a fresh token did not help either. */
  private unauthorizedCloses = 0;
  /** Why the server refused for good, once it has (see FINAL_CLOSES); `open()` rejects with it. */
  private refusal: ParleyError | null = null;

  constructor(private readonly options: ConnectionOptions) {
    super();
    this.watchBrowser();
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Start (or keep) connecting; resolves when the socket is authenticated. */
  open(): Promise<void> {
    this.wanted = true;
    this.refusal = null;
    this.unauthorizedCloses = 0;
    const ready = new Promise<void>((resolve, reject) => {
      if (this.current === 'open') return resolve();
      const off = this.on('state', ({ state }) => {
        if (state === 'open') {
          off();
          offError();
          resolve();
        } else if (state === 'closed') {
          off();
          offError();
          reject(this.refusal ?? new ParleyError('closed', 'connection closed'));
        }
      });
      // A refused token will not get better by retrying: fail the first open() loudly.
      const offError = this.on('error', ({ error }) => {
        if (this.current !== 'open' && AUTH_FAILURE_CODES.has(error.code) && this.attempt > 2) {
          off();
          offError();
          reject(error);
        }
      });
    });
    if (!this.socket && this.current !== 'offline') void this.connectNow();
    return ready;
  }

  /** Close for good (until `open()` is called again). */
  close(): void {
    this.wanted = false;
    this.dropSocket(1000, 'client closed');
    this.clearTimers();
    this.setState('closed');
  }

  destroy(): void {
    this.close();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.clear();
  }

  /** Send a frame if the socket is authenticated; returns false otherwise (callers queue). */
  send(frame: ClientFrame): boolean {
    if (this.current !== 'open' || !this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Drop the current socket and reconnect at once (e.g. the network came back). */
  reconnectNow(): void {
    if (!this.wanted) return;
    this.dropSocket(4000, 'reconnect');
    this.attempt = 0;
    void this.connectNow();
  }

  private async connectNow(): Promise<void> {
    this.clearTimers();
    const id = ++this.socketId;
    this.setState(this.attempt === 0 && this.current !== 'reconnecting' ? 'connecting' : 'reconnecting');
    let token: string;
    try {
      token = await this.options.tokens.get();
    } catch (error) {
      this.emit('error', {
        error: new ParleyError('unauthorized', `getToken failed: ${(error as Error).message}`, { cause: error }),
      });
      this.scheduleReconnect();
      return;
    }
    if (id !== this.socketId || !this.wanted) return;
    let socket: SocketLike;
    try {
      socket = new this.options.WebSocket(this.options.url);
    } catch (error) {
      this.emit('error', { error: new ParleyError('network', (error as Error).message, { cause: error }) });
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    const connectTimeout = this.setTimer(() => {
      if (id === this.socketId && this.current !== 'open') this.abandon(socket, 'connect timeout');
    }, this.options.connectTimeoutMs ?? 15_000);

    socket.onopen = () => {
      if (id !== this.socketId) return;
      const resume = this.options.resumeState?.() ?? {};
      socket.send(
        JSON.stringify({ type: 'auth', token, resume, ...this.options.authExtras?.() } satisfies ClientFrame),
      );
    };
    socket.onmessage = (event) => {
      if (id !== this.socketId) return;
      this.lastFrameAt = Date.now();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      this.handleFrame(frame, socket, connectTimeout);
    };
    socket.onclose = ({ code, reason }) => {
      if (id !== this.socketId) return;
      this.socket = null;
      this.stopHeartbeat();
      const final = FINAL_CLOSES[code];
      if (code === CLOSE_UNAUTHORIZED && ++this.unauthorizedCloses >= 2) {
        return this.refused(new ParleyError('unauthorized', reason || 'the server refused the token'), code, reason);
      }
      if (final) return this.refused(new ParleyError(final, reason || `closed ${code}`), code, reason);
      // The token was refused: the next attempt asks the host for a new one.
      if (code === CLOSE_UNAUTHORIZED) this.options.tokens.invalidate();
      if (this.wanted) this.scheduleReconnect({ code, reason });
    };
    socket.onerror = () => {
      // The close event follows and drives the reconnect; nothing to do twice.
    };
  }

  private handleFrame(frame: ServerFrame, socket: SocketLike, connectTimeout: ReturnType<typeof setTimeout>): void {
    if (frame.type === 'ready') {
      this.clearTimer(connectTimeout);
      this.attempt = 0;
      this.unauthorizedCloses = 0;
      this.heartbeatMs = Math.max(1, frame.heartbeat_seconds) * 1000;
      this.startHeartbeat(socket);
      this.setState('open');
      this.scheduleTokenRefresh(socket);
    } else if (frame.type === 'error' && AUTH_FAILURE_CODES.has(frame.code)) {
      const error = new ParleyError(frame.code, frame.message);
      this.emit('error', { error });
      if (this.current === 'open' && frame.code === 'token_expired') {
        // Re-authenticate in place: the socket and its subscriptions stay. A send refused
        // meanwhile (it carries a ref) goes to the client, which queues it again.
        if (frame.ref === undefined) void this.reauth(socket);
        else this.emit('frame', frame);
        return;
      }
      if (frame.code === 'token_expired' || frame.code === 'unauthorized')
        void this.options.tokens.refresh().catch(() => undefined);
    }
    this.emit('frame', frame);
  }

  private async reauth(socket: SocketLike): Promise<void> {
    try {
      const token = await this.options.tokens.refresh();
      if (this.socket === socket && socket.readyState === OPEN)
        socket.send(JSON.stringify({ type: 'auth', token } satisfies ClientFrame));
    } catch (error) {
      this.emit('error', {
        error: new ParleyError('unauthorized', `getToken failed: ${(error as Error).message}`, { cause: error }),
      });
    }
  }

  /** Renew the token in place shortly before it expires (one timer; each `ready`, incl. the re-auth's, re-arms it). */
  private scheduleTokenRefresh(socket: SocketLike): void {
    if (this.refreshTimer) this.clearTimer(this.refreshTimer);
    this.refreshTimer = null;
    const ms = this.options.tokens.msUntilRefresh();
    if (ms === null) return;
    this.refreshTimer = this.setTimer(
      () => {
        this.refreshTimer = null;
        if (this.socket === socket) void this.reauth(socket);
      },
      Math.max(1_000, ms),
    );
  }

  private startHeartbeat(socket: SocketLike): void {
    this.stopHeartbeat();
    this.lastFrameAt = Date.now();
    this.heartbeat = setInterval(() => {
      if (this.socket !== socket) return this.stopHeartbeat();
      // Silent for two heartbeats: the TCP connection is dead even if the OS has not noticed.
      if (Date.now() - this.lastFrameAt > this.heartbeatMs * 2 + 5_000) {
        this.abandon(socket, 'heartbeat timeout');
        return;
      }
      if (socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'ping' } satisfies ClientFrame));
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Give up on a socket that stopped answering, without waiting for its close handshake. */
  private abandon(socket: SocketLike, reason: string): void {
    if (this.socket !== socket) return;
    this.socketId++;
    this.socket = null;
    this.stopHeartbeat();
    try {
      socket.close(4000, reason);
    } catch {
      // already closing
    }
    if (this.wanted) this.scheduleReconnect();
  }

  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socketId++;
    this.socket = null;
    this.stopHeartbeat();
    if (socket) {
      try {
        socket.close(code, reason);
      } catch {
        // already closing
      }
    }
  }

  /** The server said no for good: stop, and tell the host why (an `error`, and the close on `state`). */
  private refused(error: ParleyError, code: number, reason: string): void {
    this.wanted = false;
    this.refusal = error;
    this.clearTimers();
    this.emit('error', { error });
    this.setState('closed', { code, reason });
  }

  private scheduleReconnect(close?: { code: number; reason: string }): void {
    if (!this.wanted) return;
    if (isBrowserOffline()) {
      this.setState('offline', close);
      return;
    }
    this.setState('reconnecting', close);
    const delay = fullJitterDelay(this.attempt++, this.options.backoff ?? DEFAULT_BACKOFF);
    this.setTimer(() => void this.connectNow(), delay);
  }

  private watchBrowser(): void {
    const target = globalThis as unknown as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>> & {
      document?: Document;
    };
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') return;
    const online = () => {
      if (this.wanted && this.current !== 'open') this.reconnectNow();
    };
    const offline = () => {
      if (!this.wanted) return;
      this.dropSocket(4000, 'offline');
      this.clearTimers();
      this.setState('offline');
    };
    target.addEventListener('online', online);
    target.addEventListener('offline', offline);
    this.cleanups.push(
      () => target.removeEventListener!('online', online),
      () => target.removeEventListener!('offline', offline),
    );
    const doc = target.document;
    if (this.options.pauseWhenHidden && doc) {
      const visibility = () => {
        if (!this.wanted) return;
        if (doc.visibilityState === 'hidden') {
          this.dropSocket(4001, 'page hidden');
          this.clearTimers();
          this.setState('offline');
        } else if (!this.socket) {
          this.reconnectNow();
        }
      };
      doc.addEventListener('visibilitychange', visibility);
      this.cleanups.push(() => doc.removeEventListener('visibilitychange', visibility));
    }
  }

  private setState(state: ConnectionState, close?: { code: number; reason: string }): void {
    if (state === this.current) return;
    const previous = this.current;
    this.current = state;
    this.emit('state', { state, previous, ...close });
  }

  private setTimer(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private clearTimer(timer: ReturnType<typeof setTimeout>): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.refreshTimer = null;
  }
}

function isBrowserOffline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return nav?.onLine === false;
}
