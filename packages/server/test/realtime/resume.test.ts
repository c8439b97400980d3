import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@parley/sdk/protocol';
import { availableBackends, startTestServer, type TestServer } from '../../src/testing.js';
import { TestSocket } from '../socket-client.js';
import { createGroup, restSend, signIn, until } from './helpers.js';

type EventFrame = Extract<ServerFrame, { type: 'event' }>;

/** Seqs of the `event` frames a socket got for a room, in arrival order. */
function seqsOf(socket: TestSocket, roomId: string): number[] {
  return socket.frames.filter((f): f is EventFrame => f.type === 'event' && f.room_id === roomId).map((f) => f.seq);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe.each(availableBackends())('resume and in-order delivery on %s', (backend) => {
  let server: TestServer;
  let tokens: Record<string, string>;
  const sockets: TestSocket[] = [];
  /** Opens a socket and sends auth (with resume), without waiting for ready. */
  const open = async (user: string, resume?: Record<string, number>) => {
    const s = await TestSocket.open(server.wsUrl);
    sockets.push(s);
    s.send({ type: 'auth', token: tokens[user], ...(resume ? { resume } : {}) });
    return s;
  };

  beforeAll(async () => {
    server = await startTestServer({ backend, resumeMaxEvents: 20 });
    tokens = await signIn(server, 'alice', 'bob', 'carol', 'dave');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server?.close();
  });

  it('replays what the client missed, in order, before ready, and says recovered', async () => {
    const room = await createGroup(server, tokens.alice!, ['bob']);
    for (let i = 1; i <= 5; i++) await restSend(server, tokens.bob!, room, `m${i}`);
    const s = await open('alice', { [room]: 2 });
    const ready = await s.next('ready');
    expect(ready.resume).toEqual({ [room]: 'recovered' });
    // Replayed frames were queued before ready arrived.
    expect(seqsOf(s, room)).toEqual([3, 4, 5]);
    await restSend(server, tokens.bob!, room, 'live');
    await until(() => seqsOf(s, room).length === 4, 'the live event');
    expect(seqsOf(s, room)).toEqual([3, 4, 5, 6]);
  });

  it('answers resync for a gap larger than the replay limit, and for rooms that are not the caller’s', async () => {
    const big = await createGroup(server, tokens.alice!, ['bob']);
    for (let i = 1; i <= 25; i++) await restSend(server, tokens.bob!, big, `m${i}`);
    const foreign = await createGroup(server, tokens.carol!, ['dave']);
    await restSend(server, tokens.carol!, foreign, 'private');
    const s = await open('alice', {
      [big]: 1,
      [foreign]: 0,
      '00000000-0000-4000-8000-000000000000': 0,
      'not-a-uuid': 0,
    });
    const ready = await s.next('ready');
    expect(ready.resume).toEqual({
      [big]: 'resync',
      [foreign]: 'resync',
      '00000000-0000-4000-8000-000000000000': 'resync',
      'not-a-uuid': 'resync',
    });
    // Nothing of the foreign room leaks, and the big room goes live from its current seq.
    expect(s.frames.filter((f) => f.type === 'event')).toEqual([]);
    await restSend(server, tokens.bob!, big, 'after');
    await until(() => seqsOf(s, big).length === 1, 'the live event');
    expect(seqsOf(s, big)).toEqual([26]);
  });

  it('sends rooms the client did not name live only', async () => {
    const room = await createGroup(server, tokens.alice!, ['bob']);
    await restSend(server, tokens.bob!, room, 'old');
    const s = await open('alice', {});
    await s.next('ready');
    await restSend(server, tokens.bob!, room, 'new');
    await until(() => seqsOf(s, room).length === 1, 'the live event');
    expect(seqsOf(s, room)).toEqual([2]);
  });

  it('has no gap and no duplicate at the seam between replay and live events', async () => {
    const room = await createGroup(server, tokens.alice!, ['bob']);
    for (let i = 1; i <= 5; i++) await restSend(server, tokens.bob!, room, `before ${i}`);
    // Bob keeps writing while alice resumes from seq 3.
    const writing = (async () => {
      for (let i = 1; i <= 30; i++) await restSend(server, tokens.bob!, room, `during ${i}`);
    })();
    const s = await open('alice', { [room]: 3 });
    await s.next('ready');
    await writing;
    await until(() => seqsOf(s, room).at(-1) === 35, 'the last event');
    expect(seqsOf(s, room)).toEqual(range(4, 35));
  });

  it('delivers every seq once, in order, to every socket while two writers race', async () => {
    const room = await createGroup(server, tokens.alice!, ['bob', 'carol']);
    const watcher = await open('alice');
    await watcher.next('ready');
    const writer = (user: string) =>
      Promise.all(Array.from({ length: 25 }, (_, i) => restSend(server, tokens[user]!, room, `${user} ${i}`)));
    await Promise.all([writer('bob'), writer('carol')]);
    await until(() => seqsOf(watcher, room).length >= 50, 'fifty events');
    expect(seqsOf(watcher, room)).toEqual(range(1, 50));
  });

  it('starts delivering a room the moment the user is added, and stops when they are removed', async () => {
    const room = await createGroup(server, tokens.bob!, ['carol']);
    await restSend(server, tokens.bob!, room, 'before dave');
    const dave = await open('dave');
    await dave.next('ready');
    const added = await server.request('POST', `/api/v1/rooms/${room}/participants`, {
      token: tokens.bob,
      body: { user_ids: ['dave'] },
    });
    expect(added.status).toBe(200);
    const joined = await dave.next('event', (e) => e.room_id === room && e.kind === 'member.joined');
    const hello = await restSend(server, tokens.bob!, room, 'hello dave');
    await dave.next('event', (e) => e.room_id === room && e.seq === hello.seq);
    // Dave's stream starts at his own joining: nothing from before it.
    expect(Math.min(joined.seq, ...seqsOf(dave, room))).toBe(joined.seq);

    const removed = await server.request('DELETE', `/api/v1/rooms/${room}/participants/dave`, { token: tokens.bob });
    expect(removed.status).toBeLessThan(300);
    await dave.next('event', (e) => e.room_id === room && e.kind === 'member.left');
    const after = await restSend(server, tokens.bob!, room, 'dave is gone');
    const carol = await open('carol', { [room]: after.seq - 1 });
    await carol.next('event', (e) => e.seq === after.seq);
    expect(seqsOf(dave, room)).not.toContain(after.seq);
  });
});
