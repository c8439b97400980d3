import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import type { ClientFrame, ErrorCode, ResumeOutcome, RoomEvent, ServerFrame, User } from '@parley/sdk/protocol';
import { verifyToken, type TokenClaims } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { RateLimitedError } from '../domain/rate-limit.js';
import type { Services } from '../domain/services.js';
import { ParleyError, toParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EventLog } from './event-log.js';
import { clientFrameSchema, CloseCode, FRAME_TYPES } from './frames.js';
import { RoomStreams, type FrameData, type RoomStreamsHost } from './room-streams.js';

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Frames read but not yet handled; past this the socket stops reading (TCP pushes back on the client). */
const MAX_QUEUED_FRAMES = 64;
/** Sends queued for a commit but not yet acknowledged; past this the socket waits for the oldest. */
const MAX_SENDS_IN_FLIGHT = 64;

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
}

/**
 * One client socket: authenticates it, resumes its rooms, parses its frames and
 * answers them, and delivers room events to it in order. Knows nothing of other
 * sockets; the gateway does the fan-out.
 */
export class ClientConnection implements RoomStreamsHost {
  /** Identifies the socket to presence (a user may have several). Hex: a flat 32-character string. */
  readonly id = randomBytes(16).toString('hex');
  user: User | null = null;
  /** Last time the client sent anything (heartbeat / idle sweep). */
  lastSeenAt = Date.now();
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Frames are handled one at a time, in arrival order: sends keep their order, auth completes first. */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly streams: RoomStreams;
  /** Set while the token has expired and a new `auth` is awaited: frames to the client are held. */
  private expired: { timer: NodeJS.Timeout; held: FrameData[] } | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  /** Rooms where this socket said `typing: start` and not yet `stop`: closing stops them. */
  private typingIn: Set<string> | null = null;
  /** Acks of sends still waiting for their commit, oldest first (they settle in this order). */
  private readonly sendsInFlight: Promise<void>[] = [];
  /** True while writes of this tick are being gathered into one syscall. */
  private corked = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: ConnectionDeps,
    private readonly hooks: ConnectionHooks,
    /** The TCP socket under `socket`: corked per tick so a tick's frames leave in one write. */
    private readonly transport: Duplex | null = null,
  ) {
    const { limits } = deps;
    this.streams = new RoomStreams(this, limits);
    this.streams.hold();
    this.after(limits.authTimeoutMs, () => {
      if (!this.user) this.fail('not_authenticated', 'No auth frame in time', CloseCode.authTimeout);
    });
    socket.on('message', (data, isBinary) => {
      this.lastSeenAt = Date.now();
      if (++this.queued > MAX_QUEUED_FRAMES) socket.pause();
      this.queue = this.queue
        .then(() => this.onMessage(data, isBinary))
        .finally(() => {
          if (--this.queued <= MAX_QUEUED_FRAMES / 2 && socket.isPaused) socket.resume();
        });
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (err) => deps.logger.debug({ err }, 'socket error'));
  }

  /** A room event from the bus: delivered in seq order, once, after any replay. */
  deliverEvent(event: RoomEvent, text?: FrameData): void {
    if (this.user) this.streams.push(event, text);
  }

  /** An ephemeral frame from the bus (typing, presence, unread, reads): held while the token is renewed. */
  deliverFrame(text: FrameData): void {
    if (!this.user) return;
    if (this.expired) return this.hold(text);
    this.sendText(text);
  }

  /** Sends a frame unless the socket is gone; drops consumers that stopped reading. */
  send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  /**
   * Sends an already serialised frame (fan-out serialises once for all
   * recipients, as a Buffer, so no socket re-encodes it). The first write of a
   * tick corks the TCP socket and the end of the tick uncorks it: every frame
   * this socket gets in one tick (a batch's events, its unread count) leaves
   * in one syscall.
   */
  sendText(text: FrameData): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.deps.limits.maxBufferedBytes) {
      // The close frame queues behind what the client is not reading, so do not wait for it.
      this.close(CloseCode.slowConsumer, 'slow consumer');
      this.socket.terminate();
      return;
    }
    if (this.transport && !this.corked) {
      this.corked = true;
      this.transport.cork();
      process.nextTick(() => {
        this.corked = false;
        this.transport!.uncork();
      });
    }
    this.socket.send(text, { binary: false });
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
    this.deps.logger.error({ err, roomId }, 'socket room stream failed');
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
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      // binaryType 'nodebuffer' (ws's default): a message is one Buffer, its fragments joined.
      raw = JSON.parse((data as Buffer).toString());
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
      this.answerError(thrown, type, ref);
    }
  }

  /** The `error` frame for a frame that failed (a 5xx cause is logged, never shown). */
  private answerError(thrown: unknown, type: string, ref: string | undefined): void {
    const err = toParleyError(thrown);
    if (err.status >= 500) this.deps.logger.error({ err: err.cause ?? err, type }, 'socket frame failed');
    const retry = err instanceof RateLimitedError ? { retry_after_ms: err.retryAfterMs } : {};
    this.send({
      type: 'error',
      ...(ref !== undefined ? { ref } : {}),
      code: err.code,
      message: err.expose ? err.message : 'Internal error',
      ...retry,
    });
  }

  /**
   * A send is queued for the next group commit in frame order, and the socket
   * goes on reading while it commits: the ack (or error) follows the commit.
   * A room's batches commit in order (one lane per room), so within a room the
   * seqs and the acks keep the order of the sends.
   */
  private async submitSend(userId: string, frame: Extract<ClientFrame, { type: 'send' }>): Promise<void> {
    if (this.sendsInFlight.length >= MAX_SENDS_IN_FLIGHT) await this.sendsInFlight[0];
    const { committed } = await this.deps.services.messages.submit(userId, frame.room_id, {
      content: frame.content,
      type: frame.message_type ?? 'text',
      metadata: frame.metadata ?? {},
      clientId: frame.client_id ?? null,
    });
    this.typingIn?.delete(frame.room_id);
    const ref = frame.ref !== undefined ? { ref: frame.ref } : {};
    const settled = committed.then(
      ({ message }) => this.send({ type: 'ack', ...ref, message }),
      (err: unknown) => this.answerError(err, 'send', frame.ref),
    );
    this.sendsInFlight.push(settled);
    void settled.finally(() => this.sendsInFlight.splice(this.sendsInFlight.indexOf(settled), 1));
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (!this.user) {
      if (frame.type !== 'auth') {
        return this.fail('not_authenticated', 'The first frame must be auth', CloseCode.unauthorized);
      }
      return this.authenticate(frame);
    }
    if (frame.type === 'auth') return this.reauthenticate(frame);
    if (frame.type === 'ping') {
      this.send({ type: 'pong', ...(frame.ref !== undefined ? { ref: frame.ref } : {}) });
      void this.deps.services.presence
        .heartbeat(this.user.id)
        .catch((err) => this.deps.logger.warn({ err }, 'heartbeat failed'));
      return;
    }
    if (this.expired) throw new ParleyError('token_expired', 'Token expired: send a new auth frame');
    const userId = this.user.id;
    switch (frame.type) {
      case 'send':
        return this.submitSend(userId, frame);
      case 'read': {
        // No answer on success: the counts arrive as `unread` frames on all the user's sockets.
        const written = this.deps.services.reads.markReadSoon(userId, frame.room_id, frame.seq ?? null);
        void written.catch((err: unknown) => this.answerError(err, 'read', frame.ref));
        return;
      }
      case 'typing':
        await this.deps.services.typing.relay(userId, frame.room_id, frame.state);
        if (frame.state === 'start') (this.typingIn ??= new Set()).add(frame.room_id);
        else this.typingIn?.delete(frame.room_id);
        return;
      case 'presence':
        await this.deps.services.presence.set(userId, frame.status, frame.status_message);
        return;
    }
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
    const user = await this.deps.services.users.signIn(claims);
    if (this.closed) return;
    this.user = user;
    this.watchExpiry(claims.exp);
    this.hooks.onReady(this);
    let resume: Record<string, ResumeOutcome>;
    try {
      resume = await this.replay(user.id, frame.resume ?? {});
    } catch (err) {
      // Going live without the replay would skip events: drop the socket; the client retries.
      this.deps.logger.error({ err }, 'socket resume failed');
      return this.fail('unavailable', 'Could not resume; reconnect', CloseCode.internalError);
    }
    if (this.closed) return;
    this.send({ type: 'ready', user, resume, heartbeat_seconds: this.deps.config.presenceHeartbeatSeconds });
    this.streams.release();
  }

  /**
   * Replays what the client missed in the rooms it names, from one read of
   * the log, and then each recovered room's read markers (a `reads` frame:
   * markers are not logged, so this is how a resumed client catches up on them).
   */
  private async replay(userId: string, asked: Record<string, number>): Promise<Record<string, ResumeOutcome>> {
    const { eventLog, config } = this.deps;
    const { rooms, events, markers } = await eventLog.resume(userId, asked, config.resumeMaxEvents);
    if (this.closed) return {};
    const outcome: Record<string, ResumeOutcome> = {};
    for (const [roomId, lastSeq] of rooms) if (!(roomId in asked)) this.streams.setCursor(roomId, lastSeq);
    for (const [roomId, lastSeen] of Object.entries(asked)) {
      const lastSeq = rooms.get(roomId);
      // Not a member (any more), or the client claims a future it cannot have: refetch.
      if (lastSeq === undefined || lastSeen > lastSeq) {
        outcome[roomId] = 'resync';
        if (lastSeq !== undefined) this.streams.setCursor(roomId, lastSeq);
        continue;
      }
      const missed = events.get(roomId) ?? [];
      if (missed.length > config.resumeMaxEvents) {
        outcome[roomId] = 'resync';
        this.streams.setCursor(roomId, lastSeq);
        continue;
      }
      for (const event of missed) this.sendText(JSON.stringify({ type: 'event', ...event }));
      this.streams.setCursor(roomId, missed.at(-1)?.seq ?? lastSeen);
      outcome[roomId] = 'recovered';
      const reads = markers.get(roomId);
      if (reads?.length) this.send({ type: 'reads', room_id: roomId, reads });
    }
    return outcome;
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
    this.watchExpiry(claims.exp);
    const held = this.expired?.held ?? [];
    if (this.expired) clearTimeout(this.expired.timer);
    this.expired = null;
    this.send({ type: 'ready', user, resume: {}, heartbeat_seconds: this.deps.config.presenceHeartbeatSeconds });
    for (const text of held) this.sendText(text);
    this.streams.release();
  }

  /** At `exp`: tell the client, hold deliveries, and give it a grace period to re-auth. */
  private watchExpiry(exp: number): void {
    if (this.expiryTimer) this.clearTimer(this.expiryTimer);
    this.expiryTimer = this.after(Math.min(exp * 1000 - Date.now(), MAX_TIMER_MS), () => {
      this.expiryTimer = null;
      const timer = this.after(this.deps.limits.tokenGraceMs, () => {
        if (this.expired) this.fail('token_expired', 'Token expired and was not renewed', CloseCode.unauthorized);
      });
      this.expired = { timer, held: [] };
      this.streams.hold();
      this.sendError('token_expired', 'Token expired: send a new auth frame');
    });
  }

  private hold(text: FrameData): void {
    const held = this.expired!.held;
    held.push(text);
    if (held.length > this.deps.limits.maxPendingEvents) this.close(CloseCode.slowConsumer, 'too many frames held');
  }

  private reject(code: ErrorCode, message: string, ref?: string): void {
    if (!this.user) return this.fail(code, message, CloseCode.unauthorized, ref);
    this.sendError(code, message, ref);
  }

  private sendError(code: ErrorCode, message: string, ref?: string): void {
    this.send({ type: 'error', ...(ref !== undefined ? { ref } : {}), code, message });
  }

  /** Error frame, then close: for failures that end this connection only. */
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

  private fail(code: ErrorCode, message: string, closeCode: number, ref?: string): void {
    this.sendError(code, message, ref);
    this.close(closeCode, message.slice(0, 120));
  }

  private after(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private clearTimer(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.streams.close();
    const user = this.user;
    // A socket that dies mid-word stops its typing indicators.
    if (user && this.typingIn) {
      for (const roomId of this.typingIn) {
        void this.deps.services.typing.relay(user.id, roomId, 'stop').catch(() => undefined);
      }
    }
    this.typingIn = null;
    this.hooks.onClose(this);
  }
}
