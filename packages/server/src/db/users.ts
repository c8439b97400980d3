import type { User } from '@parley/sdk/protocol';
import { type Db, queryAs } from './database.js';
import { jsonAnswer } from './json-answer.js';

// SQL for the users table. Callers pass a transaction (RLS) or the root knex (seeding).

interface UserRow {
  id: string;
  name: string;
  avatar_url: string | null;
}

const COLUMNS = ['id', 'name', 'avatar_url'] as const;

function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, avatar_url: row.avatar_url };
}

export async function findUsersByIds(db: Db, ids: readonly string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  const rows = await queryAs<UserRow[]>(db('users').select(COLUMNS).whereIn('id', ids));
  return rows.map(toUser);
}

/**
 * Directory search: name prefix (case-insensitive) or exact id, without the
 * searcher (nobody starts a conversation with themselves). An empty query
 * lists the directory by name.
 */
export async function searchUsers(db: Db, query: string, limit: number, excludeId: string): Promise<User[]> {
  const q = query.trim().toLowerCase();
  const builder = db('users')
    .select(COLUMNS)
    .whereNot('id', excludeId)
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .limit(limit);
  if (q) {
    const prefix = q.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
    builder.where((w) => {
      w.whereRaw('lower(name) like ?', [prefix]).orWhere('id', query.trim());
    });
  }
  const rows = await queryAs<UserRow[]>(builder);
  return rows.map(toUser);
}

/**
 * Sign-in's write, one statement, its own transaction, as the user under RLS
 * (parley_sign_in, sql/018_connect.sql): inserts the user or refreshes name and
 * avatar from newer claims, skipping the write (and its WAL) when nothing changed.
 */
export async function signInUser(db: Db, user: User): Promise<User> {
  return jsonAnswer<User>(db, 'select parley_sign_in(?, ?, ?) as answer', [user.id, user.name, user.avatar_url]);
}
