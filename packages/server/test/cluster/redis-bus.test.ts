import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { RedisBus } from '../../src/bus/redis.js';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/metrics.js';
import { TcpProxy } from '../../src/test-support/tcp-proxy.js';
import { until } from '../../src/test-support/until.js';
import { sample } from '../metrics-text.js';
import { PrivateRedis } from './redis-server.js';
import { clusterServices, randomPrefix } from './services.js';

const services = clusterServices({ database: false });
const logger = createLogger('silent');

function frame(text: string, recipients: string[]): BusMessage {
  return {
    type: 'user_frame',
    frame: { type: 'typing', room_id: text, user_id: 'u', state: 'start' },
    recipients,
  };
}

/** Collects what a bus hands to its subscribers. */
function collect(bus: RedisBus): string[] {
  const seen: string[] = [];
  bus.subscribe((m) => {
    if (m.type === 'user_frame' && m.frame.type === 'typing') seen.push(m.frame.room_id);
  });
  return seen;
}

describe.skipIf(!services)('Redis bus between two nodes', () => {
  const prefix = randomPrefix();
  let a: RedisBus;
  let b: RedisBus;

  beforeAll(async () => {
    a = new RedisBus({ url: services!.redisUrl, prefix, logger, nodeId: 'node-a' });
    b = new RedisBus({ url: services!.redisUrl, prefix, logger, nodeId: 'node-b' });
    expect(await a.ready(5000)).toBe(true);
    expect(await b.ready(5000)).toBe(true);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("delivers a node's message to its own subscribers once and to the other node once", async () => {
    const onA = collect(a);
    const onB = collect(b);
    await a.publish(frame('one', ['bob']));
    await b.publish(frame('two', ['alice']));
    await until(() => onA.length >= 2 && onB.length >= 2, 'both messages on both nodes', 5000);
    // A round trip on each node after the publishes: anything still in flight would have arrived.
    await a.publish(frame('fence', []));
    await b.publish(frame('fence', []));
    await until(
      () => onA.filter((t) => t === 'fence').length === 2 && onB.filter((t) => t === 'fence').length === 2,
      'fences',
    );
    expect(onA.filter((t) => t !== 'fence').sort()).toEqual(['one', 'two']);
    expect(onB.filter((t) => t !== 'fence').sort()).toEqual(['one', 'two']);
  });

  it('carries room events and per-user frames as they are', async () => {
    const got: BusMessage[] = [];
    b.subscribe((m) => got.push(m));
    const event: BusMessage = {
      type: 'room_event',
      event: {
        room_id: 'r1',
        seq: 7,
        kind: 'read.updated',
        data: { user_id: 'alice', last_read_seq: 6, last_read_at: '2026-01-01T00:00:00.000Z' },
        at: '2026-01-01T00:00:00.000Z',
      },
      recipients: ['alice', 'bob'],
    };
    const unread: BusMessage = {
      type: 'user_frame',
      frame: { type: 'unread', room_id: 'r1', unread_count: 3, total: 5 },
      recipients: ['bob'],
      except_user_id: 'alice',
    };
    await a.publish(event);
    await a.publish(unread);
    await until(() => got.length === 2, 'two messages on node b');
    expect(got).toEqual([event, unread]);
  });

  it('does not hear another deployment on the same Redis (prefix)', async () => {
    const other = new RedisBus({ url: services!.redisUrl, prefix: randomPrefix(), logger });
    try {
      expect(await other.ready(5000)).toBe(true);
      const onOther = collect(other);
      const onB = collect(b);
      await a.publish(frame('mine', []));
      await other.publish(frame('theirs', []));
      await until(() => onB.includes('mine') && onOther.includes('theirs'), 'each on its own deployment');
      await a.publish(frame('fence', []));
      await until(() => onB.includes('fence'), 'fence');
      expect(onOther).toEqual(['theirs']);
      expect(onB).not.toContain('theirs');
    } finally {
      await other.close();
    }
  });

  it('reports healthy while connected', async () => {
    expect(await a.isHealthy()).toBe(true);
  });

  it('times each delivery for /metrics: fan-out on both nodes, bus lag on the receiving one only', async () => {
    const metricsOfA = new Metrics();
    const metricsOfB = new Metrics();
    const stops = [a.observe(metricsOfA.bus), b.observe(metricsOfB.bus)];
    const count = async (metrics: Metrics, name: string) => sample(await metrics.text(), `${name}_count`);
    try {
      const publishedAt = Date.now();
      await a.publishBatch([frame('batch-1', []), frame('batch-2', [])]);
      await a.publish(frame('single', []));
      await until(async () => (await count(metricsOfB, 'parley_bus_lag_seconds')) === 2, 'two arrivals on b');
      // A batch is one delivery, however many messages it carries.
      expect(await count(metricsOfB, 'parley_fanout_seconds')).toBe(2);
      expect(await count(metricsOfA, 'parley_fanout_seconds')).toBe(2);
      expect(await count(metricsOfA, 'parley_bus_lag_seconds')).toBe(0);
      const sum = sample(await metricsOfB.text(), 'parley_bus_lag_seconds_sum');
      expect(sum).toBeGreaterThanOrEqual(0);
      expect(sum).toBeLessThanOrEqual(((Date.now() - publishedAt) / 1000) * 2);
      // A node older than the `at` field: delivered and timed, but no lag to report.
      const onB = collect(b);
      const old = { node: 'node-old', message: frame('from-an-older-node', []) };
      await a.commands.publish(`${prefix}bus:user_frame`, JSON.stringify(old));
      await until(() => onB.includes('from-an-older-node'), 'the older envelope on b');
      expect(await count(metricsOfB, 'parley_fanout_seconds')).toBe(3);
      expect(await count(metricsOfB, 'parley_bus_lag_seconds')).toBe(2);
    } finally {
      stops.forEach((stop) => stop());
    }
  });
});

describe.skipIf(!services)('Redis bus when Redis goes away', () => {
  let redis: PrivateRedis;
  /** Node a reaches Redis through this proxy, so a partition can cut node a alone. */
  let link: TcpProxy;
  let a: RedisBus;
  let b: RedisBus;
  const catchUpsOfA: (ReadonlySet<string> | null)[] = [];
  const catchUpsOfB: (ReadonlySet<string> | null)[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    link = await TcpProxy.start(redis.port);
    const prefix = randomPrefix();
    a = new RedisBus({ url: `redis://127.0.0.1:${link.port}`, prefix, logger, nodeId: 'node-a' });
    b = new RedisBus({ url: redis.url, prefix, logger, nodeId: 'node-b' });
    a.onCatchUp((users) => catchUpsOfA.push(users));
    b.onCatchUp((users) => catchUpsOfB.push(users));
    expect(await a.ready(5000)).toBe(true);
    expect(await b.ready(5000)).toBe(true);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await link?.close();
    await redis?.stop();
  });

  it('keeps delivering locally while Redis is down, reports unhealthy, and makes every socket catch up once back', async () => {
    const onA = collect(a);
    await redis.stop();
    await until(async () => !(await a.isHealthy()) && !(await b.isHealthy()), 'both notice the outage');
    // Publishing does not fail the caller: the change is committed; local sockets still get it.
    await expect(a.publish(frame('while-down', ['bob']))).resolves.toBeUndefined();
    await until(() => onA.includes('while-down'), 'local delivery while down');

    catchUpsOfA.length = catchUpsOfB.length = 0;
    await redis.restart();
    await until(async () => (await a.isHealthy()) && (await b.isHealthy()), 'both reconnect by themselves', 10_000);
    // Both subscriptions were cut, so each node makes all of its sockets resume from the database.
    await until(() => catchUpsOfA.includes(null) && catchUpsOfB.includes(null), 'catch-up on both nodes');

    const onB = collect(b);
    await a.publish(frame('after', []));
    await until(() => onB.includes('after'), 'live delivery after the restart');
  });

  it('tells the other nodes whose messages a cut-off node could not publish', async () => {
    const onB = collect(b);
    catchUpsOfA.length = catchUpsOfB.length = 0;
    link.retarget(1); // nothing listens there: node a cannot reconnect
    link.cutAll();
    await until(async () => !(await a.isHealthy()), 'a notices the partition');
    await a.publish(frame('lost', ['bob', 'carol']));
    await a.publish(frame('lost', ['dave']));
    expect(await b.isHealthy()).toBe(true);

    link.retarget(redis.port);
    await until(() => catchUpsOfB.length > 0, "a's notice reaches b", 10_000);
    expect(catchUpsOfB.map((users) => [...(users ?? ['everyone'])].sort())).toEqual([['bob', 'carol', 'dave']]);
    expect(onB).not.toContain('lost');
    // Node a's own subscription was cut too: its sockets resume, all of them.
    await until(() => catchUpsOfA.includes(null), 'a catches up its own sockets');
  });
});
