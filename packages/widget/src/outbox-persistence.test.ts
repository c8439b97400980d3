// The SDK's offline outbox in a real browser: what the user sent while offline survives a reload
// (IndexedDB) and is delivered once, in order, when a new client for the same user connects.
import { indexedDbOutboxStorage, ParleyClient } from '@parley/sdk';
import { assertEqual, waitFor } from './test-support/assert.js';
import { createGroupRoom, listMessages, testUser } from './test-support/parley.js';

const entry = (clientId: string, content: string) => ({
  client_id: clientId,
  room_id: 'room-1',
  content,
  type: 'text' as const,
  metadata: {},
  created_at: new Date().toISOString(),
  state: 'queued' as const,
});

describe('outbox persistence (IndexedDB, real Chromium)', () => {
  it('keeps entries per scope, in the order they were made, until deleted', async () => {
    const scope = `test-${crypto.randomUUID()}`;
    const storage = indexedDbOutboxStorage(scope)!;
    const other = indexedDbOutboxStorage(`${scope}-other`)!;
    await storage.put(entry('a', 'first'));
    await storage.put(entry('b', 'second'));
    await other.put(entry('z', 'someone else'));
    await storage.put(entry('c', 'third'));
    await storage.delete('b');

    // A new storage object for the same scope reads what the old one wrote (as after a reload).
    const reopened = indexedDbOutboxStorage(scope)!;
    assertEqual((await reopened.load()).map((e) => e.content).join(','), 'first,third', 'own entries, in order');
    assertEqual((await other.load()).map((e) => e.content).join(','), 'someone else', 'scopes do not mix');
  });

  it('delivers sends made offline after the page "reloads", once each and in order', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Offline', [bob]);

    const first = new ParleyClient({ url: alice.server, getToken: () => alice.token });
    await first.connect();
    first.disconnect();
    for (const text of ['one', 'two', 'three']) void first.sendMessage(room.id, text);
    // Give the writes to IndexedDB a moment to land, then drop the client as a reload would.
    await waitFor(
      async () => (await indexedDbOutboxStorage(`${alice.server}|${alice.id}`)!.load()).length === 3,
      'three persisted sends',
    );
    first.destroy();

    const second = new ParleyClient({ url: alice.server, getToken: () => alice.token });
    await second.connect();
    await waitFor(async () => (await listMessages(bob, room.id)).length === 3, 'three messages stored');
    // Newest first from the API: reverse for the order they were sent.
    assertEqual(
      (await listMessages(bob, room.id))
        .map((m) => m.content)
        .reverse()
        .join(','),
      'one,two,three',
      'in order, once each',
    );
    await waitFor(
      async () => (await indexedDbOutboxStorage(`${alice.server}|${alice.id}`)!.load()).length === 0,
      'storage emptied after acks',
    );
    assertEqual(second.outboxSize, 0, 'nothing left to send');
    second.destroy();
  });
});
