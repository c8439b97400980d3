import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../../server/src/testing.js';
import { killNode, startNode, type NodeProcess } from '../../../server/src/test-support/node-process.js';
import { canRunPrivatePostgres, PrivatePostgres } from '../../../server/src/test-support/private-postgres.js';
import { until } from '../../../server/src/test-support/until.js';
import { ParleyClient } from '../../src/node.js';
import type { WebSocketConstructor } from '../../src/connection.js';
import type { Message, ServerFrame } from '../../src/protocol.js';

const COUNT = 40;

/** `ws`, recording every frame the server sends: what "seen on the wire" means here. */
function recordingWebSocket(frames: ServerFrame[]): WebSocketConstructor {
  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      this.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as ServerFrame));
    }
  }
  // `ws` types its handlers with its own event classes; the SDK reads only `data`, `code` and `reason`.
  return RecordingWebSocket as unknown as WebSocketConstructor;
}

/** Opens a raw socket and sends `auth`; resolves with the error code answered and the close code. */
function signInWhileDown(token: string): Promise<{ error: string | undefined; close: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${node.url.replace('http', 'ws')}/api/v1/ws`);
    let error: string | undefined;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'error') error = frame.code;
    });
    socket.on('close', (close) => resolve({ error, close }));
    socket.on('error', reject);
  });
}

let node: NodeProcess;

describe.skipIf(!canRunPrivatePostgres)('PostgreSQL crashing under a sending client', () => {
  let pg: PrivatePostgres;
  const clients: ParleyClient[] = [];

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    node = await startNode('outage', { DATABASE_URL: pg.url });
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await killNode(node);
    await pg?.destroy();
  });

  it('ends with every message stored and delivered once, none failed, `unavailable` on the wire meanwhile', async () => {
    const aliceFrames: ServerFrame[] = [];
    const make = (user: string, frames?: ServerFrame[]) => {
      const client = new ParleyClient({
        url: node.url,
        getToken: () => mintToken({ sub: user, name: user }),
        backoff: { baseMs: 50, maxMs: 500 },
        outboxStorage: false,
        ...(frames ? { WebSocket: recordingWebSocket(frames) } : {}),
      });
      clients.push(client);
      return client;
    };
    const alice = make('alice', aliceFrames);
    const bob = make('bob');
    await bob.connect();
    await alice.connect();
    const room = await alice.createDirectRoom('bob');
    await bob.loadRooms();
    await Promise.all([alice.loadMessages(room.id), bob.loadMessages(room.id)]);
    const deliveredToBob = new Map<string, number>();
    bob.on('message.new', ({ message }) =>
      deliveredToBob.set(message.content ?? '', (deliveredToBob.get(message.content ?? '') ?? 0) + 1),
    );

    const sends: Promise<Message>[] = [];
    const send = (i: number) => sends.push(alice.sendMessage(room.id, `m${i}`));
    for (let i = 0; i < COUNT / 2; i++) send(i);
    await sends[4];

    await pg.crash();
    const unavailable = () => aliceFrames.filter((f) => f.type === 'error' && f.code === 'unavailable');
    for (let i = COUNT / 2; i < COUNT; i++) send(i);
    await until(() => unavailable().length > 0, 'an unavailable answer while the database is down', 20_000);
    expect(aliceFrames.some((f) => f.type === 'error' && f.code === 'internal')).toBe(false);

    // REST says the same, with when to come back (RFC 9110 §10.2.3).
    const rooms = await fetch(`${node.url}/api/v1/rooms`, {
      headers: { authorization: `Bearer ${mintToken({ sub: 'alice', name: 'alice' })}` },
    });
    expect(rooms.status).toBe(503);
    expect(rooms.headers.get('retry-after')).toBe('1');
    expect(await rooms.json()).toMatchObject({ error: { code: 'unavailable' } });
    // A new socket cannot sign in: told so and closed 1013 (try again later), not 4401 (bad token).
    expect(await signInWhileDown(mintToken({ sub: 'carol', name: 'carol' }))).toEqual({
      error: 'unavailable',
      close: 1013,
    });
    await pg.resume();

    const stored = await Promise.all(sends);
    expect(new Set(stored.map((m) => m.id)).size).toBe(COUNT);
    await until(() => deliveredToBob.size === COUNT, 'bob to receive every message', 30_000);
    expect([...deliveredToBob.values()].every((times) => times === 1)).toBe(true);

    const own = alice.stores.messages.getLatestValue().byRoom[room.id]!.messages;
    expect(own.filter((m) => m.status !== 'sent')).toEqual([]);
    expect(alice.outboxSize).toBe(0);
    // What the database holds: each message once, in the order alice sent them.
    const page = await alice.rest.listMessages(room.id, { limit: 100 });
    expect(page.messages.sort((a, b) => a.seq - b.seq).map((m) => m.content)).toEqual(
      Array.from({ length: COUNT }, (_, i) => `m${i}`),
    );
    expect(unavailable().every((f) => f.type === 'error' && f.retry_after_ms !== undefined)).toBe(true);
  });
});
