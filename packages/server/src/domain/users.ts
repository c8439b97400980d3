import type { User } from '@parley/sdk/protocol';
import type { TokenClaims } from '../auth/tokens.js';
import { LruMap } from '../crypto/lru.js';
import * as users from '../db/users.js';
import { withUser } from '../db/with-user.js';
import type { ServiceDeps } from './deps.js';

export type UserService = ReturnType<typeof createUserService>;

/** How many users' last written claims a node remembers (the least recently seen are forgotten). */
const SIGNED_IN_CACHE_SIZE = 10_000;

export function createUserService({ db }: ServiceDeps) {
  /**
   * user id → the name and picture this node last wrote for them. Every REST
   * request and socket auth signs the caller in, and the claims almost never
   * change, so an unchanged pair skips the database (a transaction of its own)
   * altogether; a changed one, or a user this node has not seen (or has
   * forgotten), is upserted as before.
   */
  const written = new LruMap<string, { name: string; avatar_url: string | null }>(SIGNED_IN_CACHE_SIZE);
  return {
    /** The caller as described by their token, upserted so the directory knows them. */
    async signIn(claims: TokenClaims): Promise<User> {
      const user: User = { id: claims.sub, name: claims.name, avatar_url: claims.picture };
      const last = written.get(user.id);
      if (last && last.name === user.name && last.avatar_url === user.avatar_url) return user;
      const stored = await users.signInUser(db, user);
      written.set(user.id, { name: stored.name, avatar_url: stored.avatar_url });
      return stored;
    },

    /** Directory search for "new conversation" (the searcher is left out). */
    async search(userId: string, query: string, limit: number): Promise<User[]> {
      return withUser(db, userId, (trx) => users.searchUsers(trx, query, limit, userId));
    },
  };
}
