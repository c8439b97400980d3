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
    roomId = (await server.request('POST', '/api/v1/rooms', { token: alice, body: { type: 'direct', user_ids: ['bob'] } })).body.id;
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
