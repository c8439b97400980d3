import type { WebSocket, RawData } from 'ws';
import type { ClientFrame, ErrorCode, ServerFrame, User } from '@parley/sdk/protocol';
import { verifyToken } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Services } from '../domain/services.js';
import { ParleyError, toParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { clientFrameSchema, CloseCode, FRAME_TYPES } from './frames.js';

/** Connections past this much unsent data are dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ConnectionHooks {
  /** Called once the socket has authenticated: the gateway starts delivering to it. */
  onReady(connection: ClientConnection): void;
  onClose(connection: ClientConnection): void;
}

export interface ConnectionDeps {
  config: Config;
  services: Services;
  logger: Logger;
  authTimeoutMs: number;
}

/**
 * One client socket: authenticates it, parses its frames, answers them.
 * Knows nothing of other sockets; the gateway does the fan-out.
 */
export class ClientConnection {
  user: User | null = null;
  /** Last time the client sent anything (heartbeat / idle sweep). */
  lastSeenAt = Date.now();
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Frames are handled one at a time, in arrival order: sends keep their order, auth completes first. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: ConnectionDeps,
    private readonly hooks: ConnectionHooks,
  ) {
    this.after(deps.authTimeoutMs, () => {
      if (!this.user) this.fail('not_authenticated', 'No auth frame in time', CloseCode.authTimeout);
    });
    socket.on('message', (data, isBinary) => {
      this.lastSeenAt = Date.now();
      this.queue = this.queue.then(() => this.onMessage(data, isBinary));
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (err) => deps.logger.debug({ err }, 'socket error'));
  }

  /** Sends a frame unless the socket is gone; drops consumers that stopped reading. */
  send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  /** Sends an already serialised frame (fan-out serialises once for all recipients). */
  sendText(text: string): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CloseCode.slowConsumer, 'slow consumer');
      return;
    }
    this.socket.send(text);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
    this.dispose();
  }

  private async onMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (this.closed) return;
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(data.toString());
    } catch {
      return this.reject('bad_request', 'Frames are JSON text');
    }
    const type = (raw as { type?: unknown })?.type;
    const ref = typeof (raw as { ref?: unknown })?.ref === 'string' ? (raw as { ref: string }).ref : undefined;
    if (typeof type !== 'string' || !FRAME_TYPES.has(type)) {
      return this.reject('unknown_frame', `Unknown frame type ${JSON.stringify(type ?? null)}`, ref);
    }
    const parsed = clientFrameSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.reject('validation_failed', `${issue?.path.join('.') || type}: ${issue?.message}`, ref);
    }
    try {
      await this.handle(parsed.data);
    } catch (thrown) {
      const err = toParleyError(thrown);
      if (err.status >= 500) this.deps.logger.error({ err: err.cause ?? err, type }, 'socket frame failed');
      this.sendError(err.code, err.expose ? err.message : 'Internal error', ref);
    }
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (!this.user) {
      if (frame.type !== 'auth') {
        return this.fail('not_authenticated', 'The first frame must be auth', CloseCode.unauthorized);
      }
      return this.authenticate(frame);
    }
    switch (frame.type) {
      case 'auth':
        throw new ParleyError('bad_request', 'Already authenticated');
      case 'ping':
        return this.send({ type: 'pong', ...(frame.ref !== undefined ? { ref: frame.ref } : {}) });
      case 'send': {
        const { message } = await this.deps.services.messages.send(this.user.id, frame.room_id, {
          content: frame.content,
          type: frame.message_type ?? 'text',
          metadata: frame.metadata ?? {},
          clientId: frame.client_id ?? null,
        });
        return this.send({ type: 'ack', ...(frame.ref !== undefined ? { ref: frame.ref } : {}), message });
      }
      case 'typing':
      case 'presence':
        // Ephemeral signals arrive with the presence/typing issue; accepted and ignored until then.
        return;
    }
  }

  private async authenticate(frame: Extract<ClientFrame, { type: 'auth' }>): Promise<void> {
    let claims;
    try {
      claims = verifyToken(this.deps.config.jwt, frame.token);
    } catch (err) {
      const e = toParleyError(err);
      return this.fail(e.code, e.message, CloseCode.unauthorized, frame.ref);
    }
    const user = await this.deps.services.users.signIn(claims);
    if (this.closed) return;
    this.user = user;
    // A socket lives no longer than its token; the client reconnects with a fresh one.
    this.after(Math.min(claims.exp * 1000 - Date.now(), MAX_TIMER_MS), () =>
      this.fail('token_expired', 'Token expired', CloseCode.unauthorized),
    );
    this.hooks.onReady(this);
    // Replay from room_events is a later issue: until then every room the
    // client asks to resume must be refetched.
    const resume = Object.fromEntries(Object.keys(frame.resume ?? {}).map((roomId) => [roomId, 'resync' as const]));
    this.send({ type: 'ready', user, resume, heartbeat_seconds: this.deps.config.presenceHeartbeatSeconds });
  }

  private reject(code: ErrorCode, message: string, ref?: string): void {
    if (!this.user) return this.fail(code, message, CloseCode.unauthorized, ref);
    this.sendError(code, message, ref);
  }

  private sendError(code: ErrorCode, message: string, ref?: string): void {
    this.send({ type: 'error', ...(ref !== undefined ? { ref } : {}), code, message });
  }

  /** Error frame, then close: for failures that end this connection only. */
  private fail(code: ErrorCode, message: string, closeCode: number, ref?: string): void {
    this.sendError(code, message, ref);
    this.close(closeCode, message.slice(0, 120));
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    timer.unref();
    this.timers.add(timer);
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.hooks.onClose(this);
  }
}
