import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { Knex } from 'knex';
import { createApp } from './app.js';
import type { EventBus } from './bus/bus.js';
import { InProcessBus } from './bus/in-process.js';
import type { Config } from './config.js';
import { createDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { seedDemo } from './demo/demo.js';
import { createServices } from './domain/services.js';
import { createLogger, type Logger } from './logger.js';
import { Gateway } from './realtime/gateway.js';

/** A running Parley server. */
export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:3000 (no trailing slash). */
  url: string;
  port: number;
  httpServer: Server;
  db: Knex;
  bus: EventBus;
  gateway: Gateway;
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
  /** Use this database instead of opening one from config; the server owns it from then on (closes it). */
  db?: Knex;
}

/**
 * Opens the database, applies migrations, seeds demo data when enabled,
 * and serves HTTP and the socket on one port.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (config.redisUrl) {
    logger.warn('REDIS_URL is set but the Redis bus is not implemented yet: using the in-process bus (single node only)');
  }
  const db = options.db ?? createDatabase(config);
  const bus = options.bus ?? new InProcessBus();
  try {
    const applied = await migrate(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const services = createServices({ config, db, bus, logger });
    if (config.demo) await seedDemo(db, services);

    const app = createApp({ config, db, bus, logger, services });
    const gateway = new Gateway({
      config,
      services,
      bus,
      logger,
      ...(options.authTimeoutMs !== undefined ? { authTimeoutMs: options.authTimeoutMs } : {}),
    });
    const httpServer = createServer(app.callback());
    httpServer.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
    // Track raw sockets so close() does not wait on idle keep-alive connections.
    const sockets = new Set<Socket>();
    httpServer.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await gateway.close();
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        // In-flight requests get a moment; then whatever is left is cut.
        const force = setTimeout(() => sockets.forEach((s) => s.destroy()), 2000);
        await stopped;
        clearTimeout(force);
        await bus.close();
        await db.destroy();
      })());

    return { url, port, httpServer, db, bus, gateway, logger, config, close };
  } catch (err) {
    await bus.close().catch(() => {});
    await db.destroy().catch(() => {});
    throw err;
  }
}
