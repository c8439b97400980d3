/**
 * Fan-out latency between two nodes (issue 8): Alice's socket on node A sends
 * a message; the bench records when the `message.created` event reaches her
 * own socket on node A (delivered locally) and Bob's socket on node B
 * (delivered through Redis). Reports, per message:
 *   - end to end: send on A → event on B (includes the PostgreSQL write);
 *   - cross-node: event on A → same event on B (the Redis hop alone).
 * Two `parley serve` processes on one machine, real PostgreSQL and Redis.
 *
 *   cd packages/server && npx tsx bench/cluster-latency.ts
 *   (DATABASE_URL default postgres://postgres@127.0.0.1:5432/test, REDIS_URL default redis://127.0.0.1:6379, COUNT default 1000)
 */
import WebSocket from 'ws';
import { mintToken } from '../src/testing.js';
import { killNode, startNode, type NodeProcess } from '../src/test-support/node-process.js';
import { createClusterDatabase } from '../test/cluster/scratch-database.js';
import { randomPrefix } from '../test/cluster/services.js';

const DATABASE_URL = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const COUNT = Number(process.env['COUNT'] || 1000);
const WARM_UP = 50;

/** An authenticated raw socket that calls `onEvent(content, now)` for each `message.created`. */
async function socketOf(
  node: NodeProcess,
  sub: string,
  onEvent: (content: string, at: number) => void,
): Promise<WebSocket> {
  const ws = new WebSocket(`${node.url.replace('http', 'ws')}/api/v1/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token: mintToken({ sub, name: sub }) })));
    ws.once('error', reject);
    ws.on('message', (data) => {
      const at = performance.now();
      const frame = JSON.parse((data as Buffer).toString()) as {
        type: string;
        kind?: string;
        data?: { message?: { client_id?: string; content?: string } };
      };
      if (frame.type === 'ready') resolve();
      if (frame.type === 'event' && frame.kind === 'message.created') onEvent(frame.data!.message!.content!, at);
    });
  });
  return ws;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((x, y) => x - y);
  const f = (v: number) => `${v.toFixed(2)} ms`;
  return `${label.padEnd(34)} p50 ${f(percentile(sorted, 50)).padStart(9)}  p99 ${f(percentile(sorted, 99)).padStart(9)}  max ${f(sorted.at(-1)!).padStart(9)}`;
}

const database = await createClusterDatabase(DATABASE_URL);
const env = {
  DATABASE_URL: database.url,
  REDIS_URL,
  REDIS_PREFIX: randomPrefix(),
  LOG_LEVEL: 'info',
  PARLEY_RATE_LIMIT_MESSAGES_PER_10S: '1000000',
  // Every bench socket comes from 127.0.0.1, and the idle and storm runs open thousands.
  PARLEY_SOCKET_UPGRADES_PER_IP_PER_SECOND: '1000000',
  PARLEY_MAX_SOCKETS_PER_USER: '10000',
  PARLEY_SOCKET_FRAMES_PER_SECOND: '10000000',
};
let a: NodeProcess | undefined;
let b: NodeProcess | undefined;
try {
  [a, b] = await Promise.all([startNode('a', env), startNode('b', env)]);
  const seenOnA = new Map<string, number>();
  const seenOnB = new Map<string, number>();
  let waiting: { content: string; resolve: () => void } | null = null;
  const check = () => {
    if (waiting && seenOnA.has(waiting.content) && seenOnB.has(waiting.content)) waiting.resolve();
  };
  const alice = await socketOf(a, 'alice', (content, at) => (seenOnA.set(content, at), check()));
  const bob = await socketOf(b, 'bob', (content, at) => (seenOnB.set(content, at), check()));

  const token = mintToken({ sub: 'alice', name: 'alice' });
  const res = await fetch(`${a.url}/api/v1/rooms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'direct', user_ids: ['bob'] }),
  });
  const room = (await res.json()) as { id: string };

  const endToEnd: number[] = [];
  const crossNode: number[] = [];
  for (let i = 0; i < WARM_UP + COUNT; i++) {
    const content = `m${i}`;
    const done = new Promise<void>((resolve) => (waiting = { content, resolve }));
    const sentAt = performance.now();
    alice.send(JSON.stringify({ type: 'send', room_id: room.id, content, ref: content }));
    await done;
    if (i < WARM_UP) continue;
    endToEnd.push(seenOnB.get(content)! - sentAt);
    crossNode.push(seenOnB.get(content)! - seenOnA.get(content)!);
  }
  alice.close();
  bob.close();
  console.log(
    `Node ${process.version}; ${COUNT} messages, one at a time, after ${WARM_UP} warm-up; two nodes on one machine\n`,
  );
  console.log(summary('end to end (send on A → event on B)', endToEnd));
  console.log(summary('cross-node (event on A → on B)', crossNode));
} finally {
  await Promise.all([killNode(a), killNode(b)]);
  await database.drop();
}
