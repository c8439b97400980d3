import { describe, expect, it } from 'vitest';
import { suiteServer } from '../../src/test-support/suite-server.js';
import { availableBackends } from '../../src/testing.js';
import { encryptedWith, newMasterKey, signIn } from './helpers.js';

// With encryption at rest on, no message text may sit in the database in plaintext — the
// assistants' audit trail included, whose argument summaries would otherwise keep a preview.
describe.each(availableBackends())('agent audit with encryption at rest (%s)', (backend) => {
  const suite = suiteServer({ backend, ...encryptedWith(newMasterKey()) }, signIn, 'alice');

  it('keeps the length of a content argument but not its text', async () => {
    const secret = 'the launch code is 0000, keep it quiet';
    const now = new Date().toISOString();
    const res = await suite.server.request('POST', '/api/v1/agent-actions', {
      token: suite.tokens['alice'],
      body: {
        tool: 'send_room_message',
        arguments: { recipient: 'Bob', content: secret.slice(0, 39), content_length: secret.length },
        outcome: 'drafted',
        started_at: now,
        finished_at: now,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.arguments).toMatchObject({ recipient: 'Bob', content_length: secret.length });
    expect(JSON.stringify(res.body.arguments)).not.toContain('launch code');

    const stored = await suite.server.db('agent_actions').select('arguments');
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain('launch code');
  });
});
