// A little over 300 lines on purpose: one socket's life (open, auth, frames, close, retry) is one state
// machine, read best in one place; its types, heartbeat, timers and browser signals live apart.
import { DEFAULT_BACKOFF, fullJitterDelay } from './backoff.js';
import { isBrowserOffline, watchBrowser } from './browser-signals.js';
import type { ConnectionEvents, ConnectionOptions, ConnectionState, SocketLike } from './connection-types.js';
import { Emitter } from './emitter.js';
import { Heartbeat } from './heartbeat.js';
import { ParleyError } from './errors.js';
import type { ClientFrame, ServerFrame } from './protocol.js';
import { Timers } from './timers.js';

export type {
  ConnectionChange,
  ConnectionEvents,
  ConnectionOptions,
  ConnectionState,
  SocketLike,
  WebSocketConstructor,
} from './connection-types.js';

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
  private readonly timers = new Timers();
  private readonly heartbeat = new Heartbeat();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** 4401 closes since the last `ready`: the second means a fresh token did not help either. */
  private unauthorizedCloses = 0;
  /** Why the server refused for good, once it has (see FINAL_CLOSES); `open()` rejects with it. */
  private refusal: ParleyError | null = null;

  constructor(private readonly options: ConnectionOptions) {
    super();
    this.cleanups.push(
      watchBrowser(
        {
          online: () => {
            if (this.wanted && this.current !== 'open') this.reconnectNow();
          },
          offline: () => this.pause(4000, 'offline'),
          hidden: () => this.pause(4001, 'page hidden'),
          visible: () => {
            if (this.wanted && !this.socket) this.reconnectNow();
          },
        },
        { pauseWhenHidden: options.pauseWhenHidden ?? false },
      ),
    );
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
    if (!this.socket && this.current !== 'offline') this.connectNow();
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
    this.connectNow();
  }

  /**
   * One attempt. The socket's handshake and the token request run side by side — the host's token
   * endpoint and the Parley server are often two round trips apart, and neither needs the other —
   * and `auth` goes out once both are done.
   */
  private connectNow(): void {
    this.clearTimers();
    const id = ++this.socketId;
    this.setState(this.attempt === 0 && this.current !== 'reconnecting' ? 'connecting' : 'reconnecting');
    const token = this.options.tokens.get();
    let socket: SocketLike;
    try {
      socket = new this.options.WebSocket(this.options.url);
    } catch (error) {
      token.catch(() => {}); // only the socket's failure is reported; the next attempt asks again
      this.emit('error', { error: new ParleyError('network', (error as Error).message, { cause: error }) });
      this.scheduleReconnect();
      return;
    }
    token.catch((error: unknown) => {
      if (id !== this.socketId) return;
      this.emit('error', {
        error: new ParleyError('unauthorized', `getToken failed: ${(error as Error).message}`, { cause: error }),
      });
      this.abandon(socket, 'no token');
    });
    this.socket = socket;
    const connectTimeout = this.timers.set(() => {
      if (id === this.socketId && this.current !== 'open') this.abandon(socket, 'connect timeout');
    }, this.options.connectTimeoutMs ?? 15_000);

    socket.onopen = () => {
      token.then(
        (value) => {
          if (id !== this.socketId || socket.readyState !== OPEN) return;
          const resume = this.options.resumeState?.() ?? {};
          socket.send(
            JSON.stringify({
              type: 'auth',
              token: value,
              resume,
              ...this.options.authExtras?.(),
            } satisfies ClientFrame),
          );
        },
        () => {}, // reported and abandoned above
      );
    };
    socket.onmessage = (event) => {
      if (id !== this.socketId) return;
      this.heartbeat.heard();
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
      this.heartbeat.stop();
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
      this.timers.cancel(connectTimeout);
      this.attempt = 0;
      this.unauthorizedCloses = 0;
      this.heartbeat.start(Math.max(1, frame.heartbeat_seconds) * 1000, {
        ping: () => {
          if (this.socket !== socket) return this.heartbeat.stop();
          if (socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'ping' } satisfies ClientFrame));
        },
        dead: () => this.abandon(socket, 'heartbeat timeout'),
      });
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
    if (this.refreshTimer) this.timers.cancel(this.refreshTimer);
    this.refreshTimer = null;
    const ms = this.options.tokens.msUntilRefresh();
    if (ms === null) return;
    this.refreshTimer = this.timers.set(
      () => {
        this.refreshTimer = null;
        if (this.socket === socket) void this.reauth(socket);
      },
      Math.max(1_000, ms),
    );
  }

  /** Give up on a socket that stopped answering, without waiting for its close handshake. */
  private abandon(socket: SocketLike, reason: string): void {
    if (this.socket !== socket) return;
    this.socketId++;
    this.socket = null;
    this.heartbeat.stop();
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
    this.heartbeat.stop();
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
    this.timers.set(() => this.connectNow(), delay);
  }

  /** The network went, or the page was hidden: no socket, no retries, until it comes back. */
  private pause(code: number, reason: string): void {
    if (!this.wanted) return;
    this.dropSocket(code, reason);
    this.clearTimers();
    this.setState('offline');
  }

  private clearTimers(): void {
    this.timers.clear();
    this.refreshTimer = null;
  }

  private setState(state: ConnectionState, close?: { code: number; reason: string }): void {
    if (state === this.current) return;
    const previous = this.current;
    this.current = state;
    this.emit('state', { state, previous, ...close });
  }
}
