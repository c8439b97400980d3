import type { Knex } from 'knex';
import type { Message } from '@parley/sdk/protocol';
import type { Config } from '../../src/config.js';
import { generateMasterKey, parseMasterKey } from '../../src/crypto/master-key.js';
import { createDatabase } from '../../src/db/database.js';
import { pgliteOf } from '../../src/db/pglite-client.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { TestServer } from '../../src/testing.js';

/** A fresh master key as the server's config holds it. */
export const newMasterKey = (): Buffer => parseMasterKey(generateMasterKey());

/** Config overrides that turn encryption at rest on with `key`. */
export const encryptedWith = (key: Buffer): Partial<Config> => ({ encryptionAtRest: true, encryptionMasterKey: key });

/** Users exist once they have called the API. */
export async function signIn(server: TestServer, ...users: string[]): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const user of users) {
    tokens[user] = server.mintToken({ sub: user, name: user });
    const me = await server.request('GET', '/api/v1/me', { token: tokens[user] });
    if (me.status !== 200) throw new Error(`sign-in of ${user} failed: ${me.status}`);
  }
  return tokens;
}

export async function createGroup(
  server: Pick<TestServer, 'request'>,
  token: string,
  others: string[],
): Promise<string> {
  const res = await server.request('POST', '/api/v1/rooms', { token, body: { type: 'group', user_ids: others } });
  if (res.status !== 201) throw new Error(`room creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function send(
  server: Pick<TestServer, 'request'>,
  token: string,
  roomId: string,
  content: string,
  extra: Record<string, unknown> = {},
): Promise<Message> {
  const res = await server.request('POST', `/api/v1/rooms/${roomId}/messages`, { token, body: { content, ...extra } });
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A room's whole history, oldest first. */
export async function history(server: Pick<TestServer, 'request'>, token: string, roomId: string): Promise<Message[]> {
  const res = await server.request('GET', `/api/v1/rooms/${roomId}/messages?after=0&limit=100`, { token });
  if (res.status !== 200) throw new Error(`history failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.messages;
}

/** Stored content of messages, read straight from the table as its owner (what a database dump holds). */
export async function storedContents(db: Knex, roomIds: string[]): Promise<Map<string, string | null>> {
  const rows: { id: string; content: string | null }[] = await db('chat_messages')
    .whereIn('room_id', roomIds)
    .select('id', 'content');
  return new Map(rows.map((r) => [r.id, r.content]));
}

/** room_events data of rooms, as text, straight from the table. */
export async function storedEventText(db: Knex, roomIds: string[]): Promise<string> {
  const rows: { data: unknown }[] = await db('room_events').whereIn('room_id', roomIds).select('data');
  return rows.map((r) => JSON.stringify(r.data)).join('\n');
}

/** A server on the database of `server`, with other config (e.g. another master key). */
export interface SecondServer extends RunningServer {
  request: TestServer['request'];
}

/**
 * Starts another server on the same data as `server`: on PostgreSQL the same
 * scratch database; on PGlite (one in-memory handle per process) a copy of it
 * taken now. Rejects like `startServer` (e.g. on a wrong master key).
 */
export async function startOnSameData(server: TestServer, overrides: Partial<Config>): Promise<SecondServer> {
  const config: Config = { ...server.config, port: 0, ...overrides };
  let db: Knex | undefined;
  if (server.backend === 'pglite') {
    const dump = await pgliteOf(server.db).dumpDataDir('none');
    db = createDatabase({ databaseUrl: null, dataDir: ':memory:', pgliteTemplate: dump });
  }
  const running = await startServer(config, db ? { db } : {});
  return {
    ...running,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(running.url + path, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
  };
}
