import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';

describe.each(availableBackends())('rooms and messages on %s', (backend) => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let carol: string;
  let mallory: string;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    bob = server.mintToken({ sub: 'bob', name: 'Bob', picture: 'https://example.com/bob.png' });
    carol = server.mintToken({ sub: 'carol', name: 'Carol' });
    mallory = server.mintToken({ sub: 'mallory', name: 'Mallory' });
    // Users exist once they have called the API.
    for (const token of [alice, bob, carol, mallory]) {
      expect((await server.request('GET', '/api/v1/me', { token })).status).toBe(200);
    }
  });
  afterAll(() => server?.close());

  it('GET /me returns the caller upserted from the token claims', async () => {
    const res = await server.request('GET', '/api/v1/me', { token: bob });
    expect(res.body).toEqual({ id: 'bob', name: 'Bob', avatar_url: 'https://example.com/bob.png' });
    const renamed = server.mintToken({ sub: 'bob', name: 'Robert', picture: 'https://example.com/bob.png' });
    expect((await server.request('GET', '/api/v1/me', { token: renamed })).body.name).toBe('Robert');
    await server.request('GET', '/api/v1/me', { token: bob });
  });

  it('opens a direct room once per pair: 201 new, then 200 with the same room from either side', async () => {
    const first = await server.request('POST', '/api/v1/rooms', {
      token: alice,
      body: { type: 'direct', user_ids: ['bob'] },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'direct', name: null, display_name: 'Bob', last_seq: 0, unread_count: 0 });
    expect(first.body.participants.map((p: { id: string }) => p.id).sort()).toEqual(['alice', 'bob']);

    const again = await server.request('POST', '/api/v1/rooms', {
      token: alice,
      body: { type: 'direct', user_ids: ['bob'] },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const fromBob = await server.request('POST', '/api/v1/rooms', {
      token: bob,
      body: { type: 'direct', user_ids: ['alice'] },
    });
    expect(fromBob.status).toBe(200);
    expect(fromBob.body.id).toBe(first.body.id);
    expect(fromBob.body.display_name).toBe('Alice');
  });

  it('opens one direct room when both sides ask at the same time', async () => {
    const [a, b] = await Promise.all([
      server.request('POST', '/api/v1/rooms', { token: carol, body: { type: 'direct', user_ids: ['mallory'] } }),
      server.request('POST', '/api/v1/rooms', { token: mallory, body: { type: 'direct', user_ids: ['carol'] } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
  });

  it('creates a group with a name and members; unknown users are 404 user_not_found', async () => {
    const res = await server.request('POST', '/api/v1/rooms', {
      token: alice,
      body: { type: 'group', name: 'Ops', user_ids: ['bob', 'carol'] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'group', name: 'Ops', display_name: 'Ops' });
    expect(res.body.participants).toHaveLength(3);

    const unknown = await server.request('POST', '/api/v1/rooms', {
      token: alice,
      body: { type: 'group', name: 'Ghosts', user_ids: ['nobody-here'] },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('user_not_found');
  });

  it('rejects invalid room bodies with 400 validation_failed', async () => {
    for (const body of [
      { type: 'direct', user_ids: [] },
      { type: 'direct', user_ids: ['alice'] },
      { type: 'channel' },
      {},
    ]) {
      const res = await server.request('POST', '/api/v1/rooms', { token: alice, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('sends messages with increasing seq and lists them newest first, or oldest first with after', async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', {
        token: alice,
        body: { type: 'group', name: 'History', user_ids: ['bob'] },
      })
    ).body;
    const sent = [];
    for (let i = 1; i <= 5; i++) {
      const res = await server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
        token: i % 2 ? alice : bob,
        body: { content: `m${i}`, metadata: { n: i } },
      });
      expect(res.status).toBe(201);
      sent.push(res.body);
    }
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sent[0]).toMatchObject({
      room_id: room.id,
      sender_id: 'alice',
      type: 'text',
      content: 'm1',
      metadata: { n: 1 },
      reactions: [],
      edited_at: null,
      deleted_at: null,
    });
    expect(new Date(sent[0].created_at).toISOString()).toBe(sent[0].created_at);

    const latest = await server.request('GET', `/api/v1/rooms/${room.id}/messages?limit=2`, { token: bob });
    expect(latest.body.messages.map((m: { content: string }) => m.content)).toEqual(['m5', 'm4']);
    expect(latest.body.next_cursor).toBe('4');
    const older = await server.request(
      'GET',
      `/api/v1/rooms/${room.id}/messages?limit=2&before=${latest.body.next_cursor}`,
      { token: bob },
    );
    expect(older.body.messages.map((m: { seq: number }) => m.seq)).toEqual([3, 2]);
    const oldest = await server.request('GET', `/api/v1/rooms/${room.id}/messages?limit=2&before=2`, { token: bob });
    expect(oldest.body).toMatchObject({ next_cursor: null });
    expect(oldest.body.messages.map((m: { seq: number }) => m.seq)).toEqual([1]);

    const after = await server.request('GET', `/api/v1/rooms/${room.id}/messages?after=${sent[1].id}&limit=10`, {
      token: bob,
    });
    expect(after.body.messages.map((m: { seq: number }) => m.seq)).toEqual([3, 4, 5]);
    expect(after.body.next_cursor).toBeNull();
  });

  it('lists rooms by last activity with last_message, participants and unread_count', async () => {
    const quiet = (
      await server.request('POST', '/api/v1/rooms', {
        token: carol,
        body: { type: 'group', name: 'Quiet', user_ids: ['alice'] },
      })
    ).body;
    const busy = (
      await server.request('POST', '/api/v1/rooms', {
        token: carol,
        body: { type: 'group', name: 'Busy', user_ids: ['alice'] },
      })
    ).body;
    await server.request('POST', `/api/v1/rooms/${busy.id}/messages`, { token: carol, body: { content: 'one' } });
    await server.request('POST', `/api/v1/rooms/${busy.id}/messages`, { token: carol, body: { content: 'two' } });
    await server.request('POST', `/api/v1/rooms/${busy.id}/messages`, { token: alice, body: { content: 'mine' } });

    const res = await server.request('GET', '/api/v1/rooms', { token: alice });
    expect(res.status).toBe(200);
    const ids = res.body.rooms.map((r: { id: string }) => r.id);
    expect(ids[0]).toBe(busy.id);
    expect(ids).toContain(quiet.id);
    const top = res.body.rooms[0];
    expect(top).toMatchObject({ last_seq: 3, unread_count: 2, display_name: 'Busy' });
    expect(top.last_message).toMatchObject({ content: 'mine', seq: 3 });
    expect(top.participants.map((p: { id: string }) => p.id).sort()).toEqual(['alice', 'carol']);

    // Paging walks every room exactly once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { rooms: { id: string }[]; next_cursor: string | null } } = await server.request(
        'GET',
        `/api/v1/rooms?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: alice },
      );
      seen.push(...page.body.rooms.map((r) => r.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('returns the original message for a repeated client_id (200) and logs it once', async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', {
        token: alice,
        body: { type: 'group', name: 'Retry', user_ids: [] },
      })
    ).body;
    const body = { content: 'once', client_id: 'c0ffee00-0000-4000-8000-000000000001' };
    const first = await server.request('POST', `/api/v1/rooms/${room.id}/messages`, { token: alice, body });
    const again = await server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
      token: alice,
      body: { ...body, content: 'changed' },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.body.client_id).toBe(body.client_id);
    const parallel = await Promise.all(
      [1, 2, 3].map(() =>
        server.request('POST', `/api/v1/rooms/${room.id}/messages`, {
          token: alice,
          body: { content: 'race', client_id: 'race-1' },
        }),
      ),
    );
    expect(new Set(parallel.map((r) => r.body.id)).size).toBe(1);
    const list = await server.request('GET', `/api/v1/rooms/${room.id}/messages`, { token: alice });
    expect(list.body.messages).toHaveLength(2);
    expect((await server.request('GET', `/api/v1/rooms/${room.id}`, { token: alice })).body.last_seq).toBe(2);
  });

  it('answers 404 room_not_found to a non-participant exactly as for a missing room', async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', { token: alice, body: { type: 'direct', user_ids: ['bob'] } })
    ).body;
    const missing = '00000000-0000-4000-8000-000000000000';
    const paths = (id: string) => [
      ['GET', `/api/v1/rooms/${id}`],
      ['GET', `/api/v1/rooms/${id}/messages`],
      ['POST', `/api/v1/rooms/${id}/messages`],
    ];
    for (const id of [room.id, missing, 'not-a-uuid']) {
      for (const [method, path] of paths(id)) {
        const res = await server.request(method!, path!, {
          token: mallory,
          body: method === 'POST' ? { content: 'hi' } : undefined,
        });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body).toEqual({ error: { code: 'room_not_found', message: 'Room not found' } });
      }
    }
    const rooms = await server.request('GET', '/api/v1/rooms', { token: mallory });
    expect(rooms.body.rooms.map((r: { id: string }) => r.id)).not.toContain(room.id);
  });

  it('validates message bodies and limits', async () => {
    const room = (
      await server.request('POST', '/api/v1/rooms', { token: alice, body: { type: 'direct', user_ids: ['carol'] } })
    ).body;
    const post = (body: unknown) => server.request('POST', `/api/v1/rooms/${room.id}/messages`, { token: alice, body });
    expect((await post({})).body.error.code).toBe('validation_failed');
    expect((await post({ content: 'x', type: 'system' })).body.error.code).toBe('validation_failed');
    expect((await post({ content: '   ' })).body.error.code).toBe('validation_failed');
    const tooLong = await post({ content: 'x'.repeat(10_001) });
    expect(tooLong.status).toBe(413);
    expect(tooLong.body.error.code).toBe('message_too_long');
    const shared = await post({
      content: 'see this',
      type: 'ai_share',
      metadata: { source_conversation_id: 'conv-1', source_message_id: 'msg-9', title: 'Trip plan' },
    });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({
      type: 'ai_share',
      metadata: { source_conversation_id: 'conv-1', source_message_id: 'msg-9', title: 'Trip plan' },
    });
    for (const metadata of [
      {},
      { source_conversation_id: 42 },
      { source_conversation_id: 'c', source_message_id: '' },
    ]) {
      const bad = await post({ content: 'x', type: 'ai_share', metadata });
      expect(bad.status, JSON.stringify(metadata)).toBe(400);
      expect(bad.body.error).toMatchObject({
        code: 'validation_failed',
        message: expect.stringMatching(/^metadata\./),
      });
    }
    const huge = await post({ content: 'x', metadata: { blob: 'y'.repeat(5000) } });
    expect(huge.body.error.code).toBe('validation_failed');
    expect(tooLong.body.error.message).toMatch(/10001 characters.*10000.*MESSAGE_MAX_LENGTH/);
    // Characters are code points: 10 000 emoji fit although they are 20 000 UTF-16 units.
    expect((await post({ content: '😀'.repeat(10_000) })).status).toBe(201);
  });
});
