import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUser } from '../src/db/with-user.js';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';

/**
 * Row-level security, tested in SQL beneath the application: even a query
 * the app would never make cannot reach another user's rooms.
 */
describe.each(availableBackends())('row-level security on %s', (backend) => {
  let server: TestServer;
  let db: Knex;
  let roomId: string;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    db = server.db;
    const alice = server.mintToken({ sub: 'alice', name: 'Alice' });
    const bob = server.mintToken({ sub: 'bob', name: 'Bob' });
    await server.request('GET', '/api/v1/me', { token: server.mintToken({ sub: 'eve', name: 'Eve' }) });
    await server.request('GET', '/api/v1/me', { token: bob });
    roomId = (
      await server.request('POST', '/api/v1/rooms', { token: alice, body: { type: 'direct', user_ids: ['bob'] } })
    ).body.id;
    await server.request('POST', `/api/v1/rooms/${roomId}/messages`, { token: alice, body: { content: 'secret' } });
  });
  afterAll(() => server?.close());

  it('runs requests as parley_app, which is not a superuser and cannot bypass RLS', async () => {
    const row = await withUser(db, 'eve', async (trx) => {
      const { rows } = await trx.raw(
        `select current_user as role, r.rolsuper, r.rolbypassrls from pg_roles r where r.rolname = current_user`,
      );
      return rows[0];
    });
    expect(row).toEqual({ role: 'parley_app', rolsuper: false, rolbypassrls: false });
  });

  it('hides the room, its participants, messages and events from a non-member', async () => {
    const seen = await withUser(db, 'eve', async (trx) => ({
      rooms: (await trx('chat_rooms').select('id')).length,
      participants: (await trx('room_participants').where('room_id', roomId)).length,
      messages: (await trx('chat_messages').select('id')).length,
      events: (await trx('room_events').select('seq')).length,
    }));
    expect(seen).toEqual({ rooms: 0, participants: 0, messages: 0, events: 0 });
  });

  it('shows them to a member', async () => {
    const seen = await withUser(db, 'bob', async (trx) => ({
      rooms: (await trx('chat_rooms').where('id', roomId)).length,
      participants: (await trx('room_participants').where('room_id', roomId)).length,
      messages: (await trx('chat_messages').where('room_id', roomId)).length,
      events: (await trx('room_events').where('room_id', roomId)).length,
    }));
    expect(seen).toEqual({ rooms: 1, participants: 2, messages: 1, events: 1 });
  });

  it('refuses a non-member inserting a message, an event or themselves into the room', async () => {
    const attempts = {
      message: (trx: Knex.Transaction) =>
        trx('chat_messages').insert({ room_id: roomId, seq: 99, sender_id: 'eve', content: 'hi' }),
      event: (trx: Knex.Transaction) => trx('room_events').insert({ room_id: roomId, seq: 99, kind: 'x', data: '{}' }),
      join: (trx: Knex.Transaction) => trx('room_participants').insert({ room_id: roomId, user_id: 'eve' }),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      await expect(withUser(db, 'eve', attempt), name).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('refuses a member writing a message as someone else', async () => {
    await expect(
      withUser(db, 'bob', (trx) =>
        trx('chat_messages').insert({ room_id: roomId, seq: 99, sender_id: 'alice', content: 'forged' }),
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('sees nothing without parley.user_id set', async () => {
    const count = await db.transaction(async (trx) => {
      await trx.raw('set local role parley_app');
      return (await trx('chat_messages').select('id')).length + (await trx('users').select('id')).length;
    });
    expect(count).toBe(0);
  });
});

/**
 * The messaging domain's reads and writes attempted directly in SQL as
 * parley_app: a non-member reaches nothing, a member only what is theirs.
 */
describe.each(availableBackends())('row-level security of the messaging domain on %s', (backend) => {
  let server: TestServer;
  let db: Knex;
  let roomId: string;
  let messageId: string;
  const count = async (trx: Knex.Transaction, table: string, where: Record<string, unknown>) =>
    (await trx(table).where(where).select('*')).length;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    db = server.db;
    const token = (sub: string) => server.mintToken({ sub, name: sub });
    for (const sub of ['bob', 'carol', 'eve']) await server.request('GET', '/api/v1/me', { token: token(sub) });
    roomId = (
      await server.request('POST', '/api/v1/rooms', {
        token: token('alice'),
        body: { type: 'group', user_ids: ['bob', 'carol'] },
      })
    ).body.id;
    messageId = (
      await server.request('POST', `/api/v1/rooms/${roomId}/messages`, {
        token: token('alice'),
        body: { content: 'secret' },
      })
    ).body.id;
    await server.request('POST', `/api/v1/rooms/${roomId}/messages/${messageId}/reactions`, {
      token: token('bob'),
      body: { emoji: '👍' },
    });
    await server.request('POST', `/api/v1/rooms/${roomId}/read`, { token: token('bob'), body: {} });
  });
  afterAll(() => server?.close());

  it('hides reactions, read markers, events and unread counts from a non-member', async () => {
    const seen = await withUser(db, 'eve', async (trx) => ({
      reactions: await count(trx, 'message_reactions', { room_id: roomId }),
      readMarkers: await count(trx, 'room_participants', { room_id: roomId, user_id: 'bob' }),
      events: await count(trx, 'room_events', { room_id: roomId }),
      unread: (await trx.raw('select * from parley_unread_of_room_members(?)', [roomId])).rows.length,
    }));
    expect(seen).toEqual({ reactions: 0, readMarkers: 0, events: 0, unread: 0 });
    const member = await withUser(db, 'carol', async (trx) => ({
      reactions: await count(trx, 'message_reactions', { room_id: roomId }),
      unread: (await trx.raw('select * from parley_unread_of_room_members(?)', [roomId])).rows.length,
    }));
    expect(member).toEqual({ reactions: 1, unread: 3 });
  });

  it('refuses a non-member inserting a reaction or a system message into the room', async () => {
    const attempts = {
      reaction: (trx: Knex.Transaction) =>
        trx('message_reactions').insert({ message_id: messageId, room_id: roomId, user_id: 'eve', emoji: '👎' }),
      system: (trx: Knex.Transaction) =>
        trx('chat_messages').insert({
          room_id: roomId,
          seq: 99,
          sender_id: null,
          message_type: 'system',
          content: 'Eve joined',
        }),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      await expect(withUser(db, 'eve', attempt), name).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('lets a non-member move no read marker, delete no reaction, remove nobody and scrub nothing', async () => {
    const changed = await withUser(db, 'eve', async (trx) => ({
      readMarker: await trx('room_participants').where({ room_id: roomId }).update({ last_read_seq: 0 }),
      reaction: (await trx('message_reactions').where({ room_id: roomId }).delete().returning('emoji')).length,
      participant: (await trx('room_participants').where({ room_id: roomId }).delete().returning('user_id')).length,
    }));
    expect(changed).toMatchObject({ reaction: 0, participant: 0 });
    await withUser(db, 'eve', (trx) => trx.raw('select parley_scrub_deleted_message_events(?)', [messageId]));
    const intact = await withUser(db, 'bob', async (trx) => ({
      marker: (await trx('room_participants').where({ room_id: roomId, user_id: 'bob' }).first('last_read_seq'))
        .last_read_seq,
      reactions: await count(trx, 'message_reactions', { room_id: roomId }),
      members: await count(trx, 'room_participants', { room_id: roomId }),
    }));
    expect(intact).toEqual({ marker: 1, reactions: 1, members: 3 });
  });

  it('lets only the member mute or unmute the room for themselves (sql/021: their own participant row)', async () => {
    const muteOf = (trx: Knex.Transaction, user: string) =>
      trx('room_participants').where({ room_id: roomId, user_id: user }).update({ muted_at: trx.fn.now() });
    const changed = {
      byMember: await withUser(db, 'bob', async (trx) => (await muteOf(trx, 'carol').returning('user_id')).length),
      byOutsider: await withUser(db, 'eve', async (trx) => (await muteOf(trx, 'carol').returning('user_id')).length),
      // Carol's update of every row of the room reaches her own only.
      byCarol: await withUser(db, 'carol', async (trx) =>
        (
          await trx('room_participants')
            .where({ room_id: roomId })
            .update({ muted_at: trx.fn.now(), mute_changes: 7 })
            .returning('user_id')
        ).map((r: { user_id: string }) => r.user_id),
      ),
    };
    expect(changed).toEqual({ byMember: 0, byOutsider: 0, byCarol: ['carol'] });
    const rows = await withUser(db, 'alice', (trx) =>
      trx('room_participants')
        .where({ room_id: roomId })
        .orderBy('user_id')
        .select('user_id', 'muted_at', 'unread_count'),
    );
    expect(rows.map((r: { user_id: string; muted_at: Date | null }) => [r.user_id, r.muted_at !== null])).toEqual([
      ['alice', false],
      ['bob', false],
      ['carol', true],
    ]);
    // The muted room leaves Carol's total (parley_unread_total, as the caller), not her counter.
    const carolTotal = async () =>
      withUser(db, 'carol', async (trx) => (await trx.raw('select parley_unread_total() as total')).rows[0].total);
    expect(rows[2].unread_count).toBe(1);
    expect(await carolTotal()).toBe(0);
    await withUser(db, 'carol', (trx) =>
      trx('room_participants').where({ room_id: roomId, user_id: 'carol' }).update({ muted_at: null }),
    );
    expect(await carolTotal()).toBe(1);
  });

  it('lets a member change only their own: no one else’s message, read marker or reaction; only the creator removes others', async () => {
    const changed = await withUser(db, 'bob', async (trx) => ({
      othersMessage: (await trx('chat_messages').where({ id: messageId }).update({ content: 'forged' }).returning('id'))
        .length,
      othersMarker: (
        await trx('room_participants')
          .where({ room_id: roomId, user_id: 'carol' })
          .update({ last_read_seq: 5 })
          .returning('user_id')
      ).length,
      removeCarol: (
        await trx('room_participants').where({ room_id: roomId, user_id: 'carol' }).delete().returning('user_id')
      ).length,
    }));
    expect(changed).toEqual({ othersMessage: 0, othersMarker: 0, removeCarol: 0 });
    await expect(
      withUser(db, 'carol', (trx) =>
        trx('message_reactions').where({ room_id: roomId, user_id: 'bob' }).delete().returning('emoji'),
      ),
    ).resolves.toEqual([]);
    // The creator may remove others (and the app allows only that).
    const byCreator = await withUser(
      db,
      'alice',
      async (trx) =>
        (await trx('room_participants').where({ room_id: roomId, user_id: 'carol' }).delete().returning('user_id'))
          .length,
    );
    expect(byCreator).toBe(1);
  });
});
