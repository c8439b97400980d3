import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, createScratchDatabase, mintToken } from '../../../server/src/testing.js';
import { startNode, type NodeProcess } from '../../../server/src/test-support/node-process.js';
import { ParleyClient } from '../../src/node.js';
import type { Message } from '../../src/protocol.js';
import { TcpProxy } from '../../../server/src/test-support/tcp-proxy.js';
import { until } from '../../../server/src/test-support/until.js';

const COUNT = 60;

/** A database both server processes share: a PGlite directory, or a scratch PostgreSQL database. */
async function sharedDatabase(backend: string): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (backend === 'pglite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-restart-'));
    return { env: { PARLEY_DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const scratch = await createScratchDatabase(process.env['DATABASE_URL']!, 'parley_restart');
  return { env: { DATABASE_URL: scratch.url }, drop: () => scratch.drop() };
}

describe.each(availableBackends())('a server restart mid-conversation on %s', (backend) => {
  let db: Awaited<ReturnType<typeof sharedDatabase>>;
  let server: NodeProcess;
  let proxy: TcpProxy;
  const clients: ParleyClient[] = [];

  beforeAll(async () => {
    db = await sharedDatabase(backend);
    server = await startNode('restart', db.env);
    proxy = await TcpProxy.start(server.port);
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await proxy?.close();
    server?.child.kill('SIGKILL');
    await db?.drop();
  });

  it('loses nothing: both clients reconnect, resume and end with every message once, in order', async () => {
    const make = (user: string) => {
      const c = new ParleyClient({
        url: proxy.url,
        getToken: () => mintToken({ sub: user, name: user }),
        backoff: { baseMs: 50, maxMs: 500 },
        outboxStorage: false,
      });
      clients.push(c);
      return c;
    };
    const alice = make('alice');
    const bob = make('bob');
    await Promise.all([alice.connect(), bob.connect()]);
    const room = await alice.createGroupRoom('Restart', ['bob']);
    await Promise.all([alice.loadMessages(room.id), bob.loadRooms()]);
    await bob.loadMessages(room.id);
    const resumed: string[] = [];
    alice.on('resumed', ({ room_id, outcome }) => room_id === room.id && resumed.push(outcome));

    const sends: Promise<Message>[] = [];
    for (let i = 0; i < COUNT; i++) {
      const sender = i % 2 === 0 ? bob : alice;
      sends.push(sender.sendMessage(room.id, `m${i}`));
      if (i === COUNT / 2) {
        // Crash the server with sends in flight, start a new process on the same database.
        await sends[i - 5];
        server.child.kill('SIGKILL');
        await until(() => alice.connectionState !== 'open' && bob.connectionState !== 'open', 'both clients to notice');
        server = await startNode('restart', db.env);
        proxy.retarget(server.port);
      }
    }
    await Promise.all(sends);
    const expected = Array.from({ length: COUNT }, (_, i) => `m${i}`);
    const contents = (c: ParleyClient) =>
      c.stores.messages.getLatestValue().byRoom[room.id]?.messages.map((m) => m.content);
    await until(
      () => contents(alice)?.length === COUNT && contents(bob)?.length === COUNT,
      'both stores to have every message',
    );
    // Seq order is the order in which the server stored them; the client orders per sender held.
    for (const c of [alice, bob]) {
      const messages = c.stores.messages.getLatestValue().byRoom[room.id]!.messages;
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
      expect(messages.every((m) => m.status === 'sent')).toBe(true);
      expect(new Set(messages.map((m) => m.content))).toEqual(new Set(expected));
      const own = (sender: string) => messages.filter((m) => m.sender_id === sender).map((m) => m.content);
      expect(own('bob')).toEqual(expected.filter((_, i) => i % 2 === 0));
      expect(own('alice')).toEqual(expected.filter((_, i) => i % 2 === 1));
    }
    expect(resumed).toContain('recovered');
  });
});
