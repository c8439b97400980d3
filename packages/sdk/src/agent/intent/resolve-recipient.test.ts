import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../../../../server/src/testing.js';
import { createRestAgentClient, type AgentClient } from '../agent-client.js';
import { resolveRecipient } from './resolve-recipient.js';
import { parseSendIntent } from './send-intent.js';

describe.each(availableBackends())('resolveRecipient on %s', (backend) => {
  let server: TestServer;
  let alice: AgentClient;
  let designId: string;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    const people = [
      ['alice', 'Alice'],
      ['bob', 'Bob Stone'],
      ['carol', 'Carol'],
      ['sam1', 'Sam Lee'],
      ['sam2', 'Sam Park'],
      ['ops', 'Ops Bot'],
    ];
    for (const [sub, name] of people)
      await server.request('GET', '/api/v1/me', { token: server.mintToken({ sub: sub!, name: name! }) });
    alice = createRestAgentClient({ url: server.url, token: server.mintToken({ sub: 'alice', name: 'Alice' }) });
    designId = (await alice.rest.createRoom({ type: 'group', name: 'Design', user_ids: ['bob', 'carol'] })).id;
    await alice.rest.createRoom({ type: 'group', name: 'Ops', user_ids: ['bob'] });
  });
  afterAll(() => server?.close());

  it('resolves a person by first name to their direct room, opening it when needed', async () => {
    const result = await resolveRecipient(alice, { name: 'carol', type: 'user' });
    expect(result).toMatchObject({
      kind: 'resolved',
      matched: { type: 'user', id: 'carol' },
      room: { type: 'direct', display_name: 'Carol' },
    });
    const again = await resolveRecipient(alice, { name: 'Bob', type: 'unknown' });
    expect(again).toMatchObject({ kind: 'resolved', matched: { id: 'bob' }, room: { type: 'direct' } });
  });

  it('resolves "the Design team" to the group room named Design', async () => {
    const intent = parseSendIntent('message the Design team: new mocks are up');
    if (intent.kind !== 'send') throw new Error('expected a send');
    expect(await resolveRecipient(alice, intent.recipient)).toMatchObject({
      kind: 'resolved',
      room: { id: designId, type: 'group' },
    });
  });

  it('offers choices instead of guessing between two people with the same first name', async () => {
    const result = await resolveRecipient(alice, { name: 'Sam', type: 'user' });
    expect(result).toEqual({
      kind: 'choices',
      reason: 'ambiguous',
      name: 'Sam',
      choices: [
        { type: 'user', id: 'sam1', name: 'Sam Lee' },
        { type: 'user', id: 'sam2', name: 'Sam Park' },
      ],
    });
  });

  it('offers choices when a name fits a person and a room equally, and when it only fits loosely', async () => {
    const ops = await resolveRecipient(alice, { name: 'Ops', type: 'unknown' });
    expect(ops).toMatchObject({ kind: 'choices', reason: 'ambiguous' });
    expect(ops.kind === 'choices' && ops.choices.map((c) => c.type).sort()).toEqual(['room', 'user']);
    // Told it is a room, the room wins.
    expect(await resolveRecipient(alice, { name: 'Ops', type: 'room' })).toMatchObject({
      kind: 'resolved',
      room: { type: 'group' },
    });
    // "Car" is only the start of Carol's name: a suggestion, not a send.
    expect(await resolveRecipient(alice, { name: 'Car', type: 'user' })).toEqual({
      kind: 'choices',
      reason: 'ambiguous',
      name: 'Car',
      choices: [{ type: 'user', id: 'carol', name: 'Carol' }],
    });
  });

  it('answers not_found for unknown names and never resolves to the user themself', async () => {
    expect(await resolveRecipient(alice, { name: 'Zed', type: 'unknown' })).toEqual({
      kind: 'choices',
      reason: 'not_found',
      name: 'Zed',
      choices: [],
    });
    expect(await resolveRecipient(alice, { name: 'Alice', type: 'user' })).toMatchObject({
      kind: 'choices',
      reason: 'not_found',
    });
  });
});
