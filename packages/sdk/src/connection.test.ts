import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Connection, type ConnectionState } from './connection.js';
import { FakeSocket } from './fake-socket.test-helpers.js';
import type { ServerFrame } from './protocol.js';
import { TokenProvider } from './token.js';
// The Node suites' one wait helper (the SDK's integration tests use the server's test harness too).
import { until } from '../../server/src/test-support/until.js';

/** `until` with this file's short timeout and poll: everything here is in memory. */
const waitUntil = (predicate: () => boolean, what: string, timeoutMs = 2_000) => until(predicate, what, timeoutMs, 2);

const READY: ServerFrame = {
  type: 'ready',
  user: { id: 'alice', name: 'Alice', avatar_url: null },
  resume: {},
  heartbeat_seconds: 25,
};

/** Browser globals the connection listens to (`online`/`offline`, `visibilitychange`), faked in Node. */
const windowEvents = new EventTarget();
const fakeDocument = Object.assign(new EventTarget(), { visibilityState: 'visible' });
const globals = globalThis as unknown as Record<string, unknown>;

function connect(options: Partial<ConstructorParameters<typeof Connection>[0]> = {}) {
  let tokenCalls = 0;
  const connection = new Connection({
    url: 'ws://parley.test/api/v1/ws',
    tokens: new TokenProvider(() => `token-${++tokenCalls}`),
    WebSocket: FakeSocket,
    backoff: { baseMs: 1, maxMs: 5 },
    ...options,
  });
  const states: ConnectionState[] = [];
  connection.on('state', ({ state }) => states.push(state));
  return { connection, states, tokenCalls: () => tokenCalls };
}

describe('Connection', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    FakeSocket.onAuth = (socket) => socket.reply(READY);
    fakeDocument.visibilityState = 'visible';
    globals['addEventListener'] = windowEvents.addEventListener.bind(windowEvents);
    globals['removeEventListener'] = windowEvents.removeEventListener.bind(windowEvents);
    globals['document'] = fakeDocument;
  });

  afterEach(() => {
    delete globals['addEventListener'];
    delete globals['removeEventListener'];
    delete globals['document'];
  });

  it('goes connecting → open, and after a drop reconnecting → open, sending the resume map each time', async () => {
    let resume: Record<string, number> = { r1: 3 };
    const { connection, states } = connect({ resumeState: () => resume });
    await connection.open();
    expect(states).toEqual(['connecting', 'open']);
    expect(FakeSocket.latest().sent[0]).toMatchObject({ type: 'auth', token: 'token-1', resume: { r1: 3 } });

    resume = { r1: 9, r2: 1 };
    FakeSocket.latest().drop();
    await waitUntil(() => connection.state === 'open' && FakeSocket.all.length === 2, 'the reconnect');
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(FakeSocket.latest().sent[0]).toMatchObject({ type: 'auth', resume: { r1: 9, r2: 1 } });
    connection.destroy();
    expect(states.at(-1)).toBe('closed');
  });

  it('opens the socket while the token is still on its way, and sends auth once both are there', async () => {
    let giveToken: (token: string) => void = () => undefined;
    const { connection } = connect({
      tokens: new TokenProvider(() => new Promise<string>((resolve) => (giveToken = resolve))),
    });
    const opened = connection.open();
    expect(FakeSocket.all).toHaveLength(1);
    await waitUntil(() => FakeSocket.latest().readyState === 1, 'the socket open');
    expect(FakeSocket.latest().sent).toEqual([]);
    giveToken('late-token');
    await opened;
    expect(FakeSocket.latest().sent[0]).toMatchObject({ type: 'auth', token: 'late-token' });
    connection.destroy();
  });

  it('closes the waiting socket and tries again when getToken fails', async () => {
    let calls = 0;
    const { connection } = connect({
      tokens: new TokenProvider(() => {
        if (++calls === 1) throw new Error('host down');
        return 'second-token';
      }),
    });
    const errors: string[] = [];
    connection.on('error', ({ error }) => errors.push(`${error.code}: ${error.message}`));
    await connection.open();
    expect(errors).toEqual(['unauthorized: getToken failed: host down']);
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.all[0]!.sent).toEqual([]);
    expect(FakeSocket.all[0]!.readyState).toBe(3);
    expect(FakeSocket.latest().sent[0]).toMatchObject({ type: 'auth', token: 'second-token' });
    connection.destroy();
  });

  it('keeps retrying with backoff while the server refuses connections, then recovers', async () => {
    let refusals = 3;
    FakeSocket.onAuth = (socket) => {
      if (refusals-- > 0) socket.drop();
      else socket.reply(READY);
    };
    const { connection, states } = connect();
    await connection.open();
    expect(FakeSocket.all).toHaveLength(4);
    expect(states.filter((s) => s === 'reconnecting').length).toBeGreaterThanOrEqual(1);
    expect(states.at(-1)).toBe('open');
    connection.destroy();
  });

  it("goes offline on the browser's offline event and reconnects at once on online, whatever the backoff", async () => {
    const { connection, states } = connect({ backoff: { baseMs: 60_000, maxMs: 60_000 } });
    await connection.open();
    windowEvents.dispatchEvent(new Event('offline'));
    expect(connection.state).toBe('offline');
    expect(FakeSocket.latest().readyState).toBe(3);

    const started = Date.now();
    windowEvents.dispatchEvent(new Event('online'));
    await waitUntil(() => connection.state === 'open', 'open after online');
    // A minute of backoff was configured: only the online event explains a reconnect this fast.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(states).toEqual(['connecting', 'open', 'offline', 'connecting', 'open']);
    connection.destroy();
  });

  it('with pauseWhenHidden, closes the socket while the page is hidden and reconnects when it is visible', async () => {
    const { connection } = connect({ pauseWhenHidden: true });
    await connection.open();
    const first = FakeSocket.latest();
    fakeDocument.visibilityState = 'hidden';
    fakeDocument.dispatchEvent(new Event('visibilitychange'));
    expect(first.readyState).toBe(3);
    expect(connection.state).toBe('offline');

    fakeDocument.visibilityState = 'visible';
    fakeDocument.dispatchEvent(new Event('visibilitychange'));
    await waitUntil(() => connection.state === 'open', 'open when visible');
    expect(FakeSocket.all).toHaveLength(2);
    connection.destroy();
  });

  it('stays connected while hidden when pauseWhenHidden is off', async () => {
    const { connection } = connect();
    await connection.open();
    fakeDocument.visibilityState = 'hidden';
    fakeDocument.dispatchEvent(new Event('visibilitychange'));
    expect(connection.state).toBe('open');
    expect(FakeSocket.latest().readyState).toBe(1);
    connection.destroy();
  });

  it('re-authenticates on the same socket when the server says the token expired', async () => {
    const { connection, tokenCalls } = connect();
    await connection.open();
    const socket = FakeSocket.latest();
    socket.reply({ type: 'error', code: 'token_expired', message: 'token expired' });
    await waitUntil(() => socket.sent.filter((f) => f.type === 'auth').length === 2, 'the second auth');
    expect(socket.sent.filter((f) => f.type === 'auth').map((f) => (f as { token: string }).token)).toEqual([
      'token-1',
      'token-2',
    ]);
    expect(tokenCalls()).toBe(2);
    expect(FakeSocket.all).toHaveLength(1);
    expect(connection.state).toBe('open');
    connection.destroy();
  });

  it('ignores frames from a socket it has replaced', async () => {
    const { connection } = connect();
    await connection.open();
    const old = FakeSocket.latest();
    const frames: ServerFrame[] = [];
    connection.on('frame', (f) => frames.push(f));
    connection.reconnectNow();
    await waitUntil(() => connection.state === 'open' && FakeSocket.all.length === 2, 'the new socket');
    frames.length = 0;
    old.readyState = 1; // a late frame from the old socket
    old.reply({ type: 'pong' });
    FakeSocket.latest().reply({ type: 'pong', ref: 'new' });
    expect(frames).toEqual([{ type: 'pong', ref: 'new' }]);
    connection.destroy();
  });

  it('reports the close that caused a change, and reconnects after one that is not final', async () => {
    const changes: { state: ConnectionState; code?: number; reason?: string }[] = [];
    const { connection } = connect();
    connection.on('state', ({ state, code, reason }) => changes.push({ state, code, reason }));
    await connection.open();
    FakeSocket.latest().serverClose(1012, 'reconnect and resume');
    await waitUntil(() => connection.state === 'open' && FakeSocket.all.length === 2, 'the reconnect');
    expect(changes.find((c) => c.state === 'reconnecting')).toEqual({
      state: 'reconnecting',
      code: 1012,
      reason: 'reconnect and resume',
    });
    connection.destroy();
  });

  it.each([
    [4409, 'conflict'],
    [4403, 'forbidden'],
  ])('stops reconnecting after a final close %i and tells why', async (code, errorCode) => {
    const { connection } = connect();
    const errors: string[] = [];
    connection.on('error', ({ error }) => errors.push(error.code));
    const closed = new Promise<{ code?: number; reason?: string }>((resolve) =>
      connection.on('state', (change) => change.state === 'closed' && resolve(change)),
    );
    await connection.open();
    FakeSocket.latest().serverClose(code, 'refused for a reason');
    expect(await closed).toMatchObject({ code, reason: 'refused for a reason' });
    expect(errors).toEqual([errorCode]);
    // Deciding is synchronous: with the state closed, no reconnect is pending.
    expect(connection.state).toBe('closed');
    expect(FakeSocket.all).toHaveLength(1);
    connection.destroy();
  });

  it('retries a 4401 once with a fresh token, and stops when that is refused too', async () => {
    FakeSocket.onAuth = (socket) => socket.serverClose(4401, 'bad token');
    const { connection, tokenCalls } = connect();
    await expect(connection.open()).rejects.toMatchObject({ code: 'unauthorized', message: 'bad token' });
    expect(connection.state).toBe('closed');
    expect(FakeSocket.all).toHaveLength(2);
    expect(tokenCalls()).toBe(2);

    // A 4401 followed by a good token is an ordinary reconnect.
    let refuse = true;
    FakeSocket.onAuth = (socket) => (refuse ? socket.serverClose(4401, 'expired') : socket.reply(READY));
    const retry = connection.open();
    await waitUntil(() => FakeSocket.all.length === 3, 'the third socket');
    refuse = false;
    await retry;
    expect(connection.state).toBe('open');
    connection.destroy();
  });
});
