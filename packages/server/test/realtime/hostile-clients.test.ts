import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { TestSocket } from '../socket-client.js';
import { realtimeSuite, until } from './helpers.js';

/** Starts an upgrade; resolves with the HTTP status that refused it, or 101 when it was accepted. */
function upgradeStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; retryAfter: string | null }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, retryAfter: null });
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] ?? null });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => (err.message.startsWith('Unexpected server response') ? undefined : reject(err)));
  });
}

/** Ping/pong round trips of one socket, one after another; the p95 in ms. */
async function pingP95(socket: TestSocket, rounds: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const ref = `p${i}-${Math.random()}`;
    const started = performance.now();
    socket.send({ type: 'ping', ref });
    await socket.next('pong', (p) => p.ref === ref);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.95)]!;
}

describe('hostile clients', () => {
  const suite = realtimeSuite(
    { maxSocketsPerUser: 3, socketUpgradesPerIpPerSecond: 5, socketFramesPerSecond: 50 },
    'alice',
    'bob',
    'mallory',
  );
  const { connect } = suite;

  it('closes the oldest socket of a user past the cap with 4409; the newest and other users keep theirs', async () => {
    const bob = await connect(suite.tokens.bob!);
    const first = await connect(suite.tokens.alice!);
    await connect(suite.tokens.alice!);
    await connect(suite.tokens.alice!);
    expect(suite.server.gateway.socketsOf('alice')).toBe(3);

    const newest = await connect(suite.tokens.alice!);
    expect(await first.closed).toEqual({
      code: 4409,
      reason: 'too many sockets for this user: replaced by a newer one',
    });
    expect(suite.server.gateway.socketsOf('alice')).toBe(3);
    // The newest one works; bob was never touched.
    newest.send({ type: 'ping', ref: 'n' });
    expect((await newest.next('pong')).ref).toBe('n');
    expect(suite.server.gateway.socketsOf('bob')).toBe(1);
    bob.send({ type: 'ping', ref: 'b' });
    expect((await bob.next('pong')).ref).toBe('b');
    suite.sockets.closeAll();
    await until(
      () => suite.server.gateway.socketsOf('alice') === 0 && suite.server.gateway.socketsOf('bob') === 0,
      'closed',
    );
  });

  it('refuses a flood of upgrades from one address with 429 and Retry-After, and lets it in again after', async () => {
    // A forged X-Forwarded-For changes nothing unless PARLEY_TRUST_PROXY is set.
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => upgradeStatus(suite.server.wsUrl, { 'x-forwarded-for': `10.0.0.${i}` })),
    );
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 101).length).toBeLessThanOrEqual(10);
    expect(refused.length).toBeGreaterThanOrEqual(20);
    expect(refused.every((a) => Number(a.retryAfter) >= 1)).toBe(true);
    await until(
      async () => (await upgradeStatus(suite.server.wsUrl)).status === 101,
      'an upgrade once the bucket refilled',
    );
  });
});

describe('the frame budget of a socket', () => {
  const suite = realtimeSuite({ socketFramesPerSecond: 20 }, 'bob', 'mallory');
  const { connect } = suite;

  it('stops reading a socket over its budget until the debt is paid, losing nothing, while others are served', async () => {
    const flooder = await connect(suite.tokens.mallory!);
    const bystander = await connect(suite.tokens.bob!);
    // 120 frames against a burst of 60 at 20/s: the debt is 60 frames, three seconds, however TCP
    // splits them, and a frame sent behind them is read only once it is paid.
    for (let i = 0; i < 120; i++) flooder.send({ type: 'ping', ref: `f${i}` });
    await until(() => flooder.frames.filter((f) => f.type === 'pong').length >= 60, 'the burst answered');
    flooder.send({ type: 'ping', ref: 'after' });
    for (let i = 0; i < 5; i++) {
      bystander.send({ type: 'ping', ref: `b${i}` });
      await bystander.next('pong', (p) => p.ref === `b${i}`);
    }
    // Five round trips of the bystander answered; the flooder's frame behind its debt is still unread.
    expect(flooder.frames.some((f) => f.type === 'pong' && f.ref === 'after')).toBe(false);
    expect((await flooder.next('pong', (p) => p.ref === 'after', 15_000)).ref).toBe('after');
    // Every frame before it answered, once each, in order (next() took 'after' off the list).
    const answered = flooder.frames.filter((f) => f.type === 'pong').map((f) => (f as { ref?: string }).ref);
    expect(answered).toEqual(Array.from({ length: 120 }, (_, i) => `f${i}`));
  });
});

describe('fairness between clients', () => {
  const suite = realtimeSuite({}, 'bob', 'mallory');
  const { connect } = suite;

  it('keeps a bystander responsive while another client floods frames', async () => {
    const bystander = await connect(suite.tokens.bob!);
    const flooder = await connect(suite.tokens.mallory!);
    await pingP95(bystander, 50); // warm-up
    const quiet = await pingP95(bystander, 200);

    let flooding = true;
    const burst = Array.from({ length: 200 }, (_, i) => JSON.stringify({ type: 'ping', ref: `f${i}` })).join('\n');
    const lines = burst.split('\n');
    const flood = (async () => {
      while (flooding) {
        // Keep the flooder's socket full: many frames per write, as a hostile client would.
        if (flooder.ws.bufferedAmount < 1 << 20) for (const line of lines) flooder.ws.send(line);
        flooder.frames.length = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await until(() => flooder.ws.bufferedAmount > 0 || flooder.frames.length > 0, 'the flood to start');
    const loaded = await pingP95(bystander, 200);
    flooding = false;
    await flood;

    const ratio = loaded / Math.max(quiet, 0.05);
    console.log(
      `fairness: bystander ping p95 ${quiet.toFixed(2)} ms quiet, ${loaded.toFixed(2)} ms under a flood (${ratio.toFixed(1)}×)`,
    );
    // Loose: this machine is shared and the flooder runs in this process; the bench has the real figure.
    expect(loaded).toBeLessThan(Math.max(quiet * 10, 25));
  });
});
