/**
 * Users, tokens and rooms for a scenario. Parley's are real (users upserted by `GET /me`, rooms made
 * by `POST /rooms`); the baselines have no database, so their rooms are just ids the clients join.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Protocol } from './chat-client.js';

export interface RoomFixture {
  id: string;
  members: string[];
}

export function mintToken(secret: string, sub: string): string {
  return jwt.sign({ sub, name: sub }, secret, { algorithm: 'HS256', expiresIn: '2h' });
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function parleyRequest<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Makes the users known to Parley (a room can only name users who have signed in). */
export async function signInUsers(url: string, secret: string, userIds: string[]): Promise<void> {
  await mapLimit(userIds, 16, (id) => parleyRequest(url, mintToken(secret, id), 'GET', '/me'));
}

/**
 * `rooms` rooms of `members` users each (user ids `<prefix>-r<room>-m<member>`): group rooms, or
 * Parley direct rooms (`type: 'direct'`, exactly 2 members: one per pair, as a 1:1 chat opens them).
 */
export async function makeRooms(
  protocol: Protocol,
  url: string,
  secret: string,
  prefix: string,
  rooms: number,
  members: number,
  type: 'group' | 'direct' = 'group',
): Promise<RoomFixture[]> {
  if (type === 'direct' && members !== 2) throw new Error(`a direct room has 2 members, not ${members}`);
  const layout = Array.from({ length: rooms }, (_, r) =>
    Array.from({ length: members }, (_, m) => `${prefix}-r${r}-m${m}`),
  );
  if (protocol !== 'parley') return layout.map((memberIds) => ({ id: randomUUID(), members: memberIds }));
  await signInUsers(url, secret, layout.flat());
  return mapLimit(layout, 8, async (memberIds) => {
    const [owner, ...others] = memberIds as [string, ...string[]];
    const room = await parleyRequest<{ id: string }>(url, mintToken(secret, owner), 'POST', '/rooms', {
      type,
      ...(type === 'group' ? { name: `bench ${owner}` } : {}),
      user_ids: others,
    });
    return { id: room.id, members: memberIds };
  });
}

/** Content of message `index`, padded to `length` characters: `bm:<index>:xxxx…`. */
export function messageContent(index: number, length: number): string {
  const head = `bm:${index}:`;
  return head + 'x'.repeat(Math.max(0, length - head.length));
}

export function messageIndex(content: string): number {
  return parseInt(content.slice(3), 10);
}
