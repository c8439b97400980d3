/**
 * The write path over the socket: group commit of concurrent sends (fewer transactions, each ack
 * after its commit), one-statement edits and resumes, coalesced reads. The batch writer called
 * directly is write-batch.test.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@parley/sdk/protocol';
import { suiteServer } from '../src/test-support/suite-server.js';
import { availableBackends } from '../src/testing.js';
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
  const others = Array.from({ length: 20 }, (_, i) => `u${i}`);
  const suite = suiteServer({ backend }, signIn, 'hub', 'alice', 'bob', 'carol', 'dave', 'eve', ...others);
  let db: Knex;
  beforeAll(() => {
    db = suite.server.db;
  });

  const socket = (user: string) => TestSocket.connect(suite.server.wsUrl, suite.tokens[user]!);
  const xminsOf = async (ids: string[]) =>
    (
      await db.raw<{ rows: { n: number }[] }>(
        'select count(distinct xmin::text)::int as n from chat_messages where id = any(?::uuid[])',
        [ids],
      )
    ).rows[0]!.n;

  it('writes concurrent sends from different users into different rooms in fewer transactions, each acked after its commit', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
    const rooms = await Promise.all(
      users.map((u) => createGroup(suite.server, suite.tokens[u]!, ['hub'], `room of ${u}`)),
    );
    const sockets = await Promise.all(users.map(socket));
    const before = { ...suite.server.services.writes.stats };
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
    const stats = suite.server.services.writes.stats;
    expect(stats.elements - before.elements).toBeGreaterThanOrEqual(100);
    expect(stats.batches - before.batches).toBeLessThan(100);
    sockets.forEach((s) => s.close());
  });

  it('keeps per-room order and exactly-once under concurrent batched sends to one room', async () => {
    const writers = ['alice', 'bob', 'carol', 'dave'];
    const room = await createGroup(suite.server, suite.tokens['alice']!, writers.slice(1), 'busy');
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
    expect(suite.server.services.writes.stats.largestBatch).toBeGreaterThan(1);
    sockets.forEach((s) => s.close());
  });

  it('acks nothing when the commit fails after the batch was written, and stores nothing', async () => {
    const room = await createGroup(suite.server, suite.tokens['alice']!, ['bob'], 'fails at commit');
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

  it('edits, deletes and reacts in one statement each, with no transaction around it', async () => {
    const room = await createGroup(suite.server, suite.tokens['alice']!, ['bob'], 'one statement');
    const sent = await restSend(suite.server, suite.tokens['alice']!, room, 'to change');
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
    const bob = suite.tokens['bob']!;
    const alice = suite.tokens['alice']!;
    expect(
      await statements(() => suite.server.request('PATCH', path, { token: alice, body: { content: 'changed' } }), 200),
    ).toEqual(change);
    expect(
      await statements(
        () => suite.server.request('POST', `${path}/reactions`, { token: bob, body: { emoji: '👍' } }),
        200,
      ),
    ).toEqual(change);
    expect(
      await statements(
        () => suite.server.request('DELETE', `${path}/reactions/${encodeURIComponent('👍')}`, { token: bob }),
        200,
      ),
    ).toEqual(change);
    expect(await statements(() => suite.server.request('DELETE', path, { token: alice }), 200)).toEqual(change);
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
    const room = await createGroup(suite.server, suite.tokens['alice']!, ['carol'], 'resume read');
    const before = await restSend(suite.server, suite.tokens['alice']!, room, 'seen');
    const missed = await restSend(suite.server, suite.tokens['alice']!, room, 'missed');
    const seen: string[] = [];
    const listen = (q: { sql: string }) => seen.push(q.sql);
    db.on('query', listen);
    let frames: ServerFrame[];
    try {
      const carol = await TestSocket.open(suite.server.wsUrl);
      carol.send({ type: 'auth', token: suite.tokens['carol']!, resume: { [room]: before.seq } });
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

  it('coalesces a burst of reads and ends every viewer at the right marker, live and after resume', async () => {
    const room = await createGroup(suite.server, suite.tokens['alice']!, ['bob', 'carol'], 'reads');
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
    const back = await TestSocket.open(suite.server.wsUrl);
    back.send({ type: 'auth', token: suite.tokens['alice'], resume: { [room]: lastSeq } });
    expect((await back.next('ready')).resume).toEqual({ [room]: 'recovered' });
    const resumed = await back.next('reads', (f) => f.room_id === room);
    expect(Object.fromEntries(resumed.reads.map((r) => [r.user_id, r.last_read_seq]))).toMatchObject({
      bob: seqs[19],
      carol: seqs[9],
    });
    for (const s of [alice, bob, carol, back]) s.close();
  });

  it('answers an error frame for a read of a room that is not the user’s', async () => {
    const room = await createGroup(suite.server, suite.tokens['alice']!, ['bob'], 'private');
    const eve = await socket('eve');
    eve.send({ type: 'read', room_id: room, ref: 'r1' });
    expect(await eve.next('error', (f) => f.ref === 'r1')).toMatchObject({ code: 'room_not_found' });
    eve.close();
  });
});
