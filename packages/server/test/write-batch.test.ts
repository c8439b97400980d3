/**
 * The batch writer (db/write-batch.ts) called directly: what one group commit answers for each
 * element, the isolated path that writes a refused batch again element by element, and row-level
 * security as the second wall inside a batch. The socket side of group commit is write-path.test.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeBatch, type SendElement } from '../src/db/write-batch.js';
import { suiteServer } from '../src/test-support/suite-server.js';
import { availableBackends } from '../src/testing.js';
import { createGroup, signIn } from './realtime/helpers.js';

/** A text message of `user` in `room`, as the gateway hands it to the batch writer. */
const sendElement = (user: string, room: string, content: string, clientId: string | null = null): SendElement => ({
  op: 'send',
  user,
  room,
  id: randomUUID(),
  client_id: clientId,
  type: 'text',
  content,
  metadata: {},
});

describe.each(availableBackends())('the batch writer on %s', (backend) => {
  const suite = suiteServer({ backend }, signIn, 'alice', 'bob', 'carol', 'eve');
  let db: Knex;
  beforeAll(() => {
    db = suite.server.db;
  });

  describe('row-level security inside a batch', () => {
    let room: string;
    let evesRoom: string;
    const element = (user: string, roomId: string, content: string) => sendElement(user, roomId, content);

    beforeAll(async () => {
      room = await createGroup(suite.server, suite.tokens['alice']!, ['bob'], 'rls');
      evesRoom = await createGroup(suite.server, suite.tokens['eve']!, ['carol'], 'eve');
    });

    it('refuses a forged element for a room its sender is not in, and commits the rest', async () => {
      const answer = await writeBatch(
        db,
        [element('alice', room, 'one'), element('eve', room, 'forged'), element('eve', evesRoom, 'two')],
        false,
      );
      expect(answer.results[0]).toMatchObject({ seq: expect.any(Number) });
      expect(answer.results[1]).toEqual({ error: 'room_not_found' });
      expect(answer.results[2]).toMatchObject({ seq: expect.any(Number) });
      expect(await db('chat_messages').where({ room_id: room, content: 'forged' }).first()).toBeUndefined();
    });

    it('is the second wall: with the membership check switched off, the policies still refuse the forged element', async () => {
      // Switch the application's first wall off (this server's own scratch database),
      // for the set-based fast path and for the element-by-element isolated path.
      const firstWall = await db.raw<{ rows: { definition: string }[] }>(
        `select pg_get_functiondef('parley_batch_members(jsonb)'::regprocedure) as definition`,
      );
      await db.raw(
        `create or replace function parley_batch_may_write(p_room_id uuid) returns boolean language sql stable as $$ select true $$`,
      );
      await db.raw(
        `create or replace function parley_batch_members(p_items jsonb) returns table (k integer) language sql stable as $$ select t.k::integer from jsonb_array_elements(p_items) with ordinality t(x, k) $$`,
      );
      try {
        const batch = [
          element('alice', room, 'kept 1'),
          element('eve', room, 'forged 2'),
          element('bob', room, 'kept 3'),
        ];
        // The fast path fails as a whole: the policies refuse eve's row (she is not a member)…
        await expect(writeBatch(db, batch, false)).rejects.toMatchObject({ code: '42501' });
        // …and the isolated path refuses the forged element alone, committing the others together.
        const answer = await writeBatch(db, batch, true);
        expect(answer.results[1]).toMatchObject({ error: 'refused', sqlstate: '42501' });
        expect(answer.results[0]).toMatchObject({ seq: expect.any(Number) });
        expect(answer.results[2]).toMatchObject({ seq: expect.any(Number) });
        const kept = [batch[0]!.id, batch[2]!.id];
        expect(
          (
            await db('chat_messages')
              .whereIn('id', [...kept, batch[1]!.id])
              .pluck('content')
          ).sort(),
        ).toEqual(['kept 1', 'kept 3']);
        expect(await db('chat_messages').where('id', batch[1]!.id).first()).toBeUndefined();
        // One transaction: one transaction start time (isolated elements run in subtransactions, so xmin differs).
        const times = await db('chat_messages').whereIn('id', kept).pluck('created_at');
        expect(new Set(times.map((t: Date) => t.getTime())).size).toBe(1);
        // The seqs stay gapless: the refused element's seq went to the next one.
        expect((answer.results[2] as { seq: number }).seq).toBe((answer.results[0] as { seq: number }).seq + 1);
      } finally {
        await db.raw(
          `create or replace function parley_batch_may_write(p_room_id uuid) returns boolean language sql stable as $$ select parley_is_member(p_room_id) $$`,
        );
        await db.raw(firstWall.rows[0]!.definition);
      }
    });
  });

  it.each([
    ['the set-based fast path', false],
    ['the isolated path', true],
  ])('answers repeats, strangers, seqs and counters of one batch on %s', async (_path, isolate) => {
    const room = await createGroup(suite.server, suite.tokens['alice']!, ['bob', 'carol'], `alike ${isolate}`);
    const send = (user: string, clientId: string | null) => sendElement(user, room, `from ${user}`, clientId);
    const earlier = send('alice', 'c-old');
    expect((await writeBatch(db, [earlier], isolate)).results[0]).toMatchObject({ seq: 1 });
    const firstNew = send('alice', 'c-new');
    const batch = [
      send('alice', 'c-old'), // already sent: answers the original
      firstNew,
      send('bob', null),
      send('alice', 'c-new'), // repeated within the batch: answers the first
      send('eve', null), // not a member
      { op: 'read' as const, user: 'carol', room, seq: null }, // after the sends: up to seq 4
      send('bob', 'c-new'), // another sender's client_id is their own
    ];
    const answer = await writeBatch(db, batch, isolate);
    expect(answer.results).toEqual([
      { duplicate: earlier.id },
      { seq: 2, at: expect.any(String) },
      { seq: 3, at: expect.any(String) },
      { duplicate: firstNew.id },
      { error: 'room_not_found' },
      { moved: true, last_read_seq: 4, last_read_at: expect.any(String), unread_count: 0 },
      { seq: 4, at: expect.any(String) },
    ]);
    const stored = await db('room_participants')
      .where({ room_id: room })
      .select('user_id', 'unread_count', 'last_read_seq');
    expect(
      Object.fromEntries(stored.map((p) => [p.user_id, [Number(p.unread_count), Number(p.last_read_seq)]])),
    ).toEqual({
      alice: [2, 0], // bob's 3 and 4
      bob: [2, 0], // alice's 1 and 2
      carol: [0, 4],
    });
    expect(Number((await db('chat_rooms').where({ id: room }).first()).last_seq)).toBe(4);
    expect(await db('chat_messages').where({ room_id: room }).orderBy('seq').pluck('seq')).toEqual([1, 2, 3, 4]);
    expect(await db('room_events').where({ room_id: room }).orderBy('seq').pluck('seq')).toEqual([1, 2, 3, 4]);
    const audience = Object.fromEntries((answer.audience[room] ?? []).map(([user, roomUnread]) => [user, roomUnread]));
    expect(audience).toMatchObject({ alice: 2, bob: 2 });
    expect(Object.keys(audience).sort()).toEqual(['alice', 'bob', 'carol']);
    // Carol's total over all her rooms (other tests' rooms too), read after her read.
    const carols = await db('room_participants').where({ user_id: 'carol' }).sum({ n: 'unread_count' }).first();
    expect(answer.totals['carol']).toBe(Number(carols?.n));
  });

  it('isolates an element the database refuses: the batch is written again and the others commit together', async () => {
    const room = await createGroup(suite.server, suite.tokens['alice']!, ['bob'], 'isolation');
    const good = (content: string) => sendElement('alice', room, content);
    // A message type the table's check constraint refuses (the API never lets one through).
    const batch = [good('first'), { ...good('bad'), type: 'bogus' }, good('last')];
    await expect(writeBatch(db, batch, false)).rejects.toMatchObject({ code: '23514' });
    const answer = await writeBatch(db, batch, true);
    expect(answer.results.map((r) => ('error' in r ? r.error : 'ok'))).toEqual(['ok', 'refused', 'ok']);
    // In one transaction: one transaction start time (each element ran in a subtransaction, so xmin differs).
    const times = await db('chat_messages').whereIn('id', [batch[0]!.id, batch[2]!.id]).pluck('created_at');
    expect(new Set(times.map((t: Date) => t.getTime())).size).toBe(1);
    expect(await db('chat_messages').where('id', batch[1]!.id).first()).toBeUndefined();
  });
});
