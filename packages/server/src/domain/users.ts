import type { User } from '@parley/sdk/protocol';
import type { TokenClaims } from '../auth/tokens.js';
import * as users from '../db/users.js';
import { withUser } from '../db/with-user.js';
import type { ServiceDeps } from './deps.js';

export type UserService = ReturnType<typeof createUserService>;

export function createUserService({ db }: ServiceDeps) {
  return {
    /** The caller as described by their token, upserted so the directory knows them. */
    async signIn(claims: TokenClaims): Promise<User> {
      const user: User = { id: claims.sub, name: claims.name, avatar_url: claims.picture };
      return withUser(db, claims.sub, (trx) => users.upsertUser(trx, user));
    },

    /** Directory search for "new conversation" (the searcher is left out). */
    async search(userId: string, query: string, limit: number): Promise<User[]> {
      return withUser(db, userId, (trx) => users.searchUsers(trx, query, limit, userId));
    },
  };
}
