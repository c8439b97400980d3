import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../src/db/with-user.js';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';

const ROOMS = 200;

describe.each(availableBackends())('room list with %s rooms on %s'.replace('%s', String(ROOMS)), (backend) => {
  let server: TestServer;
  let alice: string;
  /** Room ids in the order the list must show them: latest activity first. */
  let expectedOrder: string[];
  let deletedLastRoom: string;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    // Seeded in SQL: 200 rooms through the API would only slow the test down.
    const base = Date.parse('2026-01-01T00:00:00Z');
    const rooms = Array.from({ length: ROOMS }, (_, i) => ({
      id: randomUUID(),
      type: 'group',
      name: `Room ${i}`,
      created_by: 'alice',
      created_at: new Date(base + i * 1000),
      // Every third room is silent: ordered by its creation time instead.
      last_message_at: i % 3 === 0 ? null : new Date(base + (ROOMS * 2 - i) * 1000),
      last_seq: i % 3 === 0 ? 0 : 2,
    }));
    await asSystem(server.db, async (trx) => {
      await trx('users').insert([
        { id: 'alice', name: 'Alice' },
        { id: 'bob', name: 'Bob' },
      ]);
      await trx('chat_rooms').insert(rooms);
      const talking = rooms.filter((r) => r.last_message_at);
      // Unread counters as the API's writes would have kept them (sql/012_unread_counters.sql): Alice has
      // Bob's first message unread in every room with messages; Bob has Alice's reply where there is one.
      await trx('room_participants').insert(
        rooms.flatMap((r) => {
          const i = talking.indexOf(r);
          return [
            { room_id: r.id, user_id: 'alice', unread_count: i >= 0 ? 1 : 0 },
            { room_id: r.id, user_id: 'bob', unread_count: i >= 0 && i % 2 === 0 ? 1 : 0 },
          ];
        }),
      );
      const messages = talking.flatMap((r, i) => [
        { room_id: r.id, seq: 1, sender_id: 'bob', content: `hello ${r.name}`, created_at: r.last_message_at },
        i % 2
          ? {
              room_id: r.id,
              seq: 2,
              sender_id: 'bob',
              content: null,
              deleted_at: r.last_message_at,
              created_at: r.last_message_at,
            }
          : { room_id: r.id, seq: 2, sender_id: 'alice', content: `reply in ${r.name}`, created_at: r.last_message_at },
      ]);
      await trx('chat_messages').insert(messages);
    });
    const activity = (r: (typeof rooms)[number]) => (r.last_message_at ?? r.created_at).getTime();
    expectedOrder = [...rooms].sort((a, b) => activity(b) - activity(a) || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    deletedLastRoom = rooms.filter((r) => r.last_message_at)[1]!.id;
  });
  afterAll(() => server?.close());

  /** Runs a request and counts the SQL queries it made. */
  async function countingQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
    let queries = 0;
    const onQuery = () => queries++;
    server.db.on('query', onQuery);
    try {
      return { result: await fn(), queries };
    } finally {
      server.db.off('query', onQuery);
    }
  }

  it('makes the same number of queries for a page of 5 rooms as for 100 (no N+1)', async () => {
    await server.request('GET', '/api/v1/me', { token: alice }); // the user upsert is then a no-op on both runs
    const small = await countingQueries(() => server.request('GET', '/api/v1/rooms?limit=5', { token: alice }));
    const large = await countingQueries(() => server.request('GET', '/api/v1/rooms?limit=100', { token: alice }));
    expect(small.result.body.rooms).toHaveLength(5);
    expect(large.result.body.rooms).toHaveLength(100);
    expect(large.queries).toBe(small.queries);
    // Two transactions (auth upsert, the list) of a handful of statements each.
    expect(large.queries).toBeLessThanOrEqual(16);
  });

  it('walks all rooms once, latest activity first, across cursor pages', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { rooms: { id: string }[]; next_cursor: string | null } } =
        await server.request('GET', `/api/v1/rooms?limit=30${cursor ? `&cursor=${cursor}` : ''}`, { token: alice });
      expect(res.status).toBe(200);
      seen.push(...res.body.rooms.map((r) => r.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(ROOMS / 30));
    expect(seen).toEqual(expectedOrder);
  });

  it('shows per room: participants, last message (a deleted one as a tombstone), unread count and last_seq', async () => {
    const first = (await server.request('GET', '/api/v1/rooms?limit=100', { token: alice })).body;
    const second = (
      await server.request('GET', `/api/v1/rooms?limit=100&cursor=${first.next_cursor}`, { token: alice })
    ).body;
    const all = [...first.rooms, ...second.rooms];
    expect(all).toHaveLength(ROOMS);
    const room = all.find((r: { id: string }) => r.id === deletedLastRoom);
    expect(room).toMatchObject({ display_name: expect.stringMatching(/^Room /), last_seq: 2, unread_count: 1 });
    expect(room.participants.map((p: { id: string }) => p.id)).toEqual(['alice', 'bob']);
    expect(room.last_message).toMatchObject({ seq: 2, content: null, deleted_at: expect.any(String), metadata: {} });
    const silent = all.find((r: { last_message: unknown }) => r.last_message === null);
    expect(silent).toMatchObject({ last_message_at: null, unread_count: 0, last_seq: 0 });
  });

  it('rejects a forged cursor and an oversized limit with 400', async () => {
    for (const query of ['cursor=bm9wZQ', 'limit=101', 'limit=0']) {
      const res = await server.request('GET', `/api/v1/rooms?${query}`, { token: alice });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});
