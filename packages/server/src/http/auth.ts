import type { Middleware } from 'koa';
import type { User } from '@parley/sdk/protocol';
import { verifyToken, type TokenClaims } from '../auth/tokens.js';
import type { JwtConfig } from '../config.js';
import type { UserService } from '../domain/users.js';
import { ParleyError } from '../errors.js';

/** What authenticated routes find in `ctx.state`. */
export interface AuthState {
  user: User;
  claims: TokenClaims;
}

/** Reads the bearer token from an Authorization header value. */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw new ParleyError('unauthorized', 'Send Authorization: Bearer <token>');
  return match[1]!;
}

/** Verifies the bearer token and upserts the caller; sets `ctx.state.user`. */
export function authMiddleware(jwt: JwtConfig, users: UserService): Middleware<AuthState> {
  return async (ctx, next) => {
    const claims = verifyToken(jwt, bearerToken(ctx.get('Authorization') || undefined));
    ctx.state.claims = claims;
    ctx.state.user = await users.signIn(claims);
    await next();
  };
}
