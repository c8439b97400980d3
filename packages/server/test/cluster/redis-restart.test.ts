import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, ParleyClient } from '@parley/sdk';
import { mintToken } from '../../src/testing.js';
import { SdkClients } from '../../src/test-support/sdk-clients.js';
import { until } from '../../src/test-support/until.js';
import { killNode, startNode, type NodeProcess } from '../../src/test-support/node-process.js';
import { PrivateRedis } from './redis-server.js';
import { createClusterDatabase } from './scratch-database.js';
import { clusterServices, randomPrefix } from './services.js';

const services = clusterServices({ database: true });

async function readyz(
  node: NodeProcess,
): Promise<{ status: number; body: { status: string; checks: Record<string, boolean> } }> {
  const res = await fetch(`${node.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, boolean> } };
}

/** What /readyz says on every node, e.g. ['ok', 'ok']. */
async function readiness(...nodes: NodeProcess[]): Promise<string[]> {
  return Promise.all(nodes.map(async (node) => (await readyz(node)).body.status));
}

describe.skipIf(!services)('a Redis restart under two nodes', () => {
  let redis: PrivateRedis;
  let database: Awaited<ReturnType<typeof createClusterDatabase>>;
  let a: NodeProcess;
  let b: NodeProcess;
  const clients = new SdkClients();
  const connect = (sub: string, node: NodeProcess) => clients.connect(sub, node.url);

  beforeAll(async () => {
    [redis, database] = await Promise.all([PrivateRedis.start(), createClusterDatabase(services!.databaseUrl!)]);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: randomPrefix(),
      PARLEY_RATE_LIMIT_MESSAGES_PER_10S: '100000',
    };
    [a, b] = await Promise.all([startNode('a', env), startNode('b', env)]);
  });

  afterAll(async () => {
    clients.destroyAll();
    await Promise.all([killNode(a), killNode(b)]);
    await redis?.stop();
    await database?.drop();
  });

  it('keeps serving while Redis is down, reports degraded, reconnects by itself, and loses nothing after resume', async () => {
    const alice = await connect('alice', a);
    const dave = await connect('dave', a); // same node as Alice
    const bob = await connect('bob', b);
    const room = await alice.createGroupRoom('Ops', ['bob', 'dave']);
    await Promise.all([alice, bob, dave].map((c) => c.loadMessages(room.id)));
    const sent: Message[] = [];
    const contentsAt = (client: ParleyClient) =>
      client.stores.messages.getLatestValue().byRoom[room.id]?.messages.map((m) => m.content) ?? [];
    const daveLive: string[] = [];
    dave.on('message.new', ({ message }) => daveLive.push(message.content ?? ''));

    for (let i = 0; i < 10; i++) sent.push(await bob.sendMessage(room.id, `before-${i}`));
    await until(() => contentsAt(alice).length === 10, 'conversation under way');

    await redis.stop();
    await until(async () => (await readiness(a, b)).every((s) => s === 'degraded'), 'both nodes report degraded');
    expect(await readyz(b)).toEqual({
      status: 200,
      body: { status: 'degraded', checks: { database: true, bus: false } },
    });

    // REST and local sockets keep working: Dave, on Alice's node, gets her messages live.
    for (let i = 0; i < 10; i++) sent.push(await alice.sendMessage(room.id, `during-a-${i}`));
    for (let i = 0; i < 10; i++) sent.push(await bob.sendMessage(room.id, `during-b-${i}`));
    await until(() => daveLive.includes('during-a-9'), 'local delivery on node a while Redis is down');
    const token = mintToken({ sub: 'bob', name: 'bob' });
    const rooms = await fetch(`${b.url}/api/v1/rooms`, { headers: { Authorization: `Bearer ${token}` } });
    expect(rooms.status).toBe(200);

    await redis.restart();
    await until(
      async () => (await readiness(a, b)).every((s) => s === 'ok'),
      'both nodes reconnect by themselves',
      15_000,
    );
    // Nothing more is written: what Bob missed while his node was cut off reaches him by resume alone.
    const expected = () => sent.map((m) => m.content);
    for (const client of [alice, bob, dave]) {
      await until(() => contentsAt(client).length >= sent.length, `every message at ${client.user?.id}`, 15_000);
      expect(contentsAt(client)).toEqual(expected());
    }
    for (let i = 0; i < 10; i++) sent.push(await alice.sendMessage(room.id, `after-${i}`));
    for (const client of [alice, bob, dave]) {
      await until(() => contentsAt(client).length >= sent.length, `the later messages at ${client.user?.id}`);
      expect(contentsAt(client)).toEqual(expected());
    }
    // Live delivery across nodes works again.
    const last = await bob.sendMessage(room.id, 'live again');
    await until(() => contentsAt(alice).at(-1) === last.content, 'B → A after the restart');
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  }, 45_000);
});
