import type { Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../../src/testing.js';
import { createGroup, realtimeSuite, restSend, until } from './helpers.js';

describe.each(availableBackends())('socket limits and token renewal on %s', (backend) => {
  const suite = realtimeSuite(
    { backend, rateLimitMessagesPer10s: 3, socketLimits: { tokenGraceMs: 1500, maxBufferedBytes: 256 * 1024 } },
    'alice',
    'bob',
    'carol',
  );
  const { connect } = suite;
  let room: string;

  beforeAll(async () => {
    room = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
  });

  it('rate-limits sends per user across the socket and REST, naming the ref and when to retry', async () => {
    const carolRoom = await createGroup(suite.server, suite.tokens.carol!, ['bob']);
    const carol = await connect(suite.tokens.carol!);
    for (let i = 1; i <= 4; i++)
      carol.send({ type: 'send', ref: `s${i}`, room_id: carolRoom, content: `m${i}`, client_id: `c${i}` });
    for (let i = 1; i <= 3; i++)
      expect((await carol.next('ack', (a) => a.ref === `s${i}`)).message.content).toBe(`m${i}`);
    const refused = await carol.next('error', (e) => e.ref === 's4');
    expect(refused.code).toBe('rate_limited');
    expect(refused.retry_after_ms).toBeGreaterThan(0);
    const rest = await suite.server.request('POST', `/api/v1/rooms/${carolRoom}/messages`, {
      token: suite.tokens.carol,
      body: { content: 'rest' },
    });
    expect(rest.status).toBe(429);
    expect(rest.body.error.code).toBe('rate_limited');
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Nothing refused was stored; another user's bucket is untouched.
    const list = await suite.server.request('GET', `/api/v1/rooms/${carolRoom}/messages`, { token: suite.tokens.bob });
    expect(list.body.messages.map((m: { content: string }) => m.content).sort()).toEqual(['m1', 'm2', 'm3']);
    expect(
      (
        await suite.server.request('POST', `/api/v1/rooms/${carolRoom}/messages`, {
          token: suite.tokens.bob,
          body: { content: 'bob' },
        })
      ).status,
    ).toBe(201);
  });

  it('drops a client that stops reading instead of buffering for it, and only that client', async () => {
    const reader = await connect(suite.tokens.bob!);
    const stalled = await connect(suite.tokens.alice!);
    // Stop reading at the TCP level: the server's unsent data piles up.
    (stalled.ws as unknown as { _socket: Socket })._socket.pause();
    const bulky = 'x'.repeat(512 * 1024);
    for (let i = 0; i < 40 && suite.server.gateway.socketsOf('alice') > 0; i++) {
      await suite.server.bus.publish({
        type: 'user_frame',
        frame: { type: 'presence', user_id: 'bob', status: 'online', status_message: bulky, last_seen_at: null },
        recipients: ['alice'],
      });
      await new Promise((r) => setImmediate(r));
    }
    await until(() => suite.server.gateway.socketsOf('alice') === 0, 'the stalled socket to be dropped');
    reader.send({ type: 'ping', ref: 'alive' });
    expect(await reader.next('pong')).toMatchObject({ ref: 'alive' });
  });

  it('closes a socket that sends an oversized frame, and only that socket', async () => {
    const bystander = await connect(suite.tokens.bob!);
    const big = await connect(suite.tokens.alice!);
    big.send({ type: 'ping', ref: 'x'.repeat(70 * 1024) });
    expect((await big.closed).code).toBe(1009);
    bystander.send({ type: 'ping', ref: 'ok' });
    expect(await bystander.next('pong')).toMatchObject({ ref: 'ok' });
  });

  it('tells a socket its token expired, holds its events, and resumes them on a re-auth in place', async () => {
    // exp has whole-second resolution: a ttl of 1 s can leave only milliseconds (too little to
    // authenticate first), 2 s leaves between 1 and 2.
    const short = suite.server.mintToken({ sub: 'bob', name: 'Bob', ttl: 2 });
    const bob = await connect(short);
    const expired = await bob.next('error', (e) => e.code === 'token_expired', 4000);
    expect(expired.ref).toBeUndefined();
    const sent = await restSend(suite.server, suite.tokens.alice!, room, 'while expired');
    bob.send({ type: 'send', ref: 'late', room_id: room, content: 'refused', client_id: 'late-1' });
    expect(await bob.next('error', (e) => e.ref === 'late')).toMatchObject({ code: 'token_expired' });
    expect(bob.frames.some((f) => f.type === 'event' && f.seq === sent.seq)).toBe(false);

    bob.send({ type: 'auth', token: suite.server.mintToken({ sub: 'bob', name: 'Bob', ttl: 60 }) });
    expect(await bob.next('ready')).toMatchObject({ user: { id: 'bob' }, resume: {} });
    expect(await bob.next('event', (e) => e.seq === sent.seq)).toMatchObject({ kind: 'message.created' });
  });

  it('closes 4401 when no re-auth arrives within the grace period', async () => {
    const bob = await connect(suite.server.mintToken({ sub: 'bob', name: 'Bob', ttl: 2 }));
    await bob.next('error', (e) => e.code === 'token_expired', 4000);
    expect((await bob.closed).code).toBe(4401);
  });

  it('refuses a re-auth as another user and closes the socket', async () => {
    const bob = await connect(suite.tokens.bob!);
    bob.send({ type: 'auth', token: suite.tokens.alice });
    expect(await bob.next('error')).toMatchObject({ code: 'forbidden' });
    expect((await bob.closed).code).toBe(4401);
  });
});
