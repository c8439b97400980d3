import { beforeEach, describe, expect, it } from 'vitest';
import type { ParleyClient } from './client.js';
import { clientOf, clientPerTest, seqsIn, waitUntil, type FakeServer } from './client.test-helpers.js';
import { FakeSocket } from './fake-socket.test-helpers.js';
import { memoryOutboxStorage } from './outbox-storage.js';
import type { ClientFrame, Message } from './protocol.js';

describe('ParleyClient', () => {
  let server: FakeServer;
  let client: ParleyClient;
  const current = clientPerTest();
  beforeEach(() => ({ server, client } = current));

  describe('sends', () => {
    const sends = () => FakeSocket.all.flatMap((s) => s.sent.filter((f) => f.type === 'send'));
    /** The server stores a send as Alice's message and acks it. */
    const store = (socket: FakeSocket, frame: Extract<ClientFrame, { type: 'send' }>) => {
      const event = server.write('r1', frame.content, { client_id: frame.client_id!, sender_id: 'alice' });
      socket.reply({ type: 'ack', ref: frame.ref!, message: (event.data as { message: Message }).message });
    };

    it('resends a rate-limited send with the same client_id after the wait the server names, then settles it', async () => {
      let answered = 0;
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type !== 'send') return;
        if (answered++ === 0) {
          socket.reply({
            type: 'error',
            ref: frame.ref!,
            code: 'rate_limited',
            message: 'slow down',
            retry_after_ms: 20,
          });
          return;
        }
        store(socket, frame);
      };
      const sent = await client.sendMessage('r1', 'hello');
      expect(sends()).toHaveLength(2);
      expect(new Set(sends().map((f) => (f as { client_id: string }).client_id)).size).toBe(1);
      expect(sent).toMatchObject({ content: 'hello', seq: 1 });
      expect(client.outboxSize).toBe(0);
      expect(client.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({ id: 'r1-m1', status: 'sent' }),
      ]);
    });

    it('marks a refused send failed with its reason, and retrySend stores it once under the same client_id', async () => {
      let refuse = true;
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type !== 'send') return;
        if (refuse) {
          socket.reply({ type: 'error', ref: frame.ref!, code: 'validation_failed', message: 'content: too long' });
          return;
        }
        store(socket, frame);
      };
      await expect(client.sendMessage('r1', 'hello', { clientId: 'c-1' })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      expect(client.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({
          client_id: 'c-1',
          status: 'failed',
          error: { code: 'validation_failed', message: 'content: too long' },
        }),
      ]);
      expect(client.outboxSize).toBe(0);

      refuse = false;
      await client.retrySend('r1', 'c-1');
      expect(client.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({ client_id: 'c-1', status: 'sent', seq: 1 }),
      ]);
    });

    it('keeps a failed send in its place in time, and in the outbox across a reload until it is discarded', async () => {
      const storage = memoryOutboxStorage();
      const reloadable = () => clientOf(server, { outboxStorage: () => storage });
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type === 'send')
          socket.reply({ type: 'error', ref: frame.ref!, code: 'validation_failed', message: 'content: too long' });
      };
      const first = reloadable();
      await first.connect();
      await first.loadMessages('r1');
      await expect(first.sendMessage('r1', 'too long', { clientId: 'c-9' })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      // Newer messages arrive after it failed: it stays where it was written, not pinned below them.
      await new Promise((resolve) => setTimeout(resolve, 5));
      server.deliver(server.write('r1', 'newer', { created_at: new Date().toISOString() }));
      await waitUntil(() => seqsIn(first, 'r1').includes(1), 'the newer message');
      expect(first.stores.messages.getLatestValue().byRoom['r1']?.messages.map((m) => m.content)).toEqual([
        'too long',
        'newer',
      ]);
      expect(first.outboxSize).toBe(0);
      first.destroy();

      // A reload: the failed send is back, failed with its reason, and is not sent again by itself.
      const sentBefore = sends().length;
      const second = reloadable();
      await second.connect();
      await second.loadMessages('r1');
      await waitUntil(
        () =>
          second.stores.messages.getLatestValue().byRoom['r1']?.messages.some((m) => m.client_id === 'c-9') ?? false,
        'the restored failed send',
      );
      expect(second.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({
          client_id: 'c-9',
          status: 'failed',
          error: { code: 'validation_failed', message: 'content: too long' },
        }),
        expect.objectContaining({ content: 'newer', status: 'sent' }),
      ]);
      expect(sends()).toHaveLength(sentBefore);

      expect(second.discardFailed('r1', 'c-9')).toBe(true);
      expect(second.discardFailed('r1', 'c-9')).toBe(false);
      expect(second.stores.messages.getLatestValue().byRoom['r1']?.messages.map((m) => m.content)).toEqual(['newer']);
      expect(await storage.load()).toEqual([]);
      second.destroy();
    });

    it('takes the limits the server names in ready, and the defaults before', async () => {
      expect(client.limits).toEqual({ message_max_length: 10_000 });
      FakeSocket.onAuth = (socket) =>
        socket.reply({
          type: 'ready',
          user: { id: 'alice', name: 'Alice', avatar_url: null },
          resume: {},
          heartbeat_seconds: 25,
          limits: { message_max_length: 280 },
        });
      const other = clientOf(server);
      expect(other.limits.message_max_length).toBe(10_000);
      await other.connect();
      expect(other.limits).toEqual({ message_max_length: 280 });
      expect(other.stores.session.getLatestValue().limits.message_max_length).toBe(280);
      other.destroy();
    });

    it("settles a send on its own message's event when that overtakes the ack", async () => {
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type !== 'send') return;
        server.deliver(server.write('r1', frame.content, { client_id: frame.client_id!, sender_id: 'alice' }), socket);
      };
      const sent = await client.sendMessage('r1', 'echo only');
      expect(sent).toMatchObject({ seq: 1, content: 'echo only' });
      expect(client.outboxSize).toBe(0);
      expect(seqsIn(client, 'r1')).toEqual([1]);
    });

    it('keeps a send queued while the socket is down and sends it once after the reconnect', async () => {
      FakeSocket.onFrame = (socket, frame) => {
        if (frame.type !== 'send') return;
        store(socket, frame);
      };
      client.disconnect();
      const sent = client.sendMessage('r1', 'offline');
      expect(client.stores.messages.getLatestValue().byRoom['r1']?.messages).toEqual([
        expect.objectContaining({ content: 'offline', status: 'pending' }),
      ]);
      expect(sends()).toHaveLength(0);
      await client.connect();
      await expect(sent).resolves.toMatchObject({ content: 'offline', seq: 1 });
      expect(sends()).toHaveLength(1);
    });
  });
});
