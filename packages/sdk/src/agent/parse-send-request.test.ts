import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../../../server/src/testing.js';
import type { Room } from '../protocol.js';
import { createRestAgentClient, type AgentClient } from './agent-client.js';
import { listAgentActions } from './audit.js';
import { createAgentToolkit, type AgentToolkit } from './toolkit.js';

describe.each(availableBackends())('parse_send_request against a real server on %s', (backend) => {
  let server: TestServer;
  let alice: AgentClient;
  let toolkit: AgentToolkit;
  let aliceAndBob: Room;
  let design: Room;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    for (const [sub, name] of [
      ['alice', 'Alice'],
      ['bob', 'Bob'],
      ['ann', 'Ann Lee'],
      ['sam1', 'Sam Lee'],
      ['sam2', 'Sam Park'],
    ]) {
      await server.request('GET', '/api/v1/me', { token: server.mintToken({ sub: sub!, name: name! }) });
    }
    alice = createRestAgentClient({ url: server.url, token: server.mintToken({ sub: 'alice', name: 'Alice' }) });
    aliceAndBob = await alice.rest.createRoom({ type: 'direct', user_ids: ['bob'] });
    design = await alice.rest.createRoom({ type: 'group', name: 'Design', user_ids: ['bob'] });
    toolkit = createAgentToolkit({ client: alice, audit: false });
  });
  afterAll(() => server?.close());

  /** Every room Alice is in, and how many messages each holds: parsing must change neither. */
  async function alicesRooms(): Promise<Record<string, number>> {
    const { rooms } = await alice.rest.listRooms({ limit: 100 });
    const counts = await Promise.all(rooms.map(async (r) => (await alice.rest.listMessages(r.id)).messages.length));
    return Object.fromEntries(rooms.map((r, i) => [r.id, counts[i]!]));
  }

  it('is offered whether or not sends need confirmation', () => {
    for (const requireConfirmation of [true, false]) {
      const tools = createAgentToolkit({ client: alice, requireConfirmation }).tools.map((t) => t.name);
      expect(tools).toContain('parse_send_request');
    }
  });

  it('resolves a clear request to one room with the message, and sends, drafts and opens nothing', async () => {
    const before = await alicesRooms();
    expect(await toolkit.call('parse_send_request', { text: 'message the Design team: new mocks are up' })).toEqual({
      kind: 'send',
      recipient: { type: 'room', id: design.id, name: 'Design' },
      content: 'new mocks are up',
      room: { id: design.id, name: 'Design' },
      next_step: 'Call send_room_message with room.id and content.',
    });
    expect(await toolkit.call('parse_send_request', { text: 'tell Bob lunch at 12?' })).toMatchObject({
      kind: 'send',
      recipient: { type: 'user', id: 'bob', name: 'Bob' },
      content: 'lunch at 12?',
      room: { id: aliceAndBob.id, name: 'Bob' },
    });
    // A person never written to: their id for create_direct_room, and no room opened for them.
    const sam = await toolkit.call('parse_send_request', { text: 'tell Sam Lee the build is green' });
    expect(sam).toEqual({
      kind: 'send',
      recipient: { type: 'user', id: 'sam1', name: 'Sam Lee' },
      content: 'the build is green',
      next_step: 'Call create_direct_room with recipient.id, then send_room_message with its room id and content.',
    });
    expect(await alicesRooms()).toEqual(before);
  });

  it('answers an ambiguous name with the choices and an unknown one with none: never a guess', async () => {
    // The choices are resolveRecipient's (tested there); what matters here is that nothing is picked.
    const sam = (await toolkit.call('parse_send_request', { text: 'tell Sam the build is green' })) as {
      choices: { id: string }[];
    };
    expect(sam).toMatchObject({
      error: {
        code: 'recipient_ambiguous',
        message: '"Sam" does not name one person or room: ask the user which of the choices they mean.',
      },
      name: 'Sam',
      content: 'the build is green',
    });
    expect(sam.choices.map((c) => c.id)).toEqual(['sam1', 'sam2']);
    expect(sam).not.toHaveProperty('room');
    expect(await toolkit.call('parse_send_request', { text: 'tell Zed hi' })).toMatchObject({
      error: { code: 'recipient_not_found' },
      name: 'Zed',
      choices: [],
      content: 'hi',
    });
  });

  it('answers a question or a request to the assistant with not_send', async () => {
    expect(await toolkit.call('parse_send_request', { text: 'what did Bob tell me?' })).toEqual({ kind: 'not_send' });
    expect(await toolkit.call('parse_send_request', { text: 'tell me a joke' })).toEqual({ kind: 'not_send' });
  });

  it('answers "tell Ann" alone with the question to ask the user, as send_room_message does', async () => {
    expect(await toolkit.call('parse_send_request', { text: 'tell Ann' })).toEqual({
      error: {
        code: 'content_required',
        message: 'What should I tell Ann Lee? The message is empty: ask the user, then draft it again.',
      },
      question: 'What should I tell Ann Lee?',
      recipient: 'Ann Lee',
      user_id: 'ann',
    });
    expect(await toolkit.call('parse_send_request', { text: 'tell Bob' })).toEqual(
      await toolkit.call('send_room_message', { room_id: aliceAndBob.id, content: '' }),
    );
  });

  it('audits the request by its length only, with the room it resolved to', async () => {
    const audited = createAgentToolkit({ client: alice, agentName: 'parse-test' });
    await audited.call('parse_send_request', { text: 'tell Bob lunch at 12?' });
    await audited.call('parse_send_request', { text: 'tell Sam hi' });
    const trail = (await listAgentActions(alice)).actions.filter((a) => a.agent === 'parse-test').reverse();
    expect(trail.map((a) => [a.tool, a.outcome, a.error_code, a.room_id, a.arguments])).toEqual([
      ['parse_send_request', 'ok', null, aliceAndBob.id, { text_length: 21 }],
      ['parse_send_request', 'error', 'recipient_ambiguous', null, { text_length: 11 }],
    ]);
  });
});
