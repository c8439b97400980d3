import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Knex } from 'knex';
import { WebSocketServer, type WebSocket } from 'ws';
import { SOCKET_PATH, type ServerFrame } from '@parley/sdk/protocol';
import type { BusMessage, EventBus } from '../bus/bus.js';
import type { Config } from '../config.js';
import type { Services } from '../domain/services.js';
import { TokenBucketLimiter } from '../domain/rate-limit.js';
import { isOriginAllowed } from '../http/origins.js';
import type { Logger } from '../logger.js';
import {
  ClientConnection,
  DEFAULT_LIMITS,
  type ConnectionDeps,
  type ConnectionHooks,
  type ConnectionLimits,
} from './client-connection.js';
import { createEventLog, type EventLog } from './event-log.js';
import { CloseCode } from './frames.js';
import { eventText } from './room-streams.js';

export interface GatewayDeps {
  config: Config;
  services: Services;
  bus: EventBus;
  logger: Logger;
  /** The database, for replaying `room_events` (always read as the socket's user). */
  db: Knex;
  /** Socket limits (auth deadline, token grace, slow-consumer threshold…); defaults in DEFAULT_LIMITS. */
  limits?: Partial<ConnectionLimits>;
  /** How often the presence sweep runs (default: the offline threshold). */
  presenceSweepMs?: number;
}

/** Frames are small JSON; anything bigger is a mistake or an attack. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * The socket side of one server node: accepts upgrades at /api/v1/ws, keeps
 * `userId → sockets`, and delivers bus events to every recipient's sockets
 * (the sender's own and other tabs included).
 */
export class Gateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD_BYTES,
    maxFragments: 64,
    maxBufferedChunks: 256,
    clientTracking: true,
    perMessageDeflate: false,
  });
  private readonly byUser = new Map<string, Set<ClientConnection>>();
  private readonly all = new Set<ClientConnection>();
  private readonly unsubscribe: () => void;
  private readonly unobserve: () => void;
  private closing = false;
  private readonly idleSweep: NodeJS.Timeout;
  private readonly presenceSweep: NodeJS.Timeout;
  private readonly limits: ConnectionLimits;
  private readonly eventLog: EventLog;
  /** One of each for every socket (not an object and closures per accept: docs/architecture.md, "Idle sockets"). */
  private readonly connectionDeps: ConnectionDeps;
  private readonly hooks: ConnectionHooks = { onReady: (c) => this.onReady(c), onClose: (c) => this.onClose(c) };
  /**
   * Upgrades per client IP, on this node: an upgrade costs a TLS/HTTP handshake and a socket before any
   * token is seen, so a flood is refused before it costs more. Per node on purpose: it protects the
   * node's own resources, and needs no round trip to Redis before each handshake.
   */
  private readonly upgrades: TokenBucketLimiter;

  constructor(private readonly deps: GatewayDeps) {
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    const perSecond = deps.config.socketUpgradesPerIpPerSecond;
    this.upgrades = new TokenBucketLimiter({ capacity: perSecond * 2, refillPerSecond: perSecond });
    this.eventLog = createEventLog(deps.db);
    this.connectionDeps = {
      config: deps.config,
      services: deps.services,
      logger: deps.logger,
      eventLog: this.eventLog,
      limits: this.limits,
      metrics: deps.services.metrics,
    };
    this.unsubscribe = deps.bus.subscribe((message) => this.deliver(message));
    // Fan-out and bus lag are timed by the bus, per delivery unit (see BusObserver).
    this.unobserve = deps.bus.observe?.(deps.services.metrics.bus) ?? (() => undefined);
    deps.services.metrics.openSockets = () => this.all.size;
    deps.services.metrics.watchRateLimiter('socket_upgrade', this.upgrades);
    // Clients ping every heartbeat; one silent past the threshold is gone (half-open TCP).
    const thresholdMs = deps.config.presenceOfflineThresholdSeconds * 1000;
    this.idleSweep = setInterval(
      () => {
        const cutoff = Date.now() - thresholdMs;
        for (const c of this.all) if (c.lastSeenAt < cutoff) c.close(CloseCode.idle, 'idle');
      },
      Math.max(100, Math.min(thresholdMs / 4, 15_000)),
    );
    this.idleSweep.unref();
    // Rows left online by a node that crashed (its sockets never said goodbye).
    this.presenceSweep = setInterval(() => {
      deps.services.presence.sweep().catch((err) => deps.logger.warn({ err }, 'presence sweep failed'));
    }, deps.presenceSweepMs ?? thresholdMs);
    this.presenceSweep.unref();
  }

  /** Number of open, authenticated sockets of a user (tests, presence later). */
  socketsOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** For `server.on('upgrade')`: checks path and Origin, then hands the socket to ws. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== SOCKET_PATH) return rejectUpgrade(socket, 404, 'Not Found');
    if (!this.deps.config.messagingEnabled) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const decision = this.upgrades.takeNow(`upgrade:${clientIp(req, this.deps.config.trustProxy)}`);
    if (!decision.allowed) {
      const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      return rejectUpgrade(socket, 429, 'Too Many Requests', `Retry-After: ${retryAfter}\r\n`);
    }
    // Browsers always send Origin; Node clients usually do not and are not at risk of CSRF-style use.
    const origin = req.headers.origin;
    if (origin && !isOriginAllowed(this.deps.config.allowedOrigins, origin, req.headers.host ?? null)) {
      this.deps.logger.info({ origin }, 'socket origin refused');
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket));
  }

  private accept(ws: WebSocket, transport: Duplex): void {
    this.all.add(new ClientConnection(ws, this.connectionDeps, this.hooks, transport));
  }

  private onReady(c: ClientConnection): void {
    const userId = c.user!.id;
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    // Past the cap the oldest goes, not the newest: a leaked or forgotten tab must not lock the user out.
    for (const oldest of set) {
      if (set.size < this.deps.config.maxSocketsPerUser) break;
      oldest.close(CloseCode.replaced, 'too many sockets for this user: replaced by a newer one');
    }
    set.add(c);
    this.deps.services.presence.connected(userId, c.id).catch((err) => c.log.warn({ err }, 'presence update failed'));
  }

  private onClose(c: ClientConnection): void {
    this.all.delete(c);
    const userId = c.user?.id;
    const set = userId ? this.byUser.get(userId) : undefined;
    if (!set) return;
    set.delete(c);
    if (set.size === 0) this.byUser.delete(userId!);
    if (!this.closing) {
      this.deps.services.presence
        .disconnected(userId!, c.id)
        .catch((err) => c.log.warn({ err }, 'presence update failed'));
    }
  }

  /**
   * Fan-out, serialised once per message. Room events go through each socket's
   * in-order delivery; other frames go straight out.
   */
  private deliver(message: BusMessage): void {
    if (message.type === 'room_event') {
      let text: Buffer | null = null;
      for (const userId of message.recipients) {
        for (const connection of this.byUser.get(userId) ?? [])
          connection.deliverEvent(message.event, (text ??= Buffer.from(eventText(message.event))));
      }
      return;
    }
    const frame: ServerFrame = message.frame;
    const text = Buffer.from(JSON.stringify(frame));
    for (const userId of message.recipients) {
      if (userId === message.except_user_id) continue;
      for (const connection of this.byUser.get(userId) ?? []) connection.deliverFrame(text);
    }
  }

  /** Every open socket (tests: e.g. cut them all from the server side). */
  connections(): ClientConnection[] {
    return [...this.all];
  }

  /**
   * Shutdown, first step: every socket stops reading and answers what it has read (up to `deadlineMs`),
   * so no send is left between commit and ack when `close()` then closes the sockets.
   */
  async drain(deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
    await Promise.race([Promise.all([...this.all].map((c) => c.drain())), deadline]);
    clearTimeout(timer);
  }

  /** Closes every socket (1001: reconnect elsewhere) and stops listening to the bus. */
  async close(): Promise<void> {
    // Sockets closed by a shutdown do not flip their users offline: they reconnect to
    // another node; if none, the presence sweep marks them offline after the threshold.
    this.closing = true;
    this.unsubscribe();
    this.unobserve();
    clearInterval(this.idleSweep);
    clearInterval(this.presenceSweep);
    for (const c of this.all) c.close(CloseCode.goingAway, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${headers}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The client's address: the TCP peer, or behind one trusted reverse proxy the entry it appended last. */
function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(',').at(-1)?.trim();
  return last || req.socket.remoteAddress || 'unknown';
}
