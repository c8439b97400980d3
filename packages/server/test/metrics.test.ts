import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';
import { sample } from './metrics-text.js';
import { TestSocket } from './socket-client.js';
import { createGroup, signIn, until } from './realtime/helpers.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const SEND_LIMIT = 5;

/** Every parley_ series README's "Metrics and logs" lists, with its type, and a few of Node's. */
const SERIES: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  parley_sockets_open: 'gauge',
  parley_frames_received_total: 'counter',
  parley_frames_sent_total: 'counter',
  parley_messages_sent_total: 'counter',
  parley_group_commit_batch_size: 'histogram',
  parley_group_commit_seconds: 'histogram',
  parley_fanout_seconds: 'histogram',
  parley_bus_lag_seconds: 'histogram',
  parley_db_pool_used: 'gauge',
  parley_db_pool_free: 'gauge',
  parley_db_pool_pending_acquires: 'gauge',
  parley_rate_limit_refusals_total: 'counter',
  nodejs_eventloop_lag_seconds: 'gauge',
  process_cpu_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
};

/** The values this test watches move, read from one scrape. */
function watched(text: string) {
  return {
    sockets: sample(text, 'parley_sockets_open'),
    authFrames: sample(text, 'parley_frames_received_total', 'type="auth"'),
    sendFrames: sample(text, 'parley_frames_received_total', 'type="send"'),
    otherFrames: sample(text, 'parley_frames_received_total', 'type="other"'),
    framesSent: sample(text, 'parley_frames_sent_total'),
    messages: sample(text, 'parley_messages_sent_total'),
    batches: sample(text, 'parley_group_commit_batch_size_count'),
    batchedWrites: sample(text, 'parley_group_commit_batch_size_sum'),
    commits: sample(text, 'parley_group_commit_seconds_count'),
    fanouts: sample(text, 'parley_fanout_seconds_count'),
    sendRefusals: sample(text, 'parley_rate_limit_refusals_total', 'kind="send"'),
  };
}

describe('GET /metrics and request ids, metrics off (the default)', () => {
  let server: TestServer;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    server = await startTestServer({ backend: 'pglite', logger: pino({ level: 'debug' }, sink) });
  });
  afterAll(() => server?.close());

  it('is not there: 404 not_found, with or without a token', async () => {
    for (const headers of [{}, { Authorization: `Bearer ${TOKEN}` }]) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    }
  });

  it('gives every response an X-Request-Id, keeps a sane incoming one, and logs it as req_id', async () => {
    const fresh = await fetch(`${server.url}/healthz`);
    const id = fresh.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const errored = await fetch(`${server.url}/api/v1/me`);
    expect(errored.status).toBe(401);
    expect(errored.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(errored.headers.get('x-request-id')).not.toBe(id);

    const echoed = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'lb-7f3a.1_x' } });
    expect(echoed.headers.get('x-request-id')).toBe('lb-7f3a.1_x');
    for (const insane of ['has space', 'semi;colon', 'x'.repeat(101)]) {
      const res = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': insane } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }

    await until(() => lines.some((l) => l['req_id'] === 'lb-7f3a.1_x'), 'the request logged with its id');
    expect(lines.find((l) => l['req_id'] === 'lb-7f3a.1_x')).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/healthz',
      status: 200,
    });
    expect(lines.find((l) => l['req_id'] === id)).toMatchObject({ msg: 'request', path: '/healthz' });
  });

  it("binds a socket's id to the lines it logs", async () => {
    const tokens = await signIn(server, 'dora');
    const socket = await TestSocket.connect(server.wsUrl, tokens.dora!);
    try {
      const [connection] = server.gateway.connections();
      expect(connection!.log.bindings()).toMatchObject({ conn: connection!.id });
    } finally {
      socket.close();
    }
  });
});

describe.each(availableBackends())('GET /metrics with PARLEY_METRICS_TOKEN on %s', (backend) => {
  let server: TestServer;
  let tokens: Record<string, string>;
  let room: string;
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    server = await startTestServer({ backend, metricsToken: TOKEN, rateLimitMessagesPer10s: SEND_LIMIT });
    tokens = await signIn(server, 'alice', 'bob', 'carol');
    room = await createGroup(server, tokens.alice!, ['bob', 'carol']);
  });
  afterAll(() => server?.close());

  it('refuses a missing or wrong token with 401, whatever its length', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer nope', TOKEN]) {
      const res = await fetch(`${server.url}/metrics`, {
        headers: authorization === undefined ? {} : { Authorization: authorization },
      });
      expect(res.status, authorization).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('exposes every named series in the Prometheus text format', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    for (const [name, type] of Object.entries(SERIES)) expect(text, name).toContain(`# TYPE ${name} ${type}\n`);
    for (const type of ['auth', 'send', 'read', 'typing', 'presence', 'ping', 'other']) {
      expect(sample(text, 'parley_frames_received_total', `type="${type}"`), type).toBeGreaterThanOrEqual(0);
    }
    for (const kind of ['send', 'typing', 'agent_write', 'agent_record', 'socket_upgrade']) {
      expect(sample(text, 'parley_rate_limit_refusals_total', `kind="${kind}"`), kind).toBe(0);
    }
    // Buckets are cumulative up to +Inf, which is the count.
    expect(sample(text, 'parley_fanout_seconds_bucket', 'le="+Inf"')).toBe(sample(text, 'parley_fanout_seconds_count'));
    // The pool is read when scraped: PostgreSQL's has connections open from the setup; PGlite's one.
    expect(sample(text, 'parley_db_pool_used') + sample(text, 'parley_db_pool_free')).toBeGreaterThanOrEqual(1);
  });

  it('moves with traffic: sockets, frames both ways, sends, batches, commits and fan-out', async () => {
    const before = watched(await scrape());
    const alice = await TestSocket.connect(server.wsUrl, tokens.alice!);
    const bob = await TestSocket.connect(server.wsUrl, tokens.bob!);
    try {
      expect(watched(await scrape()).sockets).toBe(before.sockets + 2);
      for (let i = 1; i <= 3; i++) alice.send({ type: 'send', ref: `s${i}`, room_id: room, content: `m${i}` });
      alice.send({ type: 'no-such-frame' });
      for (let i = 1; i <= 3; i++) await alice.next('ack', (a) => a.ref === `s${i}`);
      for (let i = 1; i <= 3; i++) await bob.next('event', (e) => e.kind === 'message.created' && e.seq > 0);
      await alice.next('error', (e) => e.code === 'unknown_frame');

      const after = watched(await scrape());
      expect(after.authFrames).toBe(before.authFrames + 2);
      expect(after.sendFrames).toBe(before.sendFrames + 3);
      expect(after.otherFrames).toBe(before.otherFrames + 1);
      // 2 ready, 3 acks, 1 error, and each message's event to alice and to bob.
      expect(after.framesSent).toBeGreaterThanOrEqual(before.framesSent + 2 + 3 + 1 + 6);
      expect(after.messages).toBe(before.messages + 3);
      expect(after.batches).toBeGreaterThan(before.batches);
      expect(after.batchedWrites).toBeGreaterThanOrEqual(before.batchedWrites + 3);
      expect(after.commits - before.commits).toBe(after.batches - before.batches);
      expect(after.fanouts).toBeGreaterThan(before.fanouts);
    } finally {
      alice.close();
      bob.close();
    }
    await until(async () => watched(await scrape()).sockets === before.sockets, 'sockets closed');
  });

  it('counts sends refused by the rate limit', async () => {
    const before = watched(await scrape());
    const carol = await TestSocket.connect(server.wsUrl, tokens.carol!);
    try {
      for (let i = 1; i <= SEND_LIMIT + 1; i++)
        carol.send({ type: 'send', ref: `r${i}`, room_id: room, content: `r${i}` });
      await carol.next('error', (e) => e.code === 'rate_limited');
    } finally {
      carol.close();
    }
    const after = watched(await scrape());
    expect(after.sendRefusals).toBeGreaterThanOrEqual(before.sendRefusals + 1);
    expect(after.messages).toBeLessThanOrEqual(before.messages + SEND_LIMIT);
  });
});
