import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../../../server/src/testing.js';
import { ParleyClient } from '../../src/node.js';
import type { Message, RoomEvent } from '../../src/protocol.js';
import { TcpProxy } from '../../../server/src/test-support/tcp-proxy.js';
import { until } from '../../../server/src/test-support/until.js';

const COUNT = 500;
const FAST_BACKOFF = { baseMs: 20, maxMs: 200 };

/** Every message of a room as the server has it, oldest first (REST, paged). */
async function storedMessages(server: TestServer, token: string, roomId: string): Promise<Message[]> {
  const all: Message[] = [];
  let after = 0;
  for (;;) {
    const page = await server.request('GET', `/api/v1/rooms/${roomId}/messages?after=${after}&limit=100`, { token });
    all.push(...(page.body.messages as Message[]));
    if (!page.body.next_cursor) return all;
    after = Number(page.body.next_cursor);
  }
}

describe.each(availableBackends())('no message lost or doubled across socket drops on %s', (backend) => {
  let server: TestServer;
  let proxy: TcpProxy;
  const clients: ParleyClient[] = [];
  const client = (user: string, url: string) => {
    const c = new ParleyClient({
      url,
      getToken: () => server.mintToken({ sub: user, name: user }),
      backoff: FAST_BACKOFF,
      outboxStorage: false,
    });
    clients.push(c);
    return c;
  };
  /** Cuts alice's socket: from the proxy (the path dies) or from the server (the gateway drops the TCP connection). */
  let cuts = 0;
  const cut = async (alice: ParleyClient) => {
    // Only cut a live session, and wait until the client noticed, so every cut is one real drop.
    await until(
      () => alice.connectionState === 'open' && server.gateway.socketsOf('alice') > 0,
      'alice to be connected',
    );
    // Listen for the state change rather than polling the state: with a fast backoff the client can
    // be open again before a poll would see it was ever down.
    let dropped = false;
    const off = alice.on('connection.changed', ({ state }) => {
      if (state !== 'open') dropped = true;
    });
    try {
      if (cuts++ % 2 === 0) proxy.cutAll();
      else for (const c of server.gateway.connections()) if (c.user?.id === 'alice') c.terminate();
      await until(() => dropped, 'alice to notice the drop');
    } finally {
      off();
    }
  };

  beforeAll(async () => {
    server = await startTestServer({ backend });
    proxy = await TcpProxy.start(server.port);
    for (const user of ['alice', 'bob'])
      await server.request('GET', '/api/v1/me', { token: server.mintToken({ sub: user, name: user }) });
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await proxy?.close();
    await server?.close();
  });

  it(`delivers all ${COUNT} messages another user sends, once each and in order, while the socket keeps dropping`, async () => {
    const alice = client('alice', proxy.url);
    const bob = client('bob', server.url);
    await Promise.all([alice.connect(), bob.connect()]);
    const room = await alice.createGroupRoom('Drops in', ['bob']);
    await alice.loadMessages(room.id);
    const received: Message[] = [];
    const seqs: number[] = [];
    alice.on('message.new', ({ message }) => received.push(message));
    alice.on('room.event', (event: RoomEvent) => event.room_id === room.id && seqs.push(event.seq));

    const resumes: string[] = [];
    alice.on('resumed', ({ room_id, outcome }) => room_id === room.id && resumes.push(outcome));

    // Bob sends with up to 10 in flight (paced, so sockets get a turn on the event loop);
    // alice's socket is cut every 45 messages, alternately by the proxy and the server.
    const sends: Promise<Message>[] = [];
    for (let i = 0; i < COUNT; i++) {
      sends.push(bob.sendMessage(room.id, `b${i}`));
      if (i % 10 === 9) await sends[i - 9];
      if (i % 45 === 20) await cut(alice);
    }
    await Promise.all(sends);
    await until(() => received.length === COUNT, `alice to have ${COUNT} messages (has ${received.length})`, 60_000);
    // The faults really happened: alice reconnected and resumed the room after each cut.
    expect(resumes.length).toBeGreaterThanOrEqual(10);
    expect(resumes.every((outcome) => outcome === 'recovered')).toBe(true);

    const expected = Array.from({ length: COUNT }, (_, i) => `b${i}`);
    expect(received.map((m) => m.content)).toEqual(expected);
    expect(seqs).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    const window = alice.stores.messages.getLatestValue().byRoom[room.id]!;
    expect(window.messages.map((m) => m.content)).toEqual(expected);
    expect(new Set(window.messages.map((m) => m.id)).size).toBe(COUNT);
  });

  it(`stores exactly the ${COUNT} messages a client sends, in its order, while its socket keeps dropping`, async () => {
    const alice = client('alice', proxy.url);
    await alice.connect();
    const room = await alice.createGroupRoom('Drops out', ['bob']);
    await alice.loadMessages(room.id);
    const reconnects: string[] = [];
    alice.on('resumed', ({ outcome }) => reconnects.push(outcome));
    // Batches of 25 go out at once; the socket is cut a moment later, while the server is
    // part-way through them: some stored but not acked, some never read. The outbox resends
    // them all with the same client_id.
    const sends: Promise<Message>[] = [];
    for (let batch = 0; batch < COUNT / 25; batch++) {
      for (let i = 0; i < 25; i++) sends.push(alice.sendMessage(room.id, `a${batch * 25 + i}`));
      if (batch % 2 === 1) {
        for (let tick = 0; tick < batch % 5; tick++) await new Promise((r) => setImmediate(r));
        await cut(alice);
      }
    }
    await Promise.all(sends);
    expect(alice.outboxSize).toBe(0);
    // Each of the 10 cuts is followed by a resume; the last one may come after the last ack
    // (nothing was outstanding when it was cut), so wait for it rather than expect it already.
    await until(() => reconnects.length >= 10, `a resume after each of the 10 cuts (has ${reconnects.length})`);

    const stored = await storedMessages(server, server.mintToken({ sub: 'bob' }), room.id);
    expect(stored.map((m) => m.content)).toEqual(Array.from({ length: COUNT }, (_, i) => `a${i}`));
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    const window = alice.stores.messages.getLatestValue().byRoom[room.id]!;
    expect(window.messages.map((m) => [m.content, m.status])).toEqual(stored.map((m) => [m.content, 'sent']));
  });
});
