import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, ParleyClient, ParleyClientEvents } from '@parley/sdk';
import { mintToken } from '../../src/testing.js';
import { TestSocket } from '../socket-client.js';
import { TcpProxy } from '../../src/test-support/tcp-proxy.js';
import { SdkClients } from '../../src/test-support/sdk-clients.js';
import { until } from '../../src/test-support/until.js';
import { killNode, startNode, type NodeProcess } from '../../src/test-support/node-process.js';
import { createClusterDatabase } from './scratch-database.js';
import { clusterServices, randomPrefix } from './services.js';

const services = clusterServices({ database: true });
const names: Record<string, string> = { alice: 'Alice', bob: 'Bob', carol: 'Carol' };

/** Every event of one kind a client emits, in order. */
function record<K extends keyof ParleyClientEvents>(client: ParleyClient, event: K): ParleyClientEvents[K][] {
  const seen: ParleyClientEvents[K][] = [];
  client.on(event, (payload) => seen.push(payload));
  return seen;
}

describe.skipIf(!services)('two Parley nodes sharing PostgreSQL and Redis', () => {
  const prefix = randomPrefix();
  let database: Awaited<ReturnType<typeof createClusterDatabase>>;
  let env: Record<string, string>;
  let a: NodeProcess;
  let b: NodeProcess;
  let c: NodeProcess | undefined;
  let redis: Redis;
  const balancers: TcpProxy[] = [];
  const clients = new SdkClients((sub) => names[sub] ?? sub);
  const connect = (sub: string, url: string) => clients.connect(sub, url);

  beforeAll(async () => {
    database = await createClusterDatabase(services!.databaseUrl!);
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: services!.redisUrl,
      REDIS_PREFIX: prefix,
      // Short presence timings so a crashed node's sockets expire within the test.
      PRESENCE_HEARTBEAT_SECONDS: '1',
      PRESENCE_OFFLINE_THRESHOLD_SECONDS: '3',
      // Offline as soon as the last socket closes (presence-grace.test.ts covers the grace period).
      PRESENCE_GRACE_SECONDS: '0',
      PARLEY_RATE_LIMIT_MESSAGES_PER_10S: '100000',
    };
    [a, b] = await Promise.all([startNode('a', env), startNode('b', env)]);
    redis = new Redis(services!.redisUrl);
  });

  afterAll(async () => {
    clients.destroyAll();
    await Promise.all(balancers.map((p) => p.close()));
    await Promise.all([killNode(a), killNode(b), killNode(c)]);
    redis?.disconnect();
    await database?.drop();
  });

  it('holds the assistant-message limit across the nodes, not once per node', async () => {
    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}/api/v1${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${mintToken({ sub: 'dora', name: 'Dora' })}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    await fetch(`${b.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${mintToken({ sub: 'bob', name: 'Bob' })}` },
    });
    const room = (await (await post(a.url, '/rooms', { type: 'direct', user_ids: ['bob'] })).json()) as { id: string };
    const statuses: number[] = [];
    // AGENT_WRITES_PER_MINUTE (20) in all, alternating nodes; the bucket lives in Redis.
    for (let i = 0; i < 21; i++) {
      const res = await post(i % 2 ? b.url : a.url, `/rooms/${room.id}/messages`, {
        content: `agent ${i}`,
        metadata: { via: 'agent' },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers /readyz ok on both nodes with Redis up', async () => {
    for (const node of [a, b]) {
      const res = await fetch(`${node.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', checks: { database: true, bus: true } });
    }
  });

  it('carries messages, reactions and read receipts both ways between Alice on node A and Bob on node B', async () => {
    const bob = await connect('bob', b.url);
    const alice = await connect('alice', a.url);
    const room = await alice.createDirectRoom('bob');
    await Promise.all([alice.loadMessages(room.id), bob.loadMessages(room.id)]);
    const toBob = record(bob, 'message.new');
    const toAlice = record(alice, 'message.new');
    const bobEvents = record(bob, 'room.event');
    const aliceEvents = record(alice, 'room.event');

    const hello = await alice.sendMessage(room.id, 'hello from node A');
    await until(() => toBob.some((e) => e.message.id === hello.id), 'A → B message');
    const reply = await bob.sendMessage(room.id, 'hello from node B');
    await until(() => toAlice.some((e) => e.message.id === reply.id), 'B → A message');

    await bob.toggleReaction(room.id, hello.id, '👍');
    await until(
      () => aliceEvents.some((e) => e.kind === 'reaction.added' && e.data.message_id === hello.id),
      'B → A reaction',
    );
    await alice.toggleReaction(room.id, reply.id, '🎉');
    await until(
      () => bobEvents.some((e) => e.kind === 'reaction.added' && e.data.message_id === reply.id),
      'A → B reaction',
    );

    const aliceReads = record(alice, 'reads');
    const bobReads = record(bob, 'reads');
    await bob.markRead(room.id);
    await until(
      () => aliceReads.some((f) => f.room_id === room.id && f.reads.some((r) => r.user_id === 'bob')),
      'B → A read receipt',
    );
    await alice.markRead(room.id);
    await until(
      () => bobReads.some((f) => f.room_id === room.id && f.reads.some((r) => r.user_id === 'alice')),
      'A → B read receipt',
    );

    // Each event once, whichever node it came through.
    for (const events of [aliceEvents, bobEvents]) {
      const seqs = events.filter((e) => e.room_id === room.id).map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    expect(toBob.filter((e) => e.message.id === hello.id)).toHaveLength(1);
  });

  it('carries typing and presence both ways; a user with sockets on both nodes is online until both close', async () => {
    const alice = await connect('alice', a.url);
    const bob = await connect('bob', b.url);
    const room = await alice.createDirectRoom('bob');
    const bobTyping = record(bob, 'typing');
    const aliceTyping = record(alice, 'typing');
    const bobPresence = record(bob, 'presence');
    const alicePresence = record(alice, 'presence');

    alice.sendTyping(room.id, true);
    await until(() => bobTyping.some((t) => t.user_id === 'alice' && t.state === 'start'), 'A → B typing');
    bob.sendTyping(room.id, true);
    await until(() => aliceTyping.some((t) => t.user_id === 'bob' && t.state === 'start'), 'B → A typing');

    alice.setPresence('away');
    await until(() => bobPresence.some((p) => p.user_id === 'alice' && p.status === 'away'), 'A → B presence');
    bob.setPresence('away', 'lunch');
    await until(
      () => alicePresence.some((p) => p.user_id === 'bob' && p.status === 'away' && p.status_message === 'lunch'),
      'B → A presence',
    );

    // Alice also on node B; every socket of hers (from the tests above too) but this one now closes.
    const aliceOnB = await connect('alice', b.url);
    aliceOnB.setPresence('online');
    await until(() => bobPresence.some((p) => p.user_id === 'alice' && p.status === 'online'), 'alice online again');
    for (const client of clients.all) if (client !== aliceOnB && client.user?.id === 'alice') client.disconnect();
    await until(async () => (await redis.zcard(`${prefix}presence:alice`)) === 1, "node A forgot alice's sockets");
    const token = mintToken({ sub: 'bob', name: 'Bob' });
    const res = await fetch(`${b.url}/api/v1/presence?user_ids=alice`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(((await res.json()) as { presence: unknown[] }).presence[0]).toMatchObject({
      user_id: 'alice',
      status: 'online',
    });
    expect(bobPresence.filter((p) => p.user_id === 'alice').map((p) => p.status)).not.toContain('offline');

    aliceOnB.disconnect();
    await until(
      () => bobPresence.some((p) => p.user_id === 'alice' && p.status === 'offline'),
      'alice offline once both are gone',
    );
  });

  it('kill -9 node A while Bob sends 300 messages: Alice reconnects to node B and ends with exactly the 300, in order, once each', async () => {
    const lb = await TcpProxy.start(a.port); // the load balancer: node A for now
    balancers.push(lb);
    const bob = await connect('bob', b.url);
    const alice = await connect('alice', lb.url);
    const carol = await connect('carol', a.url); // only on node A: her socket dies with it
    const room = await bob.createGroupRoom('Load', ['alice', 'carol']);
    await alice.loadMessages(room.id);
    const received = record(alice, 'message.new');
    const bobPresence = record(bob, 'presence');
    const inRoom = () => received.map((e) => e.message).filter((m) => m.room_id === room.id);

    const sends: Promise<Message>[] = [];
    let atKill = 0;
    for (let i = 0; i < 300; i++) {
      sends.push(bob.sendMessage(room.id, `m${i}`));
      if (i === 99) {
        await until(() => inRoom().length >= 50, 'alice receiving through node A');
        a.child.kill('SIGKILL');
        await a.exited;
        atKill = inRoom().length;
        lb.retarget(b.port); // the load balancer notices and routes to node B
      }
    }
    await Promise.all(sends);
    await until(() => inRoom().length >= 300, 'all 300 at alice', 30_000);

    expect(atKill).toBeLessThan(300);
    const contents = inRoom().map((m) => m.content);
    expect(contents).toEqual(Array.from({ length: 300 }, (_, i) => `m${i}`));
    expect(new Set(inRoom().map((m) => m.id)).size).toBe(300);
    const window = alice.stores.messages.getLatestValue().byRoom[room.id]!;
    expect(window.messages.map((m) => m.content)).toEqual(contents);

    // Carol had a socket on node A only: it expires with its node, and node B's sweep takes her offline.
    await until(
      () => bobPresence.some((p) => p.user_id === 'carol' && p.status === 'offline'),
      "carol offline after node A's crash",
      15_000,
    );
    carol.destroy();
  }, 45_000);

  it('SIGTERM: a node stops accepting, tells sockets to reconnect elsewhere (1001), lets writes finish and exits 0', async () => {
    c = await startNode('c', env);
    const lb = await TcpProxy.start(c.port);
    balancers.push(lb);
    const bob = await connect('bob', b.url);
    const alice = await connect('alice', lb.url);
    const raw = await TestSocket.connect(
      `${c.url.replace('http', 'ws')}/api/v1/ws`,
      mintToken({ sub: 'carol', name: 'Carol' }),
    );
    const room = await alice.createGroupRoom('Drain', ['bob']);
    await bob.loadMessages(room.id);
    const received = record(bob, 'message.new');

    const sends: Promise<Message>[] = [];
    for (let i = 0; i < 40; i++) {
      sends.push(alice.sendMessage(room.id, `d${i}`));
      if (i === 9) {
        c.child.kill('SIGTERM');
        lb.retarget(b.port);
      }
    }
    const exitCode = await c.exited;
    // On failure, the node's shutdown log says which step overran (src/server.ts).
    expect(exitCode, JSON.stringify(c.logs.filter((l) => String(l['msg']).startsWith('shut')))).toBe(0);
    expect((await raw.closed).code).toBe(1001);
    await Promise.all(sends);
    await until(() => received.filter((e) => e.message.room_id === room.id).length >= 40, 'all 40 at bob');
    const contents = received
      .map((e) => e.message)
      .filter((m) => m.room_id === room.id)
      .map((m) => m.content);
    expect(contents).toEqual(Array.from({ length: 40 }, (_, i) => `d${i}`));
  }, 30_000);
});
