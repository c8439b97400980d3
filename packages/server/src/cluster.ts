import { RedisBus } from './bus/redis.js';
import type { Config } from './config.js';
import { RedisPresenceTracker } from './domain/presence-redis.js';
import { RedisTokenBucketLimiter } from './domain/rate-limit-redis.js';
import type { ServiceInfrastructure } from './domain/services.js';
import type { Logger } from './logger.js';
import type { Gateway } from './realtime/gateway.js';

/**
 * Close code for sockets that may have missed bus messages: 1012 "service
 * restart" — reconnect (to any node) and resume from the database.
 */
export const CATCH_UP_CLOSE_CODE = 1012;

/** How long a starting node waits for Redis before it starts degraded (and keeps retrying). */
const STARTUP_WAIT_MS = 3000;

/** The Redis-backed parts of a node in a cluster. */
export interface RedisCluster {
  bus: RedisBus;
  infrastructure: ServiceInfrastructure;
  /** Makes the gateway's sockets catch up when the bus may have lost messages for them. */
  attach(gateway: Gateway): void;
  /** Stops the presence refresh; the bus is closed by its owner (the server) last. */
  close(): void;
}

/**
 * Opens the bus (publisher + subscriber connections) and builds presence and
 * rate limits on its command connection: two Redis connections per node.
 */
export async function openRedisCluster(config: Config & { redisUrl: string }, logger: Logger): Promise<RedisCluster> {
  const prefix = config.redisPrefix;
  const bus = new RedisBus({ url: config.redisUrl, prefix, logger });
  if (!(await bus.ready(STARTUP_WAIT_MS))) {
    logger.warn('redis is not reachable: starting degraded (local delivery only) and retrying');
  }
  const presenceTracker = new RedisPresenceTracker(bus.commands, {
    prefix,
    ttlMs: config.presenceOfflineThresholdSeconds * 1000,
    refreshMs: config.presenceHeartbeatSeconds * 1000,
    logger,
  });
  let detach = () => {};
  return {
    bus,
    infrastructure: {
      presenceTracker,
      rateLimiter: (bucket) => new RedisTokenBucketLimiter(bus.commands, { ...bucket, prefix, logger }),
    },
    attach(gateway) {
      detach = bus.onCatchUp((users) => {
        let count = 0;
        for (const connection of gateway.connections()) {
          const userId = connection.user?.id;
          if (!userId || (users && !users.has(userId))) continue;
          connection.close(CATCH_UP_CLOSE_CODE, 'bus interrupted: reconnect and resume');
          count++;
        }
        if (count) logger.info({ sockets: count }, 'bus interrupted: asked sockets to reconnect and resume');
      });
    },
    close() {
      detach();
      presenceTracker.close();
    },
  };
}
