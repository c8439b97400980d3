import { ParleyClient, type Message, type Room } from '@parley/sdk';

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

/**
 * A user unique to this test, so tests sharing one server never see each other's rooms.
 * `name` may be anything (the XSS corpus uses hostile names); `picture` becomes the avatar claim.
 */
export async function testUser(name: string, options: { picture?: string } = {}): Promise<TestUser> {
  const id = `u-${crypto.randomUUID().slice(0, 13)}`;
  const query = new URLSearchParams({ sub: id, name });
  if (options.picture !== undefined) query.set('picture', options.picture);
  const response = await fetch(`/__parley/token?${query}`);
  if (!response.ok) throw new Error(`token route answered ${response.status}`);
  const { token, server } = (await response.json()) as { token: string; server: string };
  return { id, name, token, server };
}

/** A name no other test uses, for directory searches ("Zed-1a2b3c"). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 6)}`;
}

export async function api<T>(user: TestUser, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${user.server}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${user.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export function createGroupRoom(owner: TestUser, name: string, members: TestUser[]): Promise<Room> {
  return api<Room>(owner, 'POST', '/rooms', { type: 'group', name, user_ids: members.map((m) => m.id) });
}

export function createDirectRoom(owner: TestUser, other: TestUser): Promise<Room> {
  return api<Room>(owner, 'POST', '/rooms', { type: 'direct', user_ids: [other.id] });
}

export function postMessage(
  user: TestUser,
  roomId: string,
  content: string,
  extra: { type?: 'text' | 'ai_share'; metadata?: Record<string, unknown> } = {},
): Promise<Message> {
  return api<Message>(user, 'POST', `/rooms/${roomId}/messages`, { content, ...extra });
}

export async function listMessages(user: TestUser, roomId: string): Promise<Message[]> {
  return (await api<{ messages: Message[] }>(user, 'GET', `/rooms/${roomId}/messages`)).messages;
}

export function getRoom(user: TestUser, roomId: string): Promise<Room> {
  return api<Room>(user, 'GET', `/rooms/${roomId}`);
}

export function markRead(user: TestUser, roomId: string): Promise<{ unread_count: number }> {
  return api(user, 'POST', `/rooms/${roomId}/read`, {});
}

export function react(user: TestUser, roomId: string, messageId: string, emoji: string): Promise<unknown> {
  return api(user, 'POST', `/rooms/${roomId}/messages/${messageId}/reactions`, { emoji });
}

const clients = new Set<ParleyClient>();

/** A connected SDK client for another user (their presence, typing, live sends); destroyed by `closeClients()`. */
export async function connectedClient(user: TestUser): Promise<ParleyClient> {
  const client = new ParleyClient({ url: user.server, getToken: () => user.token });
  clients.add(client);
  await client.connect();
  return client;
}

export function closeClients(): void {
  for (const client of clients) client.destroy();
  clients.clear();
}
