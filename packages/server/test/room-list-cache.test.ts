import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomListStamp } from '../src/db/rooms.js';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';

// GET /rooms answers from a per-user cache while the stamp of the user's rooms
// (sql/020_room_list_stamp.sql) is unchanged. Every change a page can show must
// move the stamp: after each one, the served page equals one read afresh.
describe.each(availableBackends())('room list cache on %s', (backend) => {
  let server: TestServer;
  const token: Record<string, string> = {};
  let group: string;
  let direct: string;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    for (const id of ['alice', 'bob', 'carol']) {
      token[id] = server.mintToken({ sub: id, name: id[0]!.toUpperCase() + id.slice(1) });
      expect((await server.request('GET', '/api/v1/me', { token: token[id] })).status).toBe(200);
    }
    group = (
      await server.request('POST', '/api/v1/rooms', {
        token: token['alice'],
        body: { type: 'group', name: 'Crew', user_ids: ['bob'] },
      })
    ).body.id;
    direct = (
      await server.request('POST', '/api/v1/rooms', {
        token: token['alice'],
        body: { type: 'direct', user_ids: ['carol'] },
      })
    ).body.id;
    await send('bob', group, 'first');
  });
  afterAll(() => server?.close());

  async function send(user: string, roomId: string, content: string): Promise<string> {
    const res = await server.request('POST', `/api/v1/rooms/${roomId}/messages`, {
      token: token[user],
      body: { content },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  /** Alice's first page as GET /rooms serves it, and the SQL statements it took. */
  async function served(): Promise<{ page: unknown; statements: number }> {
    let statements = 0;
    const count = () => statements++;
    server.db.on('query', count);
    try {
      const res = await server.request('GET', '/api/v1/rooms?limit=20', { token: token['alice'] });
      expect(res.status).toBe(200);
      return { page: res.body, statements };
    } finally {
      server.db.off('query', count);
    }
  }

  /** Alice's first page read afresh, past the cache, as JSON would carry it. */
  async function fresh(): Promise<unknown> {
    return JSON.parse(JSON.stringify(await server.services.rooms.list('alice', { limit: 20, cursor: null })));
  }

  it('answers an unchanged list with one statement: the stamp', async () => {
    const first = await served();
    const again = await served();
    expect(again.page).toEqual(first.page);
    expect(again.page).toEqual(await fresh());
    expect(first.statements).toBeGreaterThan(1);
    expect(again.statements).toBe(1);
  });

  const changes: [string, () => Promise<unknown>, (page: any) => unknown][] = [
    ['a new message', () => send('bob', group, 'second'), (page) => page.rooms[0].last_message.content],
    [
      'an edit of the last message',
      async () => {
        const id = await send('alice', group, 'typo');
        await server.request('PATCH', `/api/v1/rooms/${group}/messages/${id}`, {
          token: token['alice'],
          body: { content: 'fixed' },
        });
      },
      (page) => page.rooms[0].last_message.content,
    ],
    [
      'a reaction on the last message',
      async () => {
        const page = (await fresh()) as any;
        await server.request('POST', `/api/v1/rooms/${group}/messages/${page.rooms[0].last_message.id}/reactions`, {
          token: token['bob'],
          body: { emoji: '👍' },
        });
      },
      (page) => page.rooms[0].last_message.reactions,
    ],
    [
      'another member reading',
      () => server.request('POST', `/api/v1/rooms/${group}/read`, { token: token['bob'], body: {} }),
      (page) => page.rooms[0].participants.map((p: any) => p.last_read_seq),
    ],
    [
      'the caller reading',
      () => server.request('POST', `/api/v1/rooms/${group}/read`, { token: token['alice'], body: {} }),
      (page) => page.rooms[0].unread_count,
    ],
    [
      'a rename',
      () =>
        server.request('PATCH', `/api/v1/rooms/${group}`, { token: token['alice'], body: { name: 'Crew (renamed)' } }),
      (page) => page.rooms.map((r: any) => r.display_name),
    ],
    [
      'a member joining',
      () =>
        server.request('POST', `/api/v1/rooms/${group}/participants`, {
          token: token['alice'],
          body: { user_ids: ['carol'] },
        }),
      (page) => page.rooms.map((r: any) => r.participants.length),
    ],
    [
      'a member leaving',
      () => server.request('DELETE', `/api/v1/rooms/${group}/participants/carol`, { token: token['carol'] }),
      (page) => page.rooms.map((r: any) => r.participants.length),
    ],
    [
      'a deleted last message',
      async () => {
        const id = await send('carol', direct, 'oops');
        await server.request('DELETE', `/api/v1/rooms/${direct}/messages/${id}`, { token: token['carol'] });
      },
      (page) => page.rooms[0].last_message.deleted_at,
    ],
    [
      'a member signing in with a new name',
      () => server.request('GET', '/api/v1/me', { token: server.mintToken({ sub: 'carol', name: 'Caroline' }) }),
      (page) => page.rooms.map((r: any) => r.display_name),
    ],
    [
      'a room someone else opens with the caller',
      async () => {
        const room = await server.request('POST', '/api/v1/rooms', {
          token: token['bob'],
          body: { type: 'direct', user_ids: ['alice'] },
        });
        expect(room.status).toBe(201);
      },
      (page) => page.rooms.length,
    ],
    [
      'the caller muting a room',
      () => server.request('PUT', `/api/v1/rooms/${direct}/mute`, { token: token['alice'], body: { muted: true } }),
      (page) => page.rooms.map((r: any) => r.muted),
    ],
    [
      'the caller unmuting it',
      () => server.request('PUT', `/api/v1/rooms/${direct}/mute`, { token: token['alice'], body: { muted: false } }),
      (page) => page.rooms.map((r: any) => r.muted),
    ],
    [
      'the caller leaving a room',
      () => server.request('DELETE', `/api/v1/rooms/${group}/participants/alice`, { token: token['alice'] }),
      (page) => page.rooms.length,
    ],
  ];

  it.each(changes)('shows %s on the next request', async (_change, change, shown) => {
    const before = await served();
    expect((await served()).statements).toBe(1); // cached
    await change();
    const after = await served();
    expect(shown(after.page)).not.toEqual(shown(before.page));
    expect(after.page).toEqual(await fresh());
  });

  it('never gives an earlier stamp back after a mute and an unmute', async () => {
    // GET /rooms reads the stamp before the page, so a page read while a mute
    // committed is kept under the older stamp. Were "unmuted" to give that
    // stamp back, the page with the muted room would be served again.
    const before = await roomListStamp(server.db, 'alice');
    for (const muted of [true, false]) {
      const res = await server.request('PUT', `/api/v1/rooms/${direct}/mute`, {
        token: token['alice'],
        body: { muted },
      });
      expect(res.body.muted).toBe(muted);
    }
    expect(await roomListStamp(server.db, 'alice')).not.toBe(before);
  });

  it('keeps the caller’s page (cached) when another member mutes: it shows only the caller’s own setting', async () => {
    const before = await served();
    const room = (before.page as any).rooms.find((r: any) => r.id === direct);
    // Carol as she signed in last ('a member signing in with a new name'): a sign-in with other claims moves every stamp.
    const carol = server.mintToken({ sub: 'carol', name: 'Caroline' });
    await server.request('PUT', `/api/v1/rooms/${direct}/mute`, { token: carol, body: { muted: true } });
    const after = await served();
    expect(after.statements).toBe(1);
    expect((after.page as any).rooms.find((r: any) => r.id === direct)).toEqual({ ...room, muted: false });
    expect(after.page).toEqual(await fresh());
    expect((await server.request('GET', `/api/v1/rooms/${direct}`, { token: carol })).body.muted).toBe(true);
  });

  it('keeps pages of different sizes and cursors apart', async () => {
    const one = await server.request('GET', '/api/v1/rooms?limit=1', { token: token['alice'] });
    const two = await server.request('GET', '/api/v1/rooms?limit=2', { token: token['alice'] });
    const next = await server.request('GET', `/api/v1/rooms?limit=1&cursor=${one.body.next_cursor}`, {
      token: token['alice'],
    });
    expect(one.body.rooms).toHaveLength(1);
    expect(two.body.rooms).toHaveLength(2);
    expect(next.body.rooms.map((r: any) => r.id)).toEqual([two.body.rooms[1].id]);
  });

  it('never serves one user the page of another', async () => {
    const alice = (await server.request('GET', '/api/v1/rooms?limit=20', { token: token['alice'] })).body;
    const carol = (await server.request('GET', '/api/v1/rooms?limit=20', { token: token['carol'] })).body;
    expect(carol).not.toEqual(alice);
    expect(carol).toEqual(
      JSON.parse(JSON.stringify(await server.services.rooms.list('carol', { limit: 20, cursor: null }))),
    );
  });
});
