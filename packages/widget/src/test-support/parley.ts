import type { Message, Room } from '@parley/sdk';

/**
 * Talks to the run's real Parley server: tokens come from the wtr dev-server route
 * `/__parley/token` (minted in Node, see web-test-runner.config.mjs); rooms and messages
 * are made through the REST API, as another user's app would.
 */
export interface TestUser {
  id: string;
  name: string;
  token: string;
  server: string;
}

/** A user unique to this test, so tests sharing one server never see each other's rooms. */
export async function testUser(name: string): Promise<TestUser> {
  const id = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`;
  const response = await fetch(`/__parley/token?sub=${encodeURIComponent(id)}&name=${encodeURIComponent(name)}`);
  if (!response.ok) throw new Error(`token route answered ${response.status}`);
  const { token, server } = (await response.json()) as { token: string; server: string };
  return { id, name, token, server };
}

export async function api<T>(user: TestUser, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${user.server}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${user.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export function createGroupRoom(owner: TestUser, name: string, members: TestUser[]): Promise<Room> {
  return api<Room>(owner, 'POST', '/rooms', { type: 'group', name, user_ids: members.map((m) => m.id) });
}

export function postMessage(user: TestUser, roomId: string, content: string): Promise<Message> {
  return api<Message>(user, 'POST', `/rooms/${roomId}/messages`, { content });
}

export async function listMessages(user: TestUser, roomId: string): Promise<Message[]> {
  return (await api<{ messages: Message[] }>(user, 'GET', `/rooms/${roomId}/messages`)).messages;
}
