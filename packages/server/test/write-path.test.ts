import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@parley/sdk/protocol';
import { writeBatch, type SendElement } from '../src/db/write-batch.js';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';
import { createGroup, restSend, signIn, until } from './realtime/helpers.js';
import { TestSocket } from './socket-client.js';

type Ack = Extract<ServerFrame, { type: 'ack' }>;
type Failure = Extract<ServerFrame, { type: 'error' }>;

/** Waits for the answer to `ref`, whichever kind it is. */
function answerTo(socket: TestSocket, ref: string): Promise<Ack | Failure> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 15_000;
    const poll = () => {
      const i = socket.frames.findIndex((f) => (f.type === 'ack' || f.type === 'error') && f.ref === ref);
      if (i >= 0) return resolve(socket.frames.splice(i, 1)[0] as Ack | Failure);
      if (Date.now() > deadline) return reject(new Error(`no answer to ${ref}`));
      setTimeout(poll, 5);
    };
    poll();
  });
}

/** Sends pipelined and collects every answer (acks and errors alike) by ref. */
async function sendPipelined(
  socket: TestSocket,
  sends: Array<{ room: string; content: string; clientId: string }>,
): Promise<Array<Ack | Failure>> {
  for (const s of sends)
    socket.send({ type: 'send', ref: s.clientId, room_id: s.room, content: s.content, client_id: s.clientId });
  return Promise.all(sends.map((s) => answerTo(socket, s.clientId)));
}

describe.each(availableBackends())('the write path (group commit) on %s', (backend) => {
  let server: TestServer;
  let db: Knex;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    db = server.db;
    tokens = await signIn(
      server,
      'hub',
      'alice',
      'bob',
      'carol',
      'dave',
      'eve',
      ...Array.from({ length: 20 }, (_, i) => `u${i}`),
    );
  });
  afterAll(() => server?.close());

  const socket = (user: string) => TestSocket.connect(server.wsUrl, tokens[user]!);
  const xminsOf = async (ids: string[]) =>
    (
      await db.raw<{ rows: { n: number }[] }>(
        'select count(distinct xmin::text)::int as n from chat_messages where id = any(?::uuid[])',
        [ids],
      )
    ).rows[0]!.n;

  it('writes concurrent sends from different users into different rooms in fewer transactions, each acked after its commit', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
    const rooms = await Promise.all(users.map((u) => createGroup(server, tokens[u]!, ['hub'], `room of ${u}`)));
    const sockets = await Promise.all(users.map(socket));
    const before = { ...server.services.writes.stats };
    // The moment an ack arrives, look its row up from another connection: it must be committed already.
    const lookups: Promise<boolean>[] = [];
    for (const s of sockets) {
      s.ws.on('message', (data) => {
        const frame = JSON.parse((data as Buffer).toString()) as ServerFrame;
        if (frame.type === 'ack')
          lookups.push(
            db('chat_messages')
              .where('id', frame.message.id)
              .first('id')
              .then((row) => row !== undefined),
          );
      });
    }
    const answers = await Promise.all(
      sockets.map((s, i) =>
        sendPipelined(
          s,
          Array.from({ length: 5 }, (_, k) => ({ room: rooms[i]!, content: `m${k}`, clientId: randomUUID() })),
        ),
      ),
    );
    const acks = answers.flat();
    expect(acks.every((a) => a.type === 'ack')).toBe(true);
    expect(lookups).toHaveLength(100);
    expect((await Promise.all(lookups)).every(Boolean)).toBe(true);
    const ids = (acks as Ack[]).map((a) => a.message.id);
    const transactions = await xminsOf(ids);
    expect(transactions).toBeLessThan(ids.length);
    const stats = server.services.writes.stats;
    expect(stats.elements - before.elements).toBeGreaterThanOrEqual(100);
    expect(stats.batches - before.batches).toBeLessThan(100);
    sockets.forEach((s) => s.close());
  });

  it('keeps per-room order and exactly-once under concurrent batched sends to one room', async () => {
    const writers = ['alice', 'bob', 'carol', 'dave'];
    const room = await createGroup(server, tokens['alice']!, writers.slice(1), 'busy');
    const sockets = await Promise.all(writers.map(socket));
    const plan = writers.map((w) =>
      Array.from({ length: 40 }, (_, k) => ({ room, content: `${w}:${k}`, clientId: randomUUID() })),
    );
    // Each writer also retries a few of its sends at once (same client_id): still one row each.
    const answers = await Promise.all(
      sockets.map((s, i) => sendPipelined(s, [...plan[i]!, ...plan[i]!.slice(0, 5).map((p) => ({ ...p }))])),
    );
    expect(answers.flat().every((a) => a.type === 'ack')).toBe(true);
    const rows: { seq: number; content: string; sender_id: string }[] = await db('chat_messages')
      .where('room_id', room)
      .whereNotNull('sender_id')
      .orderBy('seq')
      .select('seq', 'content', 'sender_id');
    expect(rows).toHaveLength(160);
    const all = (await db('chat_messages').where('room_id', room).orderBy('seq').select('seq')).map(
      (r: { seq: number }) => r.seq,
    );
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => all[0]! + i)); // no gap, no duplicate
    const events = (await db('room_events').where('room_id', room).orderBy('seq').select('seq')).map(
      (r: { seq: number }) => r.seq,
    );
    expect(events).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    for (const w of writers) {
      // A socket's sends keep their order in the room.
      expect(rows.filter((r) => r.sender_id === w).map((r) => r.content)).toEqual(
        plan[writers.indexOf(w)]!.map((p) => p.content),
      );
    }
    expect(server.services.writes.stats.largestBatch).toBeGreaterThan(1);
    sockets.forEach((s) => s.close());
  });

  it('acks nothing when the commit fails after the batch was written, and stores nothing', async () => {
    const room = await createGroup(server, tokens['alice']!, ['bob'], 'fails at commit');
    const alice = await socket('alice');
    const bob = await socket('bob');
    // A deferred constraint trigger fires at COMMIT, after parley_write_batch ran: a crash between the two.
    await db.raw(`create function parley_test_fail_commit() returns trigger language plpgsql as $$
      begin raise exception 'injected commit failure'; end $$`);
    await db.raw(`create constraint trigger parley_test_fail_commit after insert on chat_messages
      deferrable initially deferred for each row execute function parley_test_fail_commit()`);
    const sends = (who: string) =>
      Array.from({ length: 10 }, (_, k) => ({ room, content: `${who}${k}`, clientId: randomUUID() }));
    const [aliceSends, bobSends] = [sends('a'), sends('b')];
    try {
      const answers = [...(await sendPipelined(alice, aliceSends)), ...(await sendPipelined(bob, bobSends))];
      expect(answers.map((a) => a.type)).toEqual(Array(20).fill('error'));
      expect(await db('chat_messages').where('room_id', room).count('* as n').first()).toMatchObject({ n: 0 });
    } finally {
      await db.raw('drop trigger parley_test_fail_commit on chat_messages');
      await db.raw('drop function parley_test_fail_commit()');
    }
    // The same sends again (same client_ids, as an SDK retries): stored once each.
    const retried = [...(await sendPipelined(alice, aliceSends)), ...(await sendPipelined(bob, bobSends))];
    expect(retried.every((a) => a.type === 'ack')).toBe(true);
    expect(Number((await db('chat_messages').where('room_id', room).count('* as n').first())!.n)).toBe(20);
    alice.close();
    bob.close();
  });

  describe('row-level security inside a batch', () => {
    let room: string;
    let evesRoom: string;
    const element = (user: string, roomId: string, content: string): SendElement => ({
      op: 'send',
      user,
      room: roomId,
      id: randomUUID(),
      client_id: null,
      type: 'text',
      content,
      metadata: {},
    });

    beforeAll(async () => {
      room = await createGroup(server, tokens['alice']!, ['bob'], 'rls');
      evesRoom = await createGroup(server, tokens['eve']!, ['carol'], 'eve');
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
    const room = await createGroup(server, tokens['alice']!, ['bob', 'carol'], `alike ${isolate}`);
    const send = (user: string, clientId: string | null): SendElement => ({
      op: 'send',
      user,
      room,
      id: randomUUID(),
      client_id: clientId,
      type: 'text',
      content: `from ${user}`,
      metadata: {},
    });
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

  it('edits, deletes and reacts in one statement each, with no transaction around it', async () => {
    const room = await createGroup(server, tokens['alice']!, ['bob'], 'one statement');
    const sent = await restSend(server, tokens['alice']!, room, 'to change');
    const statements = async (run: () => Promise<{ status: number }>, status: number) => {
      const seen: string[] = [];
      const listen = (q: { sql: string }) => seen.push(q.sql);
      db.on('query', listen);
      try {
        expect((await run()).status).toBe(status);
      } finally {
        db.off('query', listen);
      }
      // Presence writes of other tests' sockets may fall in the window; they are not this request's.
      return seen.filter((sql) => !sql.includes('user_presence'));
    };
    const change = [expect.stringMatching(/^select parley_change_message\((\?|\$1)::jsonb\) as answer$/)];
    const path = `/api/v1/rooms/${room}/messages/${sent.id}`;
    const bob = tokens['bob']!;
    const alice = tokens['alice']!;
    expect(
      await statements(() => server.request('PATCH', path, { token: alice, body: { content: 'changed' } }), 200),
    ).toEqual(change);
    expect(
      await statements(() => server.request('POST', `${path}/reactions`, { token: bob, body: { emoji: '👍' } }), 200),
    ).toEqual(change);
    expect(
      await statements(
        () => server.request('DELETE', `${path}/reactions/${encodeURIComponent('👍')}`, { token: bob }),
        200,
      ),
    ).toEqual(change);
    expect(await statements(() => server.request('DELETE', path, { token: alice }), 200)).toEqual(change);
    // …and each was logged under the room's next seq, after the message.
    const log = await db('room_events')
      .where({ room_id: room })
      .andWhere('seq', '>=', sent.seq)
      .orderBy('seq')
      .select('seq', 'kind');
    expect(log.map((e) => e.kind)).toEqual([
      'message.created',
      'message.updated',
      'reaction.added',
      'reaction.removed',
      'message.deleted',
    ]);
    expect(log.map((e) => Number(e.seq))).toEqual([0, 1, 2, 3, 4].map((k) => sent.seq + k));
    expect(Number((await db('chat_rooms').where({ id: room }).first()).last_seq)).toBe(sent.seq + 4);
  });

  it('reads a resume in one statement: rooms, missed events and markers', async () => {
    const room = await createGroup(server, tokens['alice']!, ['carol'], 'resume read');
    const before = await restSend(server, tokens['alice']!, room, 'seen');
    const missed = await restSend(server, tokens['alice']!, room, 'missed');
    const seen: string[] = [];
    const listen = (q: { sql: string }) => seen.push(q.sql);
    db.on('query', listen);
    let frames: ServerFrame[];
    try {
      const carol = await TestSocket.open(server.wsUrl);
      carol.send({ type: 'auth', token: tokens['carol']!, resume: { [room]: before.seq } });
      await carol.next('ready');
      frames = [...carol.frames];
      carol.close();
    } finally {
      db.off('query', listen);
    }
    expect(frames.filter((f) => f.type === 'event').map((f) => (f as { seq: number }).seq)).toEqual([missed.seq]);
    // Sign-in and presence (which looks up who shares a room) have statements of their own; what reads the
    // rooms, the log and the markers is this one statement.
    const reads = seen.filter((sql) => /room_events|chat_rooms|last_read|parley_resume/.test(sql));
    expect(reads).toEqual([expect.stringMatching(/^select parley_resume\(/)]);
  });

  it('isolates an element the database refuses: the batch is written again and the others commit together', async () => {
    const room = await createGroup(server, tokens['alice']!, ['bob'], 'isolation');
    const good = (content: string): SendElement => ({
      op: 'send',
      user: 'alice',
      room,
      id: randomUUID(),
      client_id: null,
      type: 'text',
      content,
      metadata: {},
    });
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

  it('coalesces a burst of reads and ends every viewer at the right marker, live and after resume', async () => {
    const room = await createGroup(server, tokens['alice']!, ['bob', 'carol'], 'reads');
    const alice = await socket('alice');
    const sent = await sendPipelined(
      alice,
      Array.from({ length: 20 }, (_, k) => ({ room, content: `r${k}`, clientId: randomUUID() })),
    );
    const seqs = (sent as Ack[]).map((a) => a.message.seq);
    const [bob, carol] = await Promise.all([socket('bob'), socket('carol')]);
    // Bob marks every message read as it is shown (20 frames), Carol the first ten.
    for (const seq of seqs) bob.send({ type: 'read', room_id: room, seq });
    for (const seq of seqs.slice(0, 10)) carol.send({ type: 'read', room_id: room, seq });

    const markersAt = new Map<string, number>();
    let readsFrames = 0;
    await until(async () => {
      for (const f of alice.frames.splice(0)) {
        if (f.type !== 'reads' || f.room_id !== room) continue;
        readsFrames++;
        for (const r of f.reads) markersAt.set(r.user_id, Math.max(markersAt.get(r.user_id) ?? 0, r.last_read_seq));
      }
      return markersAt.get('bob') === seqs[19] && markersAt.get('carol') === seqs[9];
    }, 'the final read markers at alice');
    expect(readsFrames).toBeLessThan(30);
    expect(await bob.next('unread', (f) => f.room_id === room && f.unread_count === 0)).toMatchObject({
      unread_count: 0,
    });
    const stored = await db('room_participants')
      .where('room_id', room)
      .select('user_id', 'last_read_seq', 'unread_count');
    expect(
      Object.fromEntries(
        stored.map((r: { user_id: string; last_read_seq: number; unread_count: number }) => [
          r.user_id,
          [r.last_read_seq, r.unread_count],
        ]),
      ),
    ).toMatchObject({
      bob: [seqs[19], 0],
      carol: [seqs[9], 10],
    });

    // A client that resumes the room gets every participant's current marker.
    const lastSeq = Math.max(...seqs);
    const back = await TestSocket.open(server.wsUrl);
    back.send({ type: 'auth', token: tokens['alice'], resume: { [room]: lastSeq } });
    expect((await back.next('ready')).resume).toEqual({ [room]: 'recovered' });
    const resumed = await back.next('reads', (f) => f.room_id === room);
    expect(Object.fromEntries(resumed.reads.map((r) => [r.user_id, r.last_read_seq]))).toMatchObject({
      bob: seqs[19],
      carol: seqs[9],
    });
    for (const s of [alice, bob, carol, back]) s.close();
  });

  it('answers an error frame for a read of a room that is not the user’s', async () => {
    const room = await createGroup(server, tokens['alice']!, ['bob'], 'private');
    const eve = await socket('eve');
    eve.send({ type: 'read', room_id: room, ref: 'r1' });
    expect(await eve.next('error', (f) => f.ref === 'r1')).toMatchObject({ code: 'room_not_found' });
    eve.close();
  });
});
