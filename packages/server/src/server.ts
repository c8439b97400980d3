import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { Knex } from 'knex';
import { createApp } from './app.js';
import type { EventBus } from './bus/bus.js';
import { InProcessBus } from './bus/in-process.js';
import { openRedisCluster, type RedisCluster } from './cluster.js';
import type { Config } from './config.js';
import { attachMessageContentCodec } from './crypto/content-codec.js';
import { openMessageEncryption } from './crypto/message-encryption.js';
import { createDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { seedDemo } from './demo/demo.js';
import { createServices, type Services } from './domain/services.js';
import { createLogger, type Logger } from './logger.js';
import type { ConnectionLimits } from './realtime/client-connection.js';
import { Gateway } from './realtime/gateway.js';
import { StartupError } from './startup-error.js';

/** How long a shutdown waits for sockets to answer the frames they have read. */
const SHUTDOWN_DRAIN_MS = 5_000;

/** A running Parley server. */
export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:3000 (no trailing slash). */
  url: string;
  port: number;
  httpServer: Server;
  db: Knex;
  bus: EventBus;
  gateway: Gateway;
  /** The domain services the app and the gateway share (tests call e.g. the presence sweep). */
  services: Services;
  logger: Logger;
  config: Config;
  /** Graceful stop: sockets, HTTP, bus, database. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Use this logger instead of one built from config.logLevel. */
  logger?: Logger;
  /** Use this bus instead of the in-process one. */
  bus?: EventBus;
  /** Socket auth deadline (tests shorten it). */
  authTimeoutMs?: number;
  /** Socket limits: token grace, slow-consumer threshold, gap wait… (tests shorten them). */
  socketLimits?: Partial<ConnectionLimits>;
  /** How often the presence sweep runs (default: the offline threshold). */
  presenceSweepMs?: number;
  /** Use this database instead of opening one from config; the server owns it from then on (closes it). */
  db?: Knex;
}

/**
 * Opens the database, applies migrations, seeds demo data when enabled,
 * and serves HTTP and the socket on one port.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // REDIS_URL: bus, presence and rate limits shared by every node.
  const redisUrl = config.redisUrl;
  // The database first: a refusal here (a PGlite directory another process holds) leaves nothing open.
  const db = options.db ?? createDatabase(config);
  const cluster: RedisCluster | null =
    !options.bus && redisUrl
      ? await openRedisCluster({ ...config, redisUrl }, logger).catch(async (err: unknown) => {
          await db.destroy();
          throw err;
        })
      : null;
  const bus = options.bus ?? cluster?.bus ?? new InProcessBus();
  try {
    const applied = await migrate(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    // Before anything reads or writes messages: a wrong master key stops the start here.
    attachMessageContentCodec(db, await openMessageEncryption(db, config, logger));
    const services = createServices({ config, db, bus, logger }, cluster?.infrastructure);
    if (config.demo) await seedDemo(db, services);

    const app = createApp({ config, db, bus, logger, services });
    const gateway = new Gateway({
      config,
      services,
      bus,
      logger,
      db,
      limits: {
        ...options.socketLimits,
        ...(options.authTimeoutMs !== undefined ? { authTimeoutMs: options.authTimeoutMs } : {}),
      },
      ...(options.presenceSweepMs !== undefined ? { presenceSweepMs: options.presenceSweepMs } : {}),
    });
    cluster?.attach(gateway);
    // Koa's handler answers a promise that never rejects (Koa turns errors into responses).
    const handleRequest = app.callback();
    const httpServer = createServer((req, res) => void handleRequest(req, res));
    httpServer.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
    // Track raw sockets so close() does not wait on idle keep-alive connections.
    const sockets = new Set<Socket>();
    httpServer.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new StartupError(
                `port ${config.port} on ${config.host} is already in use; stop the other process or set PORT`,
              )
            : err,
        ),
      );
      httpServer.listen(config.port, config.host, () => {
        httpServer.removeAllListeners('error');
        resolve();
      });
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        // Stop accepting first, so sockets told to reconnect elsewhere cannot come back here.
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        // In-flight requests and close handshakes get a moment; then whatever is left is cut.
        const force = setTimeout(() => sockets.forEach((s) => s.destroy()), 2000);
        // Each step is logged, so a shutdown that overruns its deadline (cli.ts) says where it stood.
        // Reads waiting out their coalescing window are written now, with the sends still in flight;
        // then every socket answers what it has read (ack or refusal) before it is closed with 1001.
        services.reads.flushPending();
        await gateway.drain(SHUTDOWN_DRAIN_MS);
        logger.info('shutdown: in-flight frames answered');
        await gateway.close();
        logger.info('shutdown: sockets closed');
        httpServer.closeIdleConnections();
        await stopped;
        clearTimeout(force);
        logger.info('shutdown: http closed');
        // Users in a presence grace period go offline now, while the database and bus are still there.
        await services.presence.close();
        cluster?.close();
        await bus.close();
        logger.info('shutdown: presence and bus closed');
        // Waits for transactions still running (a send whose socket is gone still commits).
        await db.destroy();
      })());

    return { url, port, httpServer, db, bus, gateway, services, logger, config, close };
  } catch (err) {
    cluster?.close();
    await bus.close().catch(() => {});
    await db.destroy().catch(() => {});
    throw err;
  }
}
