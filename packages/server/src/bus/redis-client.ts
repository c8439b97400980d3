import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** Reconnect delays: quick at first (a Redis restart takes about a second), capped so a long outage costs little. */
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 2000;
/** A command that has not answered by then fails; callers fall back to their local behaviour. */
const COMMAND_TIMEOUT_MS = 1000;

export interface RedisClientOptions {
  /** What the connection is for, in logs and `CLIENT LIST` (e.g. `publisher`). */
  role: string;
  logger: Logger;
  /**
   * Queue commands while disconnected (subscriptions only). Everything else
   * fails at once while Redis is down, so a request never waits on it.
   */
  queueWhileDown?: boolean;
}

/**
 * One ioredis connection that reconnects by itself forever (capped
 * exponential backoff with jitter) and logs an outage once, not per retry.
 */
export function createRedisClient(url: string, { role, logger, queueWhileDown = false }: RedisClientOptions): Redis {
  const client = new Redis(url, {
    connectionName: `parley-${role}`,
    enableOfflineQueue: queueWhileDown,
    // In-flight commands fail when the connection drops instead of being replayed later, out of context.
    maxRetriesPerRequest: queueWhileDown ? null : 0,
    ...(queueWhileDown ? {} : { commandTimeout: COMMAND_TIMEOUT_MS }),
    retryStrategy: (attempt) =>
      Math.round(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random() / 2)),
  });
  let down = false;
  client.on('error', (err: Error) => {
    // ioredis emits an error per failed attempt; one line per outage is enough.
    if (down) return;
    down = true;
    logger.warn({ err: err.message, role }, 'redis connection lost; retrying');
  });
  client.on('ready', () => {
    if (down) logger.info({ role }, 'redis connection restored');
    down = false;
  });
  return client;
}

/** Resolves once the client is connected, or false after `timeoutMs` (the node then starts degraded). */
export function waitUntilReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}

/** Closes a client politely when it is connected, else at once. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
