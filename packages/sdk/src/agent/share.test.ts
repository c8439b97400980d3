import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/src/testing.js';
import { ParleyClient } from '../node.js';
import { shareToRoom } from './share.js';

describe('shareToRoom', () => {
  let server: TestServer;
  let alice: ParleyClient;

  beforeAll(async () => {
    server = await startTestServer();
    await server.request('GET', '/api/v1/me', { token: server.mintToken({ sub: 'bob', name: 'Bob' }) });
    alice = new ParleyClient({ url: server.url, getToken: () => server.mintToken({ sub: 'alice', name: 'Alice' }) });
    await alice.connect();
  });
  afterAll(async () => {
    alice?.destroy();
    await server?.close();
  });

  it('sends an ai_share message naming the source conversation and message', async () => {
    const room = await alice.createDirectRoom('bob');
    const message = await shareToRoom(alice, room.id, 'The answer is 42.', {
      source_conversation_id: 'conv-1',
      source_message_id: 'msg-9',
    });
    const stored = (await alice.rest.listMessages(room.id)).messages.find((m) => m.id === message.id);
    expect(stored).toMatchObject({
      type: 'ai_share',
      content: 'The answer is 42.',
      sender_id: 'alice',
      metadata: { source_conversation_id: 'conv-1', source_message_id: 'msg-9' },
    });
    expect(stored?.metadata['via']).toBeUndefined();
  });

  it('rejects missing source ids and empty content before sending anything', async () => {
    const room = await alice.createDirectRoom('bob');
    await expect(
      shareToRoom(alice, room.id, '  ', { source_conversation_id: 'c', source_message_id: 'm' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      shareToRoom(alice, room.id, 'x', { source_conversation_id: '', source_message_id: 'm' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
