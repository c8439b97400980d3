import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SOCKET_PATH, type ServerFrame } from '@parley/sdk/protocol';
import type { BusMessage, EventBus } from '../bus/bus.js';
import type { Config } from '../config.js';
import type { Services } from '../domain/services.js';
import { isOriginAllowed } from '../http/origins.js';
import type { Logger } from '../logger.js';
import { ClientConnection } from './connection.js';
import { CloseCode } from './frames.js';

export interface GatewayDeps {
  config: Config;
  services: Services;
  bus: EventBus;
  logger: Logger;
  /** How long a new socket may wait before its `auth` frame (default 5 s). */
  authTimeoutMs?: number;
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
  private readonly idleSweep: NodeJS.Timeout;

  constructor(private readonly deps: GatewayDeps) {
    this.unsubscribe = deps.bus.subscribe((message) => this.deliver(message));
    // Clients ping every heartbeat; one silent past the threshold is gone (half-open TCP).
    const thresholdMs = deps.config.presenceOfflineThresholdSeconds * 1000;
    this.idleSweep = setInterval(() => {
      const cutoff = Date.now() - thresholdMs;
      for (const c of this.all) if (c.lastSeenAt < cutoff) c.close(CloseCode.idle, 'idle');
    }, Math.min(thresholdMs, 30_000));
    this.idleSweep.unref();
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
    // Browsers always send Origin; Node clients usually do not and are not at risk of CSRF-style use.
    const origin = req.headers.origin;
    if (origin && !isOriginAllowed(this.deps.config.allowedOrigins, origin, req.headers.host ?? null)) {
      this.deps.logger.info({ origin }, 'socket origin refused');
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const connection = new ClientConnection(
      ws,
      {
        config: this.deps.config,
        services: this.deps.services,
        logger: this.deps.logger,
        authTimeoutMs: this.deps.authTimeoutMs ?? 5000,
      },
      {
        onReady: (c) => {
          const userId = c.user!.id;
          let set = this.byUser.get(userId);
          if (!set) this.byUser.set(userId, (set = new Set()));
          set.add(c);
        },
        onClose: (c) => {
          this.all.delete(c);
          const userId = c.user?.id;
          const set = userId ? this.byUser.get(userId) : undefined;
          if (!set) return;
          set.delete(c);
          if (set.size === 0) this.byUser.delete(userId!);
        },
      },
    );
    this.all.add(connection);
  }

  private deliver(message: BusMessage): void {
    const frame: ServerFrame = message.type === 'room_event' ? { type: 'event', ...message.event } : message.frame;
    const skip = message.type === 'user_frame' ? message.except_user_id : undefined;
    const text = JSON.stringify(frame);
    for (const userId of message.recipients) {
      if (userId === skip) continue;
      for (const connection of this.byUser.get(userId) ?? []) connection.sendText(text);
    }
  }

  /** Closes every socket (1001: reconnect elsewhere) and stops listening to the bus. */
  async close(): Promise<void> {
    this.unsubscribe();
    clearInterval(this.idleSweep);
    for (const c of this.all) c.close(CloseCode.goingAway, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
