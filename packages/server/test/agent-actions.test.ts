import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUser } from '../src/db/with-user.js';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';
import { AGENT_WRITES_PER_MINUTE } from '../src/domain/agent-actions.js';
import { TestSocket } from './socket-client.js';

describe.each(availableBackends())('agent actions and agent writes on %s', (backend) => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let carol: string;

  const action = (overrides: Record<string, unknown> = {}) => ({
    tool: 'send_room_message',
    arguments: { room_id: '00000000-0000-4000-8000-000000000000', content: 'lunch at 12?' },
    outcome: 'ok',
    agent: 'test-agent',
    started_at: '2026-11-25T10:00:00.000Z',
    finished_at: '2026-11-25T10:00:00.250Z',
    ...overrides,
  });

  beforeAll(async () => {
    server = await startTestServer({ backend });
    alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    bob = server.mintToken({ sub: 'bob', name: 'Bob' });
    carol = server.mintToken({ sub: 'carol', name: 'Carol' });
    for (const token of [alice, bob, carol]) await server.request('GET', '/api/v1/me', { token });
  });
  afterAll(() => server?.close());

  it('records an action and lists it back to its user only', async () => {
    const created = await server.request('POST', '/api/v1/agent-actions', {
      token: alice,
      body: action({ error_code: null }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      user_id: 'alice',
      tool: 'send_room_message',
      outcome: 'ok',
      agent: 'test-agent',
      room_id: null,
      started_at: '2026-11-25T10:00:00.000Z',
      finished_at: '2026-11-25T10:00:00.250Z',
    });

    const mine = await server.request('GET', '/api/v1/agent-actions', { token: alice });
    expect(mine.status).toBe(200);
    expect(mine.body.actions.map((a: { id: string }) => a.id)).toContain(created.body.id);
    const theirs = await server.request('GET', '/api/v1/agent-actions', { token: bob });
    expect(theirs.body.actions.map((a: { id: string }) => a.id)).not.toContain(created.body.id);
  });

  it('row-level security hides other users’ actions and refuses writing as someone else', async () => {
    await server.request('POST', '/api/v1/agent-actions', { token: carol, body: action() });
    const seenByBob = await withUser(server.db, 'bob', async (trx) => trx('agent_actions').where('user_id', 'carol'));
    expect(seenByBob).toEqual([]);
    const forged = withUser(server.db, 'bob', (trx) =>
      trx('agent_actions').insert({ ...action(), user_id: 'carol', arguments: '{}' }),
    );
    await expect(forged).rejects.toMatchObject({ code: 'forbidden' });
    // Append-only: not even the owner rewrites the trail.
    const rewritten = withUser(server.db, 'carol', (trx) => trx('agent_actions').update({ outcome: 'error' }));
    await expect(rewritten).rejects.toMatchObject({ code: 'forbidden' });
  }, 20_000);

  it('pages newest first with an opaque cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await server.request('POST', '/api/v1/agent-actions', {
        token: bob,
        body: action({ tool: `get_user_rooms`, arguments: { i } }),
      });
      ids.push(res.body.id);
    }
    const first = await server.request('GET', '/api/v1/agent-actions?limit=2', { token: bob });
    expect(first.body.actions.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await server.request('GET', `/api/v1/agent-actions?limit=2&cursor=${first.body.next_cursor}`, {
      token: bob,
    });
    expect(second.body.actions.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
    expect(second.body.next_cursor).toBeNull();
  });

  it.each([
    ['an unknown outcome', { outcome: 'maybe' }, 'outcome'],
    ['a tool name that is not a name', { tool: 'Drop Table' }, 'tool'],
    ['a room id that is not a UUID', { room_id: 'room-1' }, 'room_id'],
    ['a missing timestamp', { started_at: undefined }, 'started_at'],
    ['finished before started', { finished_at: '2026-11-25T09:00:00.000Z' }, 'finished_at'],
    ['an oversized arguments summary', { arguments: { content: 'x'.repeat(5000) } }, 'arguments'],
  ])('answers 400 validation_failed for %s', async (_what, overrides, field) => {
    const res = await server.request('POST', '/api/v1/agent-actions', { token: alice, body: action(overrides) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain(field);
  });

  it('answers a forged cursor with 400, and no token with 401', async () => {
    const forged = await server.request('GET', '/api/v1/agent-actions?cursor=bm9wZQ', { token: alice });
    expect(forged.status).toBe(400);
    expect((await server.request('GET', '/api/v1/agent-actions')).status).toBe(401);
  });

  it(`limits assistant messages to ${AGENT_WRITES_PER_MINUTE} a minute per user, over REST and the socket, without slowing plain sends`, async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', { token: bob, body: { type: 'direct', user_ids: ['carol'] } })
    ).body;
    const agentSend = (n: number) =>
      server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
        token: bob,
        body: { content: `agent ${n}`, metadata: { via: 'agent' } },
      });
    for (let i = 0; i < AGENT_WRITES_PER_MINUTE; i++) expect((await agentSend(i)).status).toBe(201);

    const refused = await agentSend(AGENT_WRITES_PER_MINUTE);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    // A minute's budget spent at once: the next unit is back in about 3 s (60 s / 20).
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const socket = await TestSocket.connect(server.wsUrl, bob);
    socket.send({
      type: 'send',
      ref: 'a1',
      room_id: room.id,
      content: 'agent over socket',
      metadata: { via: 'agent' },
    });
    expect(await socket.next('error')).toMatchObject({
      ref: 'a1',
      code: 'rate_limited',
      retry_after_ms: expect.any(Number),
    });
    socket.ws.close();

    const plain = await server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
      token: bob,
      body: { content: 'typed by Bob' },
    });
    expect(plain.status).toBe(201);
    const other = await server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
      token: carol,
      body: { content: 'carol agent', metadata: { via: 'agent' } },
    });
    expect(other.status).toBe(201);
    // Refused sends stored nothing.
    const history = await server.request('GET', `/api/v1/rooms/${room.id}/messages?limit=100`, { token: bob });
    expect(history.body.messages.filter((m: { content: string }) => m.content.startsWith('agent')).length).toBe(
      AGENT_WRITES_PER_MINUTE,
    );
  });
});
