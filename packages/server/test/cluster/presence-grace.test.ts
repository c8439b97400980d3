import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { startTestServer, type TestServer } from '../../src/testing.js';
import { createGroup, signIn } from '../realtime/helpers.js';
import { TestSocket } from '../socket-client.js';
import { clusterServices, randomPrefix } from './services.js';

const services = clusterServices({ database: true });

/**
 * The presence grace period across two nodes on one Redis: a closed socket
 * keeps counting in Redis for the grace period, so a user who comes back on
 * the other node is neither taken offline by the first nor brought online
 * again by the second.
 */
describe.skipIf(!services)('presence grace period across nodes (Redis)', () => {
  let a: TestServer;
  let b: RunningServer;
  let tokens: Record<string, string>;
  const sockets: TestSocket[] = [];
  const connect = async (node: { url: string }, user: string) => {
    const s = await TestSocket.connect(`${node.url.replace(/^http/, 'ws')}/api/v1/ws`, tokens[user]!);
    sockets.push(s);
    return s;
  };
  const presenceWrites = () => {
    let writes = 0;
    const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
      if (
        /^((insert into|update) "user_presence"|select parley_save_presence\()/.test(q.sql) &&
        q.bindings?.includes('alice')
      )
        writes++;
    };
    for (const node of [a, b]) node.db.on('query', onQuery);
    return () => {
      for (const node of [a, b]) node.db.off('query', onQuery);
      return writes;
    };
  };

  beforeAll(async () => {
    a = await startTestServer({
      backend: 'postgres',
      redisUrl: services!.redisUrl,
      redisPrefix: randomPrefix(),
      presenceGraceSeconds: 1,
      presenceSweepMs: 3_600_000,
    });
    // Node B: same database (A's scratch one) and Redis namespace.
    b = await startServer({ ...a.config, port: 0 }, { presenceSweepMs: 3_600_000 });
    tokens = await signIn(a, 'alice', 'bob', 'carol');
    await createGroup(a, tokens.alice!, ['bob', 'carol']);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await b?.close();
    await a?.close();
  });

  it('a user who closes on node A and is back on node B within the grace period never went offline', async () => {
    const bob = await connect(b, 'bob');
    const first = await connect(a, 'alice');
    await bob.next('presence', (p) => p.user_id === 'alice' && p.status === 'online');
    const carol = await connect(a, 'carol');
    await bob.next('presence', (p) => p.user_id === 'carol' && p.status === 'online');

    const writes = presenceWrites();
    first.close();
    await first.closed;
    const second = await connect(b, 'alice');
    // Carol's grace period on node A starts after alice's and is as long: her offline frame
    // says alice's has ended too.
    carol.close();
    await bob.next('presence', (p) => p.user_id === 'carol' && p.status === 'offline');
    second.send({ type: 'presence', status: 'away' });
    await bob.next('presence', (p) => p.user_id === 'alice' && p.status === 'away');
    expect(bob.frames.filter((f) => f.type === 'presence' && f.user_id === 'alice')).toEqual([]);
    expect(writes()).toBe(1); // the away only

    // Gone for good: offline once the grace period after the last socket ends.
    second.close();
    await bob.next('presence', (p) => p.user_id === 'alice' && p.status === 'offline');
  });
});
