import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../../../server/src/testing.js';
import { ParleyClient } from '../node.js';
import type { AgentAction, Room } from '../protocol.js';
import { createRestAgentClient } from './agent-client.js';
import { listAgentActions } from './audit.js';
import { validateJson } from './json-schema.js';
import { createAgentToolkit } from './toolkit.js';
import { AGENT_TOOLS } from './tools.js';

describe('agent tool schemas', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: false });

  it.each(AGENT_TOOLS.map((t) => [t.name, t]))(
    '%s has a valid JSON Schema (draft 2020-12), a one-line description and a snake_case name',
    (_name, tool) => {
      expect(ajv.validateSchema(tool.inputSchema)).toBe(true);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.description).not.toContain('\n');
      expect(tool.description.length).toBeLessThan(240);
      expect(tool.name).toMatch(/^[a-z][a-z_]*$/);
    },
  );

  const ROOM = '8a6e0f4c-2b1d-4c3e-9f5a-0b1c2d3e4f5a';
  const samples: Record<string, unknown[]> = {
    get_user_rooms: [
      {},
      { limit: 5 },
      { query: 'ops', limit: 50 },
      { limit: 0 },
      { limit: 51 },
      { limit: 2.5 },
      { limit: '5' },
      { extra: 1 },
      null,
      [],
    ],
    find_user: [{ query: 'al' }, { query: '' }, {}, { query: 'x'.repeat(101) }, { query: 'bob', limit: 21 }],
    get_room_messages: [{ room_id: ROOM }, { room_id: 'room-1' }, { room_id: ROOM, limit: 50 }, { limit: 5 }],
    create_direct_room: [{ user_id: 'bob' }, { user_id: '' }, { user_id: 42 }],
    parse_send_request: [
      { text: 'tell Bob hi' },
      { text: '' },
      {},
      { text: 'x'.repeat(4101) },
      { text: 'hi', to: 'Bob' },
    ],
    send_room_message: [
      { room_id: ROOM, content: 'hi' },
      { room_id: ROOM, content: '' },
      { room_id: ROOM },
      { room_id: ROOM, content: 'x'.repeat(4001) },
    ],
    confirm_send: [{ draft_id: 'abc' }, { draft_id: '' }, { draft_id: 'abc', force: true }],
  };

  it.each(AGENT_TOOLS.map((t) => [t.name, t]))(
    '%s: the built-in validator agrees with ajv on valid and invalid inputs',
    (name, tool) => {
      const check = ajv.compile(tool.inputSchema);
      const cases = samples[name]!;
      expect(cases.length).toBeGreaterThan(2);
      for (const input of cases) {
        expect({ input, valid: validateJson(tool.inputSchema, input) === null }).toEqual({
          input,
          valid: check(input),
        });
      }
    },
  );
});

describe.each(availableBackends())('agent tools against a real server on %s', (backend) => {
  let server: TestServer;
  let alice: ParleyClient;
  let bobAndCarol: Room;
  let aliceAndBob: Room;
  let design: Room;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    const token = (sub: string, name: string) => server.mintToken({ sub, name });
    for (const [sub, name] of [
      ['alice', 'Alice'],
      ['bob', 'Bob'],
      ['carol', 'Carol'],
      ['sam1', 'Sam Lee'],
      ['sam2', 'Sam Park'],
    ]) {
      await server.request('GET', '/api/v1/me', { token: token(sub!, name!) });
    }
    alice = new ParleyClient({ url: server.url, getToken: () => token('alice', 'Alice') });
    const bob = token('bob', 'Bob');
    bobAndCarol = (
      await server.request('POST', '/api/v1/rooms', {
        token: bob,
        body: { type: 'group', name: 'Secret', user_ids: ['carol'] },
      })
    ).body;
    await server.request('POST', `/api/v1/rooms/${bobAndCarol.id}/messages`, {
      token: bob,
      body: { content: 'just between us' },
    });
    aliceAndBob = (
      await server.request('POST', '/api/v1/rooms', { token: bob, body: { type: 'direct', user_ids: ['alice'] } })
    ).body;
    await server.request('POST', `/api/v1/rooms/${aliceAndBob.id}/messages`, {
      token: bob,
      body: { content: 'lunch tomorrow?' },
    });
    design = await alice.rest.createRoom({ type: 'group', name: 'Design', user_ids: ['bob', 'carol'] });
  });
  afterAll(async () => {
    alice?.destroy();
    await server?.close();
  });

  it("get_user_rooms lists the user's rooms, small and named, and never another user's", async () => {
    const toolkit = createAgentToolkit({ client: alice });
    const result = (await toolkit.call('get_user_rooms', {})) as {
      rooms: { id: string; name: string; last_message: unknown }[];
    };
    const ids = result.rooms.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([aliceAndBob.id, design.id]));
    expect(ids).not.toContain(bobAndCarol.id);
    expect(result.rooms.find((r) => r.id === aliceAndBob.id)).toMatchObject({
      name: 'Bob',
      last_message: { from: 'Bob', text: 'lunch tomorrow?' },
    });
    const filtered = (await toolkit.call('get_user_rooms', { query: 'desi' })) as { rooms: { id: string }[] };
    expect(filtered.rooms.map((r) => r.id)).toEqual([design.id]);
  });

  it("an agent for Alice cannot read or post into Bob and Carol's room: the server's 404 is a tool error", async () => {
    for (const requireConfirmation of [true, false]) {
      const toolkit = createAgentToolkit({ client: alice, requireConfirmation });
      expect(await toolkit.call('get_room_messages', { room_id: bobAndCarol.id })).toEqual({
        error: { code: 'room_not_found', message: 'Room not found' },
      });
      expect(await toolkit.call('send_room_message', { room_id: bobAndCarol.id, content: 'let me in' })).toEqual({
        error: { code: 'room_not_found', message: 'Room not found' },
      });
    }
    const history = await server.request('GET', `/api/v1/rooms/${bobAndCarol.id}/messages`, {
      token: server.mintToken({ sub: 'bob', name: 'Bob' }),
    });
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['just between us']);
  });

  it('drafts by default, sends only on confirm_send, marks the message via=agent, and each draft sends once', async () => {
    const toolkit = createAgentToolkit({ client: alice, agentName: 'test-assistant' });
    const draft = (await toolkit.call('send_room_message', {
      room_id: aliceAndBob.id,
      content: 'Yes, noon works',
    })) as Record<string, any>;
    expect(draft).toMatchObject({
      status: 'draft',
      draft_id: expect.any(String),
      room: { id: aliceAndBob.id, display_name: 'Bob' },
      recipient: 'Bob',
      content: 'Yes, noon works',
    });
    expect(Date.parse(draft['expires_at'])).toBeGreaterThan(Date.now());
    const before = await alice.rest.listMessages(aliceAndBob.id);
    expect(before.messages.map((m) => m.content)).not.toContain('Yes, noon works');

    const sent = (await toolkit.call('confirm_send', { draft_id: draft['draft_id'] })) as Record<string, any>;
    expect(sent).toMatchObject({ status: 'sent', room: { id: aliceAndBob.id }, recipient: 'Bob' });
    const stored = (await alice.rest.listMessages(aliceAndBob.id)).messages.find((m) => m.id === sent['message'].id);
    expect(stored).toMatchObject({
      content: 'Yes, noon works',
      sender_id: 'alice',
      type: 'text',
      metadata: { via: 'agent' },
    });

    expect(await toolkit.call('confirm_send', { draft_id: draft['draft_id'] })).toMatchObject({
      error: { code: 'draft_not_found' },
    });
  });

  it('answers an empty message ("tell Bob") with the question to ask the user, and sends nothing', async () => {
    const count = async () =>
      (await alice.rest.listMessages(aliceAndBob.id)).messages.length +
      (await alice.rest.listMessages(design.id)).messages.length;
    const before = await count();
    for (const requireConfirmation of [true, false]) {
      const toolkit = createAgentToolkit({ client: alice, requireConfirmation, audit: false });
      expect(await toolkit.call('send_room_message', { room_id: aliceAndBob.id, content: '  ' })).toEqual({
        error: {
          code: 'content_required',
          message: 'What should I tell Bob? The message is empty: ask the user, then draft it again.',
        },
        question: 'What should I tell Bob?',
        room: { id: aliceAndBob.id, display_name: 'Bob' },
        recipient: 'Bob',
      });
      expect(await toolkit.call('send_room_message', { room_id: design.id, content: '' })).toMatchObject({
        error: { code: 'content_required' },
        question: 'What should I post in Design?',
      });
    }
    expect(await count()).toBe(before);
  });

  it('a draft expires: confirm_send after the TTL answers draft_expired and sends nothing', async () => {
    let now = Date.now();
    const toolkit = createAgentToolkit({ client: alice, draftTtlMs: 60_000, now: () => now, audit: false });
    const draft = (await toolkit.call('send_room_message', { room_id: design.id, content: 'too late' })) as {
      draft_id: string;
    };
    now += 60_001;
    expect(await toolkit.call('confirm_send', { draft_id: draft.draft_id })).toMatchObject({
      error: { code: 'draft_expired' },
    });
    const messages = (await alice.rest.listMessages(design.id)).messages.map((m) => m.content);
    expect(messages).not.toContain('too late');
  });

  it('with requireConfirmation: false sends at once and offers no confirm_send tool', async () => {
    const toolkit = createAgentToolkit({ client: alice, requireConfirmation: false });
    expect(toolkit.tools.map((t) => t.name)).not.toContain('confirm_send');
    const sent = (await toolkit.call('send_room_message', { room_id: design.id, content: 'Trusted flow' })) as Record<
      string,
      any
    >;
    expect(sent).toMatchObject({ status: 'sent', recipient: 'Design' });
    const stored = (await alice.rest.listMessages(design.id)).messages[0];
    expect(stored).toMatchObject({ id: sent['message'].id, content: 'Trusted flow', metadata: { via: 'agent' } });
  });

  it('find_user and create_direct_room open a conversation with someone new', async () => {
    const toolkit = createAgentToolkit({
      client: createRestAgentClient({ url: server.url, token: server.mintToken({ sub: 'alice', name: 'Alice' }) }),
    });
    const found = (await toolkit.call('find_user', { query: 'car' })) as { users: { id: string; name: string }[] };
    expect(found.users).toEqual([{ id: 'carol', name: 'Carol' }]);
    expect(((await toolkit.call('find_user', { query: 'ali' })) as { users: unknown[] }).users).toEqual([]); // never the user themself
    const opened = (await toolkit.call('create_direct_room', { user_id: 'carol' })) as {
      room: { id: string; display_name: string };
    };
    expect(opened.room).toMatchObject({ display_name: 'Carol', type: 'direct' });
    expect(await toolkit.call('create_direct_room', { user_id: 'nobody' })).toMatchObject({
      error: { code: 'user_not_found' },
    });
  });

  it('answers bad arguments and unknown tools with structured errors, never throws', async () => {
    const toolkit = createAgentToolkit({ client: alice });
    expect(await toolkit.call('send_room_message', { room_id: design.id })).toEqual({
      error: { code: 'invalid_arguments', message: 'content: is required' },
    });
    expect(await toolkit.call('get_user_rooms', { limit: 500 })).toEqual({
      error: { code: 'invalid_arguments', message: 'limit: must be at most 50' },
    });
    expect(await toolkit.call('delete_everything', {})).toMatchObject({ error: { code: 'unknown_tool' } });
    const offline = createAgentToolkit({
      client: createRestAgentClient({ url: 'http://127.0.0.1:9', token: 'x' }),
      audit: false,
    });
    expect(await offline.call('get_user_rooms', {})).toMatchObject({ error: { code: 'network', retryable: true } });
  });

  it('records every action in the user’s audit trail, which only they can list', async () => {
    const client = createRestAgentClient({ url: server.url, token: server.mintToken({ sub: 'carol', name: 'Carol' }) });
    const toolkit = createAgentToolkit({ client, agentName: 'audit-test' });
    await toolkit.call('get_user_rooms', { limit: 3 });
    const draft = (await toolkit.call('send_room_message', {
      room_id: design.id,
      content: 'A rather long message that the audit keeps only as a preview',
    })) as { draft_id: string };
    const sent = (await toolkit.call('confirm_send', { draft_id: draft.draft_id })) as { message: { id: string } };
    await toolkit.call('get_room_messages', { room_id: aliceAndBob.id });

    const { actions } = await listAgentActions(client);
    const trail = actions.filter((a: AgentAction) => a.agent === 'audit-test').reverse();
    expect(trail.map((a) => [a.tool, a.outcome, a.error_code])).toEqual([
      ['get_user_rooms', 'ok', null],
      ['send_room_message', 'drafted', null],
      ['confirm_send', 'ok', null],
      ['get_room_messages', 'error', 'room_not_found'],
    ]);
    expect(trail[1]).toMatchObject({ room_id: design.id, arguments: { content_length: 60 } });
    expect(String(trail[1]!.arguments['content']).length).toBeLessThan(60);
    expect(trail[2]).toMatchObject({ room_id: design.id, message_id: sent.message.id });
    expect(Date.parse(trail[2]!.finished_at)).toBeGreaterThanOrEqual(Date.parse(trail[2]!.started_at));

    const alicesView = await listAgentActions(alice);
    expect(alicesView.actions.some((a) => a.agent === 'audit-test')).toBe(false);
  });
});
