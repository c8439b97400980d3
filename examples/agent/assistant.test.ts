import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../packages/server/src/testing.js';
// @ts-expect-error -- a plain .mjs example without type declarations
import { runAssistant } from './assistant.mjs';

describe('examples/agent: a scripted tool loop against a real server', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    bob = server.mintToken({ sub: 'bob', name: 'Bob' });
    await server.request('GET', '/api/v1/me', { token: bob });
    await server.request('GET', '/api/v1/me', { token: server.mintToken({ sub: 'ann', name: 'Ann Lee' }) });
  });
  afterAll(() => server?.close());

  it('finds Bob, opens the direct room, drafts, and sends only after approval', async () => {
    const lines: string[] = [];
    const questions: string[] = [];
    const answer = await runAssistant({
      url: server.url,
      token: alice,
      utterance: 'Send a message to Bob: lunch at 12?',
      approve: async (q: string) => (questions.push(q), true),
      log: (line: string) => lines.push(line),
    });
    expect(answer).toBe('Sent to Bob.');
    expect(questions).toEqual(['Send "lunch at 12?" to Bob?']);
    const rooms = (await server.request('GET', '/api/v1/rooms', { token: bob })).body.rooms;
    const messages = (await server.request('GET', `/api/v1/rooms/${rooms[0].id}/messages`, { token: bob })).body
      .messages;
    expect(messages[0]).toMatchObject({ sender_id: 'alice', content: 'lunch at 12?', metadata: { via: 'agent' } });
  });

  it('sends nothing when the user declines', async () => {
    const answer = await runAssistant({
      url: server.url,
      token: alice,
      utterance: 'tell Bob that I am running late',
      approve: async () => false,
      log: () => undefined,
    });
    expect(answer).toBe('OK, I did not send it.');
    const rooms = (await server.request('GET', '/api/v1/rooms', { token: bob })).body.rooms;
    const messages = (await server.request('GET', `/api/v1/rooms/${rooms[0].id}/messages`, { token: bob })).body
      .messages;
    expect(messages.map((m: { content: string }) => m.content)).not.toContain('I am running late');
  });

  /** Alice's request through the assistant, every draft approved: its answer and what it asked. */
  async function request(utterance: string): Promise<{ answer: string; questions: string[] }> {
    const questions: string[] = [];
    const approve = async (q: string) => (questions.push(q), true);
    const answer = await runAssistant({ url: server.url, token: alice, utterance, approve, log: () => undefined });
    return { answer, questions };
  }

  it('reads the name against the directory: "tell Ann Lee thanks …" goes to Ann Lee, not to "Ann"', async () => {
    expect(await request('tell Ann Lee thanks for the review')).toEqual({
      answer: 'Sent to Ann Lee.',
      questions: ['Send "thanks for the review" to Ann Lee?'],
    });
  });

  it('asks what to say when the request names only the recipient, and sends nothing', async () => {
    expect(await request('tell Bob')).toEqual({ answer: 'What should I tell Bob?', questions: [] });
  });
});
