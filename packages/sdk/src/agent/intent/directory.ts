import type { Room, User } from '../../protocol.js';
import type { RestClient } from '../../rest.js';

/**
 * What reading the directory needs from a client: the signed-in user, the user
 * search and the user's rooms. Every `AgentClient` is one.
 */
export interface DirectoryClient {
  rest: Pick<RestClient, 'me' | 'searchUsers' | 'listRooms'>;
}

/** The people and group rooms a name is held against; never the user themself. */
export interface Directory {
  users: User[];
  /** Group rooms only: people are found as users, with their direct room. */
  rooms: Room[];
  /** Every listed room, direct ones included (to find a person's existing direct room). */
  allRooms: Room[];
}

/** Rooms are matched among the most recent: the server has no room search. */
const ROOM_LIMIT = 100;
const USER_LIMIT = 50;

/**
 * Reads what the names could refer to: the people the server's search finds for
 * each first word (a case-insensitive name prefix, so it misses "Åsa" typed as
 * "asa"), plus everyone the user already shares a room with — which catches those
 * unaccented spellings for the people one usually writes to — and the group rooms.
 */
export async function readDirectory(client: DirectoryClient, firstWords: string[]): Promise<Directory> {
  const queries = new Set<string>();
  for (const word of firstWords) {
    const typed = word.toLowerCase();
    queries.add(typed);
    // Typed with accents, found without: a directory may hold "Jose" for "José".
    queries.add(typed.normalize('NFKD').replace(/\p{M}/gu, ''));
  }
  queries.delete('');
  const [me, searches, page] = await Promise.all([
    client.rest.me(),
    Promise.all([...queries].map((q) => client.rest.searchUsers(q, USER_LIMIT))),
    client.rest.listRooms({ limit: ROOM_LIMIT }),
  ]);
  const users = new Map<string, User>();
  for (const found of [...searches.flatMap((s) => s.users), ...page.rooms.flatMap((r) => r.participants)]) {
    if (found.id !== me.id && !users.has(found.id))
      users.set(found.id, { id: found.id, name: found.name, avatar_url: found.avatar_url });
  }
  return { users: [...users.values()], rooms: page.rooms.filter((r) => r.type === 'group'), allRooms: page.rooms };
}
