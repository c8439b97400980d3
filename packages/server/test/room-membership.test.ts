import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';
import { TestSockets } from './socket-client.js';

describe.each(availableBackends())('room names and membership on %s', (backend) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const sockets = new TestSockets(
    () => server.wsUrl,
    (user) => tokens[user]!,
  );
  const as = (user: string) => ({ token: tokens[user]! });
  const connect = (user: string) => sockets.connect(user);
  const group = async (creator: string, members: string[], name: string | null = null) =>
    (
      await server.request('POST', '/api/v1/rooms', {
        ...as(creator),
        body: { type: 'group', name, user_ids: members },
      })
    ).body;
  const history = async (user: string, roomId: string) =>
    (await server.request('GET', `/api/v1/rooms/${roomId}/messages?limit=100`, as(user))).body.messages;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    for (const [id, name] of [
      ['alice', 'Alice'],
      ['bob', 'Bob'],
      ['carol', 'Carol'],
      ['dave', 'Dave'],
      ['erin', 'Erin'],
    ]) {
      tokens[id!] = server.mintToken({ sub: id!, name: name! });
      await server.request('GET', '/api/v1/me', as(id!));
    }
  });
  afterAll(async () => {
    sockets.closeAll();
    await server?.close();
  });

  it('auto-names an unnamed group from the other members, per viewer', async () => {
    const room = await group('alice', ['bob', 'carol', 'dave', 'erin']);
    expect(room.display_name).toBe('Bob, Carol and 2 others');
    const fromBob = await server.request('GET', `/api/v1/rooms/${room.id}`, as('bob'));
    expect(fromBob.body.display_name).toBe('Alice, Carol and 2 others');
  });

  it('renames a group: room.updated and a system message, visible to every member; clearing the name restores the auto-name', async () => {
    const room = await group('alice', ['bob']);
    const bob = await connect('bob');
    const res = await server.request('PATCH', `/api/v1/rooms/${room.id}`, { ...as('bob'), body: { name: '  Trip  ' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Trip', display_name: 'Trip', last_seq: 2 });

    const updated = await bob.next('event', (e) => e.room_id === room.id && e.kind === 'room.updated');
    expect(updated.data).toEqual({ room: { id: room.id, name: 'Trip', type: 'group' } });
    const note = await bob.next('event', (e) => e.room_id === room.id && e.kind === 'message.created');
    expect((note.data as any).message).toMatchObject({
      type: 'system',
      sender_id: null,
      content: 'Bob named the room “Trip”',
      metadata: { event: 'room.updated', name: 'Trip', by: 'bob', by_name: 'Bob' },
    });

    // The same name again changes nothing and logs nothing.
    expect(
      (await server.request('PATCH', `/api/v1/rooms/${room.id}`, { ...as('alice'), body: { name: 'Trip' } })).body
        .last_seq,
    ).toBe(2);
    const cleared = await server.request('PATCH', `/api/v1/rooms/${room.id}`, { ...as('alice'), body: { name: null } });
    expect(cleared.body).toMatchObject({ name: null, display_name: 'Bob', last_seq: 4 });
    expect((await history('alice', room.id))[0]).toMatchObject({
      type: 'system',
      content: 'Alice removed the room name',
    });
  });

  it('refuses renaming or changing the members of a direct room (400)', async () => {
    const direct = (
      await server.request('POST', '/api/v1/rooms', { ...as('alice'), body: { type: 'direct', user_ids: ['erin'] } })
    ).body;
    const attempts = [
      server.request('PATCH', `/api/v1/rooms/${direct.id}`, { ...as('alice'), body: { name: 'x' } }),
      server.request('POST', `/api/v1/rooms/${direct.id}/participants`, {
        ...as('alice'),
        body: { user_ids: ['bob'] },
      }),
      server.request('DELETE', `/api/v1/rooms/${direct.id}/participants/alice`, as('alice')),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
  });

  it('adds people to a group: member.joined and "Alice added Carol" per person; the newcomer hears from then on', async () => {
    const room = await group('alice', ['bob'], 'Team');
    await server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
      ...as('bob'),
      body: { content: 'before carol' },
    });
    const carol = await connect('carol');
    const bob = await connect('bob');

    const res = await server.request('POST', `/api/v1/rooms/${room.id}/participants`, {
      ...as('alice'),
      body: { user_ids: ['carol', 'bob'] }, // bob is already in: skipped
    });
    expect(res.status).toBe(200);
    expect(res.body.participants.map((p: { id: string }) => p.id)).toEqual(['alice', 'bob', 'carol']);

    for (const socket of [carol, bob]) {
      const joined = await socket.next('event', (e) => e.room_id === room.id && e.kind === 'member.joined');
      expect(joined.data).toEqual({ user: { id: 'carol', name: 'Carol', avatar_url: null }, added_by: 'alice' });
      const note = await socket.next('event', (e) => e.room_id === room.id && e.kind === 'message.created');
      expect((note.data as any).message).toMatchObject({
        type: 'system',
        content: 'Alice added Carol',
        metadata: { event: 'member.joined', user_id: 'carol', by: 'alice' },
      });
    }
    expect(
      bob.frames.filter((f) => f.type === 'event' && f.kind === 'member.joined' && f.room_id === room.id),
    ).toHaveLength(0);

    // Carol sees the history, but what came before her is not unread for her.
    const seenByCarol = await server.request('GET', `/api/v1/rooms/${room.id}`, as('carol'));
    expect(seenByCarol.body.unread_count).toBe(0);
    expect((await history('carol', room.id)).map((m: { content: string }) => m.content)).toContain('before carol');

    await server.request('POST', `/api/v1/rooms/${room.id}/messages`, { ...as('bob'), body: { content: 'hi carol' } });
    const live = await carol.next('event', (e) => e.room_id === room.id && e.kind === 'message.created');
    expect((live.data as any).message.content).toBe('hi carol');

    const unknown = await server.request('POST', `/api/v1/rooms/${room.id}/participants`, {
      ...as('alice'),
      body: { user_ids: ['ghost'] },
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'user_not_found' } } });
  });

  it('lists participants with their read positions and presence', async () => {
    const room = await group('alice', ['bob', 'carol']);
    const bobSocket = await connect('bob');
    await server.request('PUT', '/api/v1/presence', {
      ...as('alice'),
      body: { status: 'away', status_message: 'at lunch' },
    });
    const res = await server.request('GET', `/api/v1/rooms/${room.id}/participants`, as('carol'));
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.participants.map((p: { id: string }) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(byId['alice']).toMatchObject({ name: 'Alice', last_read_seq: 0, last_read_at: null });
    expect(byId['alice'].presence).toMatchObject({ user_id: 'alice', status: 'away', status_message: 'at lunch' });
    expect(byId['bob'].presence).toMatchObject({ user_id: 'bob', status: 'online' });
    expect(['online', 'away', 'offline']).toContain(byId['carol'].presence.status);
    bobSocket.close();
  });

  it('names the creator in every room answer (created_by), for every member: the one who may remove others', async () => {
    const room = await group('alice', ['bob'], 'Owned');
    const direct = (
      await server.request('POST', '/api/v1/rooms', { ...as('dave'), body: { type: 'direct', user_ids: ['erin'] } })
    ).body;
    expect(room.created_by).toBe('alice');
    expect(direct.created_by).toBe('dave');
    const answers = [
      (await server.request('GET', `/api/v1/rooms/${room.id}`, as('bob'))).body,
      (await server.request('GET', '/api/v1/rooms?limit=100', as('bob'))).body.rooms.find(
        (r: { id: string }) => r.id === room.id,
      ),
      (await server.request('PATCH', `/api/v1/rooms/${room.id}`, { ...as('bob'), body: { name: 'Still owned' } })).body,
      (
        await server.request('POST', `/api/v1/rooms/${room.id}/participants`, {
          ...as('bob'),
          body: { user_ids: ['carol'] },
        })
      ).body,
      (await server.request('DELETE', `/api/v1/rooms/${room.id}/participants/carol`, as('alice'))).body,
      (await server.request('PUT', `/api/v1/rooms/${room.id}/mute`, { ...as('bob'), body: { muted: true } })).body,
      (await server.request('GET', `/api/v1/rooms/${direct.id}`, as('erin'))).body,
    ];
    expect(answers.map((r) => r.created_by)).toEqual(['alice', 'alice', 'alice', 'alice', 'alice', 'alice', 'dave']);
  });

  it('lets only the creator remove others (403 for other members); the removed person receives member.left', async () => {
    const room = await group('alice', ['bob', 'carol'], 'Crew');
    const denied = await server.request('DELETE', `/api/v1/rooms/${room.id}/participants/carol`, as('bob'));
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const carol = await connect('carol');
    const res = await server.request('DELETE', `/api/v1/rooms/${room.id}/participants/carol`, as('alice'));
    expect(res.status).toBe(200);
    expect(res.body.participants.map((p: { id: string }) => p.id)).toEqual(['alice', 'bob']);

    const note = await carol.next('event', (e) => e.room_id === room.id && e.kind === 'message.created');
    expect((note.data as any).message).toMatchObject({
      type: 'system',
      content: 'Alice removed Carol',
      metadata: { event: 'member.left', user_id: 'carol', by: 'alice' },
    });
    const left = await carol.next('event', (e) => e.room_id === room.id && e.kind === 'member.left');
    expect(left.data).toEqual({ user_id: 'carol', removed_by: 'alice' });
    expect(left.seq).toBe(note.seq + 1);

    // From then on Carol neither sees the room nor hears from it.
    expect((await server.request('GET', `/api/v1/rooms/${room.id}`, as('carol'))).status).toBe(404);
    await server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
      ...as('bob'),
      body: { content: 'after carol' },
    });
    const ping = await server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
      ...as('alice'),
      body: { content: 'sync' },
    });
    carol.send({ type: 'ping', ref: 'sync' });
    await carol.next('pong');
    expect(carol.frames.some((f) => f.type === 'event' && f.room_id === room.id && f.seq >= ping.body.seq - 1)).toBe(
      false,
    );

    const notMember = await server.request('DELETE', `/api/v1/rooms/${room.id}/participants/carol`, as('alice'));
    expect(notMember).toMatchObject({ status: 404, body: { error: { code: 'user_not_found' } } });
  });

  it('leaves a group with 204: "Bob left", removed_by null, and the room is gone for the leaver', async () => {
    const room = await group('alice', ['bob']);
    const res = await server.request('DELETE', `/api/v1/rooms/${room.id}/participants/bob`, as('bob'));
    expect(res.status).toBe(204);
    const messages = await history('alice', room.id);
    expect(messages[0]).toMatchObject({
      type: 'system',
      content: 'Bob left',
      metadata: { event: 'member.left', user_id: 'bob', by: 'bob' },
    });
    const list = await server.request('GET', '/api/v1/rooms', as('bob'));
    expect(list.body.rooms.map((r: { id: string }) => r.id)).not.toContain(room.id);
  });

  it('searches the directory by name prefix, case-insensitively, without the searcher, capping limit', async () => {
    const search = (user: string, q: string, limit?: number) =>
      server.request('GET', `/api/v1/users?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`, as(user));
    expect((await search('alice', 'CA')).body.users.map((u: { id: string }) => u.id)).toEqual(['carol']);
    expect((await search('alice', '')).body.users.map((u: { id: string }) => u.id)).toEqual([
      'bob',
      'carol',
      'dave',
      'erin',
    ]);
    expect((await search('carol', 'ca')).body.users).toEqual([]);
    expect((await search('alice', '%')).body.users).toEqual([]);
    expect((await search('alice', '', 2)).body.users).toHaveLength(2);
    expect((await search('alice', 'a', 101)).status).toBe(400);
  });
});
