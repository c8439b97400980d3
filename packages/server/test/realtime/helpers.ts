import { afterAll } from 'vitest';
import { suiteServer, type SuiteServer } from '../../src/test-support/suite-server.js';
import type { TestServer, TestServerOverrides } from '../../src/testing.js';
import { TestSockets } from '../socket-client.js';

export { until } from '../../src/test-support/until.js';

/** Signs in the users (so rooms may name them) and returns a token per user id. */
export async function signIn(server: TestServer, ...ids: string[]): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const id of ids) {
    tokens[id] = server.mintToken({ sub: id, name: id[0]!.toUpperCase() + id.slice(1) });
    await server.request('GET', '/api/v1/me', { token: tokens[id] });
  }
  return tokens;
}

export async function createGroup(
  server: TestServer,
  token: string,
  userIds: string[],
  name = 'Group',
): Promise<string> {
  const res = await server.request('POST', '/api/v1/rooms', {
    token,
    body: { type: 'group', name, user_ids: userIds },
  });
  if (res.status !== 201) throw new Error(`room not created: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function restSend(
  server: TestServer,
  token: string,
  roomId: string,
  content: string,
): Promise<{ seq: number; id: string }> {
  const res = await server.request('POST', `/api/v1/rooms/${roomId}/messages`, { token, body: { content } });
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * The describe block's server (see `suiteServer`) with `users` signed in, and the sockets the block
 * opens with `connect(token)` or hands to `sockets.add`, closed in afterAll before the server.
 */
export function realtimeSuite(
  overrides: TestServerOverrides,
  ...users: string[]
): SuiteServer & { sockets: TestSockets; connect: (token: string) => ReturnType<TestSockets['connect']> } {
  const suite = suiteServer(overrides, signIn, ...users);
  const sockets = new TestSockets(() => suite.server.wsUrl);
  afterAll(() => sockets.closeAll());
  return Object.assign(suite, { sockets, connect: (token: string) => sockets.connect(token) });
}
