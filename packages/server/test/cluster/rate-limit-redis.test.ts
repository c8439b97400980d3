import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenBucketLimiter } from '../../src/domain/rate-limit-redis.js';
import { createLogger } from '../../src/logger.js';
import { until } from '../../src/test-support/until.js';
import { PrivateRedis } from './redis-server.js';
import { clusterServices, randomPrefix } from './services.js';

const services = clusterServices({ database: false });
const logger = createLogger('silent');

function connection(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  return redis;
}

async function allowedOf(limiter: RedisTokenBucketLimiter, key: string, times: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < times; i++) if ((await limiter.take(key)).allowed) allowed++;
  return allowed;
}

describe.skipIf(!services)('per-user rate limit shared by nodes', () => {
  const connections: Redis[] = [];
  afterAll(() => connections.forEach((c) => c.disconnect()));

  async function limiters(count: number, bucket: { capacity: number; refillPerSecond: number }) {
    const prefix = randomPrefix();
    const made: RedisTokenBucketLimiter[] = [];
    for (let i = 0; i < count; i++) {
      const redis = connection(services!.redisUrl);
      connections.push(redis);
      await until(() => redis.status === 'ready', 'redis connection', 5000);
      made.push(new RedisTokenBucketLimiter(redis, { ...bucket, prefix, logger }));
    }
    return made;
  }

  it('lets one burst through across two nodes, not one burst per node', async () => {
    const [a, b] = await limiters(2, { capacity: 5, refillPerSecond: 0.001 });
    const results = await Promise.all([allowedOf(a!, 'send:alice', 5), allowedOf(b!, 'send:alice', 5)]);
    expect(results[0] + results[1]).toBe(5);
    const refused = await a!.take('send:alice');
    expect(refused.allowed).toBe(false);
    // One token comes back every 1000 s: the wait says so.
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(900_000);
    // Another user has a bucket of their own.
    expect(await allowedOf(b!, 'send:bob', 1)).toBe(1);
  });

  it('refills at the configured rate', async () => {
    const [a, b] = await limiters(2, { capacity: 1, refillPerSecond: 20 });
    expect((await a!.take('send:carol')).allowed).toBe(true);
    const refused = await b!.take('send:carol');
    expect(refused.allowed).toBe(false);
    expect(refused.allowed === false && refused.retryAfterMs).toBeLessThanOrEqual(50);
    await until(async () => (await b!.take('send:carol')).allowed, 'a token back after ~50 ms', 2000);
  });
});

describe.skipIf(!services)('rate limit when Redis is down', () => {
  let redis: PrivateRedis;
  let conn: Redis;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    conn = connection(redis.url);
    await until(() => conn.status === 'ready', 'redis connection', 5000);
  });
  afterAll(async () => {
    conn?.disconnect();
    await redis?.stop();
  });

  it("fails open to this node's own bucket, which still limits", async () => {
    const limiter = new RedisTokenBucketLimiter(conn, {
      capacity: 3,
      refillPerSecond: 0.001,
      prefix: randomPrefix(),
      logger,
    });
    await redis.stop();
    await until(() => conn.status !== 'ready', 'connection lost');
    expect(await allowedOf(limiter, 'send:alice', 5)).toBe(3);
  });
});
