import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/http/openapi/operations.js';
import { availableBackends, startTestServer, TEST_JWT_SECRET, type TestServer } from '../src/testing.js';

/** What each row works on: a fresh group of alice (creator) and bob, with one message alice reacted to. */
interface Fixture {
  roomId: string;
  messageId: string;
}

interface Row {
  /** `METHOD /path/{template}` as in the OpenAPI document. */
  operation: string;
  path: (f: Fixture) => string;
  body?: unknown;
  /** Status for a member of the room (or any signed-in user, for paths outside rooms). */
  member: number;
  /** Room-scoped paths answer a non-member 404 room_not_found; the rest serve the caller's own view. */
  roomScoped: boolean;
}

const THUMBS = encodeURIComponent('👍');

const ROWS: Row[] = [
  { operation: 'GET /me', path: () => '/me', member: 200, roomScoped: false },
  { operation: 'GET /users', path: () => '/users?q=b', member: 200, roomScoped: false },
  { operation: 'GET /rooms', path: () => '/rooms', member: 200, roomScoped: false },
  {
    operation: 'POST /rooms',
    path: () => '/rooms',
    body: { type: 'group', name: 'New', user_ids: [] },
    member: 201,
    roomScoped: false,
  },
  { operation: 'GET /rooms/{roomId}', path: (f) => `/rooms/${f.roomId}`, member: 200, roomScoped: true },
  {
    operation: 'PATCH /rooms/{roomId}',
    path: (f) => `/rooms/${f.roomId}`,
    body: { name: 'Renamed' },
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'PUT /rooms/{roomId}/mute',
    path: (f) => `/rooms/${f.roomId}/mute`,
    body: { muted: true },
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'GET /rooms/{roomId}/participants',
    path: (f) => `/rooms/${f.roomId}/participants`,
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'POST /rooms/{roomId}/participants',
    path: (f) => `/rooms/${f.roomId}/participants`,
    body: { user_ids: ['carol'] },
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'DELETE /rooms/{roomId}/participants/{userId}',
    path: (f) => `/rooms/${f.roomId}/participants/bob`,
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'GET /rooms/{roomId}/messages',
    path: (f) => `/rooms/${f.roomId}/messages`,
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'POST /rooms/{roomId}/messages',
    path: (f) => `/rooms/${f.roomId}/messages`,
    body: { content: 'hi' },
    member: 201,
    roomScoped: true,
  },
  {
    operation: 'PATCH /rooms/{roomId}/messages/{messageId}',
    path: (f) => `/rooms/${f.roomId}/messages/${f.messageId}`,
    body: { content: 'edited' },
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'DELETE /rooms/{roomId}/messages/{messageId}',
    path: (f) => `/rooms/${f.roomId}/messages/${f.messageId}`,
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'POST /rooms/{roomId}/messages/{messageId}/reactions',
    path: (f) => `/rooms/${f.roomId}/messages/${f.messageId}/reactions`,
    body: { emoji: '🎉' },
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'DELETE /rooms/{roomId}/messages/{messageId}/reactions/{emoji}',
    path: (f) => `/rooms/${f.roomId}/messages/${f.messageId}/reactions/${THUMBS}`,
    member: 200,
    roomScoped: true,
  },
  {
    operation: 'POST /rooms/{roomId}/read',
    path: (f) => `/rooms/${f.roomId}/read`,
    body: {},
    member: 200,
    roomScoped: true,
  },
  { operation: 'GET /unread', path: () => '/unread', member: 200, roomScoped: false },
  { operation: 'GET /presence', path: () => '/presence?user_ids=bob', member: 200, roomScoped: false },
  { operation: 'PUT /presence', path: () => '/presence', body: { status: 'away' }, member: 200, roomScoped: false },
  {
    operation: 'POST /agent-actions',
    path: () => '/agent-actions',
    body: {
      tool: 'get_user_rooms',
      outcome: 'ok',
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: '2026-01-01T00:00:01.000Z',
    },
    member: 201,
    roomScoped: false,
  },
  { operation: 'GET /agent-actions', path: () => '/agent-actions', member: 200, roomScoped: false },
];

/** A token with `alg: none` (no signature), as an attacker would send it. */
function unsignedToken(payload: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
}

describe.each(availableBackends())('authorization matrix on %s', (backend) => {
  let server: TestServer;
  let alice: string;
  let mallory: string;
  const badTokens: Record<string, { token: string | undefined; code: string }> = {};

  const fixture = async (): Promise<Fixture> => {
    const room = await server.request('POST', '/api/v1/rooms', {
      token: alice,
      body: { type: 'group', name: 'M', user_ids: ['bob'] },
    });
    const message = await server.request('POST', `/api/v1/rooms/${room.body.id}/messages`, {
      token: alice,
      body: { content: 'x' },
    });
    await server.request('POST', `/api/v1/rooms/${room.body.id}/messages/${message.body.id}/reactions`, {
      token: alice,
      body: { emoji: '👍' },
    });
    return { roomId: room.body.id, messageId: message.body.id };
  };
  const call = (row: Row, f: Fixture, token: string | undefined) =>
    server.request(row.operation.split(' ')[0]!, `/api/v1${row.path(f)}`, {
      ...(token ? { token } : {}),
      ...(row.body !== undefined ? { body: row.body } : {}),
    });

  beforeAll(async () => {
    server = await startTestServer({ backend });
    alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    mallory = server.mintToken({ sub: 'mallory', name: 'Mallory' });
    for (const sub of ['bob', 'carol', 'mallory']) {
      await server.request('GET', '/api/v1/me', { token: server.mintToken({ sub, name: sub }) });
    }
    const exp = Math.floor(Date.now() / 1000) + 600;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    Object.assign(badTokens, {
      'no token': { token: undefined, code: 'unauthorized' },
      'expired token': { token: server.mintToken({ sub: 'alice', ttl: -30 }), code: 'token_expired' },
      'alg none': { token: unsignedToken({ sub: 'alice', exp }), code: 'unauthorized' },
      'HS512 with the right secret': {
        token: jwt.sign({ sub: 'alice', exp }, TEST_JWT_SECRET, { algorithm: 'HS512' }),
        code: 'unauthorized',
      },
      'RS256 while HS256 is pinned': {
        token: jwt.sign({ sub: 'alice', exp }, privateKey, { algorithm: 'RS256' }),
        code: 'unauthorized',
      },
    });
  });
  afterAll(() => server?.close());

  it('covers every authenticated operation of the OpenAPI document', () => {
    const documented = OPERATIONS.filter((op) => op.auth !== false).map(
      (op) => `${op.method.toUpperCase()} ${op.path}`,
    );
    expect(ROWS.map((r) => r.operation).sort()).toEqual(documented.sort());
  });

  it.each(ROWS.map((row) => [row.operation, row] as const))(
    '%s: member succeeds, non-member and bad tokens are refused',
    async (_, row) => {
      const f = await fixture();
      // Refusals first: they must change nothing the member's call then relies on.
      for (const [name, bad] of Object.entries(badTokens)) {
        const res = await call(row, f, bad.token);
        expect(res.status, name).toBe(401);
        expect(res.body, name).toEqual({ error: { code: bad.code, message: expect.any(String) } });
      }
      const outsider = await call(row, f, mallory);
      if (row.roomScoped) {
        expect(outsider.status).toBe(404);
        expect(outsider.body).toEqual({ error: { code: 'room_not_found', message: 'Room not found' } });
      } else {
        expect(outsider.status).toBe(row.member);
      }
      const member = await call(row, f, alice);
      expect(member.status, JSON.stringify(member.body)).toBe(row.member);
    },
  );

  it('shows a non-member nothing of the room in their own lists', async () => {
    const f = await fixture();
    const rooms = await server.request('GET', '/api/v1/rooms', { token: mallory });
    expect(rooms.body.rooms.map((r: { id: string }) => r.id)).not.toContain(f.roomId);
    const unread = await server.request('GET', '/api/v1/unread', { token: mallory });
    expect(Object.keys(unread.body.rooms)).not.toContain(f.roomId);
  });
});
