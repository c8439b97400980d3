import { describe, expect, it } from 'vitest';
import { clientOf, FakeServer, waitUntil } from './client.test-helpers.js';
import { FakeSocket } from './fake-socket.test-helpers.js';
import type { ClientFrame } from './protocol.js';
import type { RoomListStorageArea } from './stored-room-list.js';
import { makeRoom } from './store/fixtures.test-helpers.js';

/** An unsigned token naming `sub`: the SDK only decodes it (the fake server does not check). */
const tokenFor = (sub: string) =>
  `${btoa(JSON.stringify({ alg: 'none' }))}.${btoa(JSON.stringify({ sub })).replace(/=+$/, '')}.x`;

function memoryStorage(): RoomListStorageArea & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

/** Hold the fake server's answer to `auth` until `release()`: what the client shows before the first page. */
function holdAuth() {
  const answer = FakeSocket.onAuth;
  const held: Array<[FakeSocket, Extract<ClientFrame, { type: 'auth' }>]> = [];
  FakeSocket.onAuth = (socket, frame) => void held.push([socket, frame]);
  return {
    held,
    release: () => {
      FakeSocket.onAuth = answer;
      for (const [socket, frame] of held.splice(0)) answer(socket, frame);
    },
  };
}

describe('stored room list', () => {
  it('shows the last known rooms before the first page, which then replaces them', async () => {
    const server = new FakeServer();
    server.addRoom(makeRoom({ id: 'r1', display_name: 'Lunch' }));
    server.addRoom(makeRoom({ id: 'r2', display_name: 'Gone soon' }));
    const storage = memoryStorage();
    const first = clientOf(server, { getToken: () => tokenFor('alice'), roomListStorage: storage });
    await first.connect({ rooms: 50 });
    await waitUntil(() => storage.items.size === 1, 'the list written to the cache');
    first.destroy();

    server.rooms.delete('r2');
    server.addRoom(makeRoom({ id: 'r3', display_name: 'New' }));
    const gate = holdAuth();
    const second = clientOf(server, { getToken: () => tokenFor('alice'), roomListStorage: storage });
    const connected = second.connect({ rooms: 50 });
    await waitUntil(() => second.stores.rooms.getLatestValue().order.length === 2, 'the cached rooms');
    const before = second.stores.rooms.getLatestValue();
    expect(before.loaded).toBe(false);
    expect(Object.keys(before.byId).sort()).toEqual(['r1', 'r2']);
    expect(before.byId['r1']!.display_name).toBe('Lunch');

    gate.release();
    await connected;
    const after = second.stores.rooms.getLatestValue();
    expect(after.loaded).toBe(true);
    expect(Object.keys(after.byId).sort()).toEqual(['r1', 'r3']);
    second.destroy();
  });

  it('never shows one user the rooms cached for another', async () => {
    const server = new FakeServer();
    server.addRoom(makeRoom({ id: 'r1' }));
    const storage = memoryStorage();
    const alice = clientOf(server, { getToken: () => tokenFor('alice'), roomListStorage: storage });
    await alice.connect({ rooms: 50 });
    await waitUntil(() => storage.items.size === 1, 'alice’s list cached');
    alice.destroy();

    const gate = holdAuth();
    const bob = clientOf(server, { getToken: () => tokenFor('bob'), roomListStorage: storage });
    const connected = bob.connect({ rooms: 50 });
    // The auth frame goes once the token is there; the cache was looked up for that token by then.
    await waitUntil(() => gate.held.length === 1, 'bob’s auth frame');
    expect(gate.held[0]![1].token).toBe(tokenFor('bob'));
    expect(bob.stores.rooms.getLatestValue().order).toEqual([]);
    gate.release();
    await connected;
    bob.destroy();
  });

  it('treats unreadable storage as empty', async () => {
    const server = new FakeServer();
    server.addRoom(makeRoom({ id: 'r1' }));
    const storage = memoryStorage();
    storage.items.set('parley:rooms:v1:http://parley.test|alice', '{not json');
    const client = clientOf(server, { getToken: () => tokenFor('alice'), roomListStorage: storage });
    await client.connect({ rooms: 50 });
    expect(Object.keys(client.stores.rooms.getLatestValue().byId)).toEqual(['r1']);
    client.destroy();
  });
});
