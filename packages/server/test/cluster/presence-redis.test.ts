import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisPresenceTracker } from '../../src/domain/presence-redis.js';
import { createLogger } from '../../src/logger.js';
import { until } from '../../src/test-support/until.js';
import { PrivateRedis } from './redis-server.js';
import { clusterServices, randomPrefix } from './services.js';

const services = clusterServices({ database: false });
const logger = createLogger('silent');
const TTL_MS = 400;

/** A node's command connection (each "node" gets its own, as in production). */
function connection(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  return redis;
}

async function connected(redis: Redis): Promise<void> {
  await until(() => redis.status === 'ready', 'redis connection', 5000);
}

describe.skipIf(!services)('presence across nodes in Redis', () => {
  const prefix = randomPrefix();
  const connections: Redis[] = [];
  const trackers: RedisPresenceTracker[] = [];

  /** A node: its own connection and tracker. Refreshing is manual unless `refreshMs` is given. */
  async function node(refreshMs = 60_000): Promise<RedisPresenceTracker> {
    const redis = connection(services!.redisUrl);
    connections.push(redis);
    await connected(redis);
    const tracker = new RedisPresenceTracker(redis, { prefix, ttlMs: TTL_MS, refreshMs, logger });
    trackers.push(tracker);
    return tracker;
  }

  afterAll(() => {
    trackers.forEach((t) => t.close());
    connections.forEach((c) => c.disconnect());
  });

  it('counts a user with sockets on two nodes as live until both are gone', async () => {
    const [a, b] = [await node(), await node()];
    expect(await a.add('alice', 's1')).toBe(1);
    expect(await b.add('alice', 's2')).toBe(2);
    expect(await b.isLive('alice')).toBe(true);
    expect(await a.remove('alice', 's1')).toBe(1);
    expect(await a.isLive('alice')).toBe(true); // node a has none left, node b still has one
    expect(await b.remove('alice', 's2')).toBe(0);
    expect(await a.isLive('alice')).toBe(false);
  });

  it("lets a crashed node's sockets expire on their own while a live node keeps its own", async () => {
    const crashed = await node();
    const live = await node(TTL_MS / 4);
    const observer = await node();
    await crashed.add('carol', 'c1');
    await live.add('dave', 'd1');
    crashed.close(); // stops refreshing, as a killed process would
    await until(async () => !(await observer.isLive('carol')), "carol's entry expires", 5000);
    // Dave's node refreshed several times meanwhile.
    expect(await observer.isLive('dave')).toBe(true);
    expect(await observer.add('carol', 'c2')).toBe(1); // the dead socket no longer counts
  });
});

describe.skipIf(!services)('presence when Redis is down', () => {
  let redis: PrivateRedis;
  let conn: Redis;
  let tracker: RedisPresenceTracker;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    conn = connection(redis.url);
    await connected(conn);
    tracker = new RedisPresenceTracker(conn, { prefix: randomPrefix(), ttlMs: 60_000, refreshMs: 60_000, logger });
  });
  afterAll(async () => {
    tracker?.close();
    conn?.disconnect();
    await redis?.stop();
  });

  it("counts this node's sockets meanwhile and registers them again once Redis is back (empty)", async () => {
    await tracker.add('alice', 's1');
    await redis.stop();
    await until(() => conn.status !== 'ready', 'connection lost');
    expect(await tracker.add('alice', 's2')).toBe(2);
    expect(await tracker.isLive('alice')).toBe(true);
    expect(await tracker.remove('alice', 's1')).toBe(1);

    await redis.restart(); // nothing saved: Redis comes back empty
    const probe = connection(redis.url);
    try {
      await connected(probe);
      await until(
        async () => (await probe.zcard((await probe.keys('*presence:alice'))[0] ?? 'none')) === 1,
        're-registered on reconnect',
        5000,
      );
    } finally {
      probe.disconnect();
    }
  });
});
