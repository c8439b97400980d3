import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../server/src/test-support/until.js';
import { startTestServer, type TestServer } from '../../server/src/testing.js';
import { ParleyClient, selectTotalUnread } from '../src/node.js';
import type { Message } from '../src/protocol.js';

describe('two SDK clients against a real server', () => {
  let server: TestServer;
  let alice: ParleyClient;
  let bob: ParleyClient;

  beforeAll(async () => {
    server = await startTestServer();
    alice = new ParleyClient({ url: server.url, getToken: () => server.mintToken({ sub: 'alice', name: 'Alice' }) });
    bob = new ParleyClient({ url: server.url, getToken: () => server.mintToken({ sub: 'bob', name: 'Bob' }) });
    await Promise.all([alice.connect(), bob.connect()]);
  });

  afterAll(async () => {
    alice?.destroy();
    bob?.destroy();
    await server?.close();
  });

  it('delivers a message sent by one client to the other as an event and into its store', async () => {
    const room = await alice.createGroupRoom('Lunch', ['bob']);
    await bob.loadRooms();
    expect(bob.stores.rooms.getLatestValue().byId[room.id]?.display_name).toBe('Lunch');
    await bob.loadMessages(room.id);

    const received: Message[] = [];
    const off = bob.on('message.new', ({ message }) => received.push(message));
    const sent = await alice.sendMessage(room.id, 'pizza at noon?');
    await until(() => received.length === 1, "bob's message.new");
    off();

    expect(received[0]).toMatchObject({ id: sent.id, room_id: room.id, sender_id: 'alice', content: 'pizza at noon?' });
    const bobWindow = bob.stores.messages.getLatestValue().byRoom[room.id]!;
    expect(bobWindow.messages.map((m) => m.content)).toEqual(['pizza at noon?']);
    // Bob's room list moved the room up and counts it unread.
    const bobRoom = bob.stores.rooms.getLatestValue().byId[room.id]!;
    expect(bobRoom.last_message?.id).toBe(sent.id);
    expect(bobRoom.unread_count).toBe(1);
  });

  it("reconciles the sender's optimistic copy with the server's, once", async () => {
    const room = await alice.createDirectRoom('bob');
    await alice.loadMessages(room.id);
    const promise = alice.sendMessage(room.id, 'hello bob');
    const pending = alice.stores.messages.getLatestValue().byRoom[room.id]!.messages;
    expect(pending.map((m) => [m.content, m.status])).toEqual([['hello bob', 'pending']]);

    const stored = await promise;
    // The ack and the event both arrive; the window still has one copy, now sent.
    await until(() => alice.stores.rooms.getLatestValue().byId[room.id]?.last_seq === stored.seq, 'the event');
    const window = alice.stores.messages.getLatestValue().byRoom[room.id]!;
    expect(window.messages.map((m) => [m.id, m.status])).toEqual([[stored.id, 'sent']]);
  });

  it('keeps sends made while disconnected and delivers them in order on reconnect', async () => {
    const room = await alice.createGroupRoom('Queue', ['bob']);
    await bob.loadRooms();
    await bob.loadMessages(room.id);
    alice.disconnect();
    const sends = ['one', 'two', 'three'].map((text) => alice.sendMessage(room.id, text));
    expect(alice.outboxSize).toBe(3);
    await alice.connect();
    await Promise.all(sends);
    await until(
      () => (bob.stores.messages.getLatestValue().byRoom[room.id]?.messages.length ?? 0) === 3,
      'three messages at bob',
    );
    expect(bob.stores.messages.getLatestValue().byRoom[room.id]!.messages.map((m) => m.content)).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(alice.outboxSize).toBe(0);
  });

  it("shows a mute made in one tab live in the user's other tab, out of its total but still counted in the room", async () => {
    const room = await alice.createGroupRoom('Chatty', ['bob']);
    const otherTab = new ParleyClient({
      url: server.url,
      getToken: () => server.mintToken({ sub: 'alice', name: 'Alice' }),
    });
    try {
      await otherTab.connect();
      await bob.sendMessage(room.id, 'one');
      await otherTab.loadRooms();
      await until(() => otherTab.stores.rooms.getLatestValue().byId[room.id]?.unread_count === 1, 'the unread message');
      const totalBefore = selectTotalUnread(otherTab.stores.rooms.getLatestValue());

      const muted = await alice.setRoomMuted(room.id, true);
      expect(muted).toMatchObject({ id: room.id, muted: true, created_by: 'alice' });
      await until(
        () => otherTab.stores.rooms.getLatestValue().byId[room.id]?.muted === true,
        'the mute in the other tab',
      );
      expect(otherTab.stores.rooms.getLatestValue().byId[room.id]?.unread_count).toBe(1);
      expect(selectTotalUnread(otherTab.stores.rooms.getLatestValue())).toBe(totalBefore - 1);
      expect((await otherTab.rest.unread()).total).toBe(totalBefore - 1);
      // Bob's copy of the room knows nothing of Alice's setting.
      expect((await bob.getRoom(room.id)).muted).toBe(false);
    } finally {
      otherTab.destroy();
    }
  });

  it('surfaces server errors as ParleyError with the server code', async () => {
    await expect(alice.getRoom('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      name: 'ParleyError',
      code: 'room_not_found',
      status: 404,
    });
  });
});
