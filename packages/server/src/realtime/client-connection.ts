// Long (~380 lines) on purpose: one socket's life (auth, reading, delivery, close) is one state machine;
// every part with rules of its own already lives in the files imported below.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import type {
  ClientFrame,
  ErrorCode,
  ResumeOutcome,
  RoomEvent,
  ServerFrame,
  ServerLimits,
  User,
} from '@parley/sdk/protocol';
import { verifyToken, type TokenClaims } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Services } from '../domain/services.js';
import { ParleyError, toParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { EventLog } from './event-log.js';
import { CloseCode, parseClientFrame } from './frames.js';
import { FrameBudget } from './frame-budget.js';
import { SessionFrames, type FrameSink } from './frame-handlers.js';
import { replayMissed } from './replay.js';
import { RoomStreams, type FrameData, type RoomStreamsHost } from './room-streams.js';
import { SocketWriter } from './socket-writer.js';
import { Timers } from './timers.js';
import { TokenExpiry, type TokenExpiryHost } from './token-expiry.js';
/** Frames read but not yet handled; past this the socket stops reading (TCP pushes back on the client). */
const MAX_QUEUED_FRAMES = 64;
/**
 * Frames one socket may handle back to back before it yields to the event loop. Frames chain as
 * promises, which run as microtasks: without a yield one flooding client's whole queue runs before
 * any other socket's I/O is read, however cheap each frame is.
 */
const FRAMES_PER_TURN = 8;

/** Resolves on the event loop's next check phase: after the I/O other sockets are waiting on. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ConnectionHooks {
  /** Called once the socket has authenticated, before replay: the gateway starts delivering to it (held). */
  onReady(connection: ClientConnection): void;
  onClose(connection: ClientConnection): void;
}

/** Tunables with production defaults; tests shorten them. */
export interface ConnectionLimits {
  /** How long a new socket may wait before its `auth` frame. */
  authTimeoutMs: number;
  /** After the token expires, how long the socket waits for a new `auth` before closing 4401. */
  tokenGraceMs: number;
  /** Unsent bytes past which the client counts as not reading and is dropped (4429). */
  maxBufferedBytes: number;
  /** How long an out-of-order event waits for the missing ones before they are read from the log. */
  gapWaitMs: number;
  /** Events one room may have waiting (also the hold buffer during token renewal). */
  maxPendingEvents: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  authTimeoutMs: 5000,
  tokenGraceMs: 30_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  gapWaitMs: 50,
  maxPendingEvents: 1000,
};

export interface ConnectionDeps {
  config: Config;
  services: Services;
  logger: Logger;
  eventLog: EventLog;
  limits: ConnectionLimits;
  metrics: Metrics;
}

/**
 * One client socket: authenticates it, resumes its rooms (replay.ts), reads its
 * frames (frames.ts) and answers them, and delivers room events to it in order
 * (room-streams.ts) through its writer (socket-writer.ts); token renewal on an
 * open socket is token-expiry.ts. Knows nothing of other sockets; the gateway
 * does the fan-out.
 */
export class ClientConnection implements RoomStreamsHost, TokenExpiryHost, FrameSink {
  /** Identifies the socket to presence (a user may have several). Hex: a flat 32-character string. */
  readonly id = randomBytes(16).toString('hex');
  user: User | null = null;
  /** Last time the client sent anything (heartbeat / idle sweep). */
  lastSeenAt = Date.now();
  private closed = false;
  private readonly timers = new Timers();
  private readonly writer: SocketWriter;
  private readonly expiry: TokenExpiry;
  /** Frames are handled one at a time, in arrival order: sends keep their order, auth completes first. */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Frames handled since this socket last yielded (see FRAMES_PER_TURN). */
  private handledThisTurn = 0;
  private readonly budget: FrameBudget;
  private readonly streams: RoomStreams;
  private readonly session: SessionFrames;
  private logger: Logger | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: ConnectionDeps,
    private readonly hooks: ConnectionHooks,
    /** The TCP socket under `socket`: corked per tick so a tick's frames leave in one write. */
    transport: Duplex | null = null,
  ) {
    const { limits } = deps;
    this.writer = new SocketWriter(socket, transport, limits.maxBufferedBytes);
    this.expiry = new TokenExpiry(this.timers, limits, this);
    this.session = new SessionFrames(deps, this);
    this.streams = new RoomStreams(this, limits);
    this.streams.hold();
    this.timers.after(limits.authTimeoutMs, () => {
      if (!this.user) this.fail('not_authenticated', 'No auth frame in time', CloseCode.authTimeout);
    });
    this.budget = new FrameBudget(deps.config.socketFramesPerSecond, this.timers, {
      pauseReading: () => socket.pause(),
      budgetRestored: () => {
        if (this.queued <= MAX_QUEUED_FRAMES / 2) socket.resume();
      },
    });
    socket.on('message', (data, isBinary) => {
      const now = Date.now();
      this.lastSeenAt = now;
      this.budget.spend(now);
      if (++this.queued > MAX_QUEUED_FRAMES) socket.pause();
      this.queue = this.queue
        .then(() => this.takeTurn())
        .then(() => this.onMessage(data, isBinary))
        .finally(() => {
          if (--this.queued <= MAX_QUEUED_FRAMES / 2 && socket.isPaused && !this.budget.overdrawn) socket.resume();
        });
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (err) => this.log.debug({ err }, 'socket error'));
  }

  /** What the client may check before sending (the `ready` frame's `limits`). */
  private limitsForClient(): ServerLimits {
    return { message_max_length: this.deps.config.messageMaxLength };
  }

  /** The server's logger with this socket's id bound (`conn`); made on first use, as most sockets never log. */
  get log(): Logger {
    return (this.logger ??= this.deps.logger.child({ conn: this.id }));
  }

  /** Every FRAMES_PER_TURN frames, let the event loop serve the other sockets first. */
  private takeTurn(): Promise<void> | undefined {
    if (++this.handledThisTurn < FRAMES_PER_TURN) return undefined;
    this.handledThisTurn = 0;
    return nextTurn();
  }

  /** A room event from the bus: delivered in seq order, once, after any replay. */
  deliverEvent(event: RoomEvent, text?: FrameData): void {
    if (this.user) this.streams.push(event, text);
  }

  /** An ephemeral frame from the bus (typing, presence, unread, reads): held while the token is renewed. */
  deliverFrame(text: FrameData): void {
    if (!this.user) return;
    if (this.expiry.isExpired) return this.expiry.hold(text);
    this.sendText(text);
  }

  /** Sends a frame unless the socket is gone; drops consumers that stopped reading. */
  send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  /** Sends an already serialised frame (see SocketWriter.write); drops a client that stopped reading. */
  sendText(text: FrameData): void {
    if (this.closed || !this.writer.open) return;
    if (this.writer.behind) {
      // The close frame queues behind what the client is not reading, so do not wait for it.
      this.close(CloseCode.slowConsumer, 'slow consumer');
      this.socket.terminate();
      return;
    }
    this.writer.write(text);
    this.deps.metrics.framesSent++;
  }

  // TokenExpiryHost: the token's end on an open socket.
  tokenExpired(): void {
    this.streams.hold();
    this.sendError('token_expired', 'Token expired: send a new auth frame');
  }

  tokenNotRenewed(): void {
    this.fail('token_expired', 'Token expired and was not renewed', CloseCode.unauthorized);
  }

  tooManyHeld(): void {
    this.close(CloseCode.slowConsumer, 'too many frames held');
  }

  // RoomStreamsHost: what this socket's in-order delivery needs from it.
  fetchRoomEvents(roomId: string, afterSeq: number, limit: number): Promise<RoomEvent[]> {
    return this.deps.eventLog.eventsAfter(this.user!.id, roomId, afterSeq, limit);
  }

  roomStart(roomId: string, firstSeq: number): Promise<number> {
    return this.deps.eventLog.startOf(this.user!.id, roomId, firstSeq);
  }

  writeEvent(text: FrameData): void {
    this.sendText(text);
  }

  resyncRoom(roomId: string): void {
    this.send({ type: 'resync', room_id: roomId });
  }

  /** The client resumes from what it has; nothing is lost by dropping the socket. */
  heldOverflow(): void {
    this.close(CloseCode.slowConsumer, 'too many events held');
  }

  isOwnLeave(event: RoomEvent): boolean {
    return event.kind === 'member.left' && event.data.user_id === this.user?.id;
  }

  streamFailed(err: unknown, roomId: string): void {
    this.log.error({ err, roomId }, 'socket room stream failed');
  }

  /**
   * Shutdown: stop reading frames and resolve once every frame already read is answered, so a
   * send in flight ends acknowledged or refused, never cut off between commit and ack. Frames the
   * client sends meanwhile stay unread; its outbox sends them again to the next node.
   */
  drain(): Promise<void> {
    if (!this.closed) this.socket.pause();
    return this.queue;
  }

  /** Cuts the TCP connection with no close handshake (as when a network path dies; fault tests use it). */
  terminate(): void {
    this.socket.terminate();
    this.dispose();
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
    this.dispose();
  }

  private async onMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (this.closed) return;
    const read = parseClientFrame(data, isBinary);
    this.deps.metrics.frameReceived('refused' in read ? null : read.frame.type);
    if ('refused' in read) return this.reject(read.refused.code, read.refused.message, read.refused.ref);
    try {
      await this.handle(read.frame);
    } catch (thrown) {
      this.answerError(thrown, read.frame.type, 'ref' in read.frame ? read.frame.ref : undefined);
    }
  }

  /** The `error` frame for a frame that failed (a 5xx cause is logged, never shown). */
  answerError(thrown: unknown, type: string, ref: string | undefined): void {
    const err = toParleyError(thrown);
    if (err.status >= 500) this.log.error({ err: err.cause ?? err, type }, 'socket frame failed');
    const retry = err.retryAfterMs === undefined ? {} : { retry_after_ms: err.retryAfterMs };
    this.send({
      type: 'error',
      ...(ref !== undefined ? { ref } : {}),
      code: err.code,
      message: err.expose ? err.message : 'Internal error',
      ...retry,
    });
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (!this.user) {
      if (frame.type !== 'auth') {
        return this.fail('not_authenticated', 'The first frame must be auth', CloseCode.unauthorized);
      }
      return this.authenticate(frame);
    }
    if (frame.type === 'auth') return this.reauthenticate(frame);
    if (this.expiry.isExpired && frame.type !== 'ping') {
      throw new ParleyError('token_expired', 'Token expired: send a new auth frame');
    }
    return this.session.handle(this.user.id, frame);
  }

  /**
   * First `auth`: verify, register with the gateway (live events are held from
   * here on), replay what the client missed from the log, answer `ready`, then
   * release the held live events above what was replayed. Subscribing before
   * reading the log is what makes the seam free of gaps; the per-room cursor
   * makes it free of duplicates.
   */
  private async authenticate(frame: Extract<ClientFrame, { type: 'auth' }>): Promise<void> {
    const claims = this.verifyAuthFrame(frame);
    if (!claims) return;
    let user: User;
    try {
      user = await this.deps.services.users.signIn(claims);
    } catch (err) {
      const refused = toParleyError(err);
      if (refused.code !== 'unavailable') throw err;
      // Not signed in is not "bad token": say so and close 1013 so the client retries with backoff.
      return this.fail('unavailable', refused.message, CloseCode.tryAgainLater, frame.ref);
    }
    if (this.closed) return;
    this.user = user;
    this.expiry.watch(claims.exp);
    this.hooks.onReady(this);
    let resume: Record<string, ResumeOutcome>;
    try {
      // Subscribed (onReady) before the page is read: a change after it is delivered live, one before it
      // is in the page. The page is the serialised one GET /rooms answers, from the same cache.
      if (frame.rooms) {
        const page = await this.deps.services.rooms.listBody(user.id, { limit: frame.rooms.limit, cursor: null });
        if (this.closed) return;
        this.sendText(`{"type":"rooms","page":${page.toString()}}`);
      }
      const { eventLog, config } = this.deps;
      resume = await replayMissed(eventLog, user.id, frame.resume ?? {}, config.resumeMaxEvents, {
        closed: () => this.closed,
        setCursor: (roomId, seq) => this.streams.setCursor(roomId, seq),
        sendText: (text) => this.sendText(text),
        send: (frame) => this.send(frame),
      });
    } catch (err) {
      // Going live without the replay would skip events: drop the socket; the client retries.
      this.log.error({ err }, 'socket resume failed');
      return this.fail('unavailable', 'Could not resume; reconnect', CloseCode.tryAgainLater);
    }
    if (this.closed) return;
    this.send({
      type: 'ready',
      user,
      resume,
      heartbeat_seconds: this.deps.config.presenceHeartbeatSeconds,
      limits: this.limitsForClient(),
    });
    this.streams.release();
  }

  /**
   * `auth` on an authenticated socket renews its token in place (same user
   * only). Answered with `ready` (empty `resume`); held frames then flow.
   */
  private async reauthenticate(frame: Extract<ClientFrame, { type: 'auth' }>): Promise<void> {
    const claims = this.verifyAuthFrame(frame);
    if (!claims) return;
    const user = this.user!;
    if (claims.sub !== user.id) {
      return this.fail(
        'forbidden',
        'A socket belongs to one user: reconnect to switch users',
        CloseCode.unauthorized,
        frame.ref,
      );
    }
    const held = this.expiry.renewed(claims.exp);
    this.send({
      type: 'ready',
      user,
      resume: {},
      heartbeat_seconds: this.deps.config.presenceHeartbeatSeconds,
      limits: this.limitsForClient(),
    });
    for (const text of held) this.sendText(text);
    this.streams.release();
  }

  private reject(code: ErrorCode, message: string, ref?: string): void {
    if (!this.user) return this.fail(code, message, CloseCode.unauthorized, ref);
    this.sendError(code, message, ref);
  }

  private sendError(code: ErrorCode, message: string, ref?: string): void {
    this.send({ type: 'error', ...(ref !== undefined ? { ref } : {}), code, message });
  }

  /** The claims of an `auth` frame's token; on a bad token, answers the error, closes 4401 and returns null. */
  private verifyAuthFrame(frame: Extract<ClientFrame, { type: 'auth' }>): TokenClaims | null {
    try {
      return verifyToken(this.deps.config.jwt, frame.token);
    } catch (err) {
      const e = toParleyError(err);
      this.fail(e.code, e.message, CloseCode.unauthorized, frame.ref);
      return null;
    }
  }

  /** Error frame, then close: for failures that end this connection only. */
  private fail(code: ErrorCode, message: string, closeCode: number, ref?: string): void {
    this.sendError(code, message, ref);
    this.close(closeCode, message.slice(0, 120));
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    this.streams.close();
    if (this.user) this.session.closed(this.user.id);
    this.hooks.onClose(this);
  }
}
