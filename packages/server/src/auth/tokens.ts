import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { JwtConfig } from '../config.js';
import { ParleyError } from '../errors.js';

/** What Parley reads from a host-signed token. */
export interface TokenClaims {
  sub: string;
  name: string;
  picture: string | null;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(255),
  name: z.string().max(200).optional(),
  picture: z.string().max(2048).optional().nullable(),
  exp: z.number(),
});

/**
 * Verifies a bearer token; used by REST and the socket alike. The algorithm
 * list is pinned from configuration, so `alg: none`, HS/RS confusion and any
 * other algorithm fail signature verification. `exp` is required.
 */
export function verifyToken(config: JwtConfig, token: string): TokenClaims {
  const key = verificationKey(config);
  let payload: unknown;
  try {
    payload = jwt.verify(token, key, {
      algorithms: [config.algorithm],
      ...(config.issuer ? { issuer: config.issuer } : {}),
      ...(config.audience ? { audience: config.audience } : {}),
    });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new ParleyError('token_expired', 'Token expired', { cause: err });
    throw new ParleyError('unauthorized', 'Invalid token', { cause: err });
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    throw new ParleyError('unauthorized', 'Token needs a string `sub` and an `exp`');
  }
  const { sub, name, picture, exp } = claims.data;
  return { sub, name: name?.trim() || sub, picture: picture ?? null, exp };
}

const keys = new WeakMap<JwtConfig, KeyObject>();

/**
 * The verification key as a KeyObject, made once per configuration. Given a string, jsonwebtoken
 * first tries `createPublicKey` on it for every verify (and, for an HS256 secret, fails and falls
 * back): a profile of the reconnect benchmark showed that as the largest single cost of
 * authenticating. jsonwebtoken still checks the key type against the pinned algorithm.
 */
function verificationKey(config: JwtConfig): KeyObject {
  let key = keys.get(config);
  if (!key) {
    key =
      config.algorithm === 'HS256' ? createSecretKey(Buffer.from(config.secret)) : createPublicKey(config.publicKey);
    keys.set(config, key);
  }
  return key;
}

export interface SignOptions {
  /** Lifetime in seconds (default one hour). */
  ttlSeconds?: number;
  /** Private key (PEM) when the configuration is RS256/ES256. */
  privateKey?: string;
}

/**
 * Signs a token the way a host app would: for the CLI, demo mode and tests.
 * With RS256/ES256 the server holds only the public key, so a private key
 * must be supplied.
 */
export function signToken(
  config: JwtConfig,
  claims: { sub: string; name?: string; picture?: string | null; [claim: string]: unknown },
  options: SignOptions = {},
): string {
  const key = config.algorithm === 'HS256' ? config.secret : options.privateKey;
  if (!key) {
    throw new ParleyError(
      'bad_request',
      `Cannot sign ${config.algorithm} tokens: only PARLEY_JWT_PUBLIC_KEY is configured; the host app signs with its private key`,
    );
  }
  return jwt.sign(claims, key, {
    algorithm: config.algorithm,
    expiresIn: options.ttlSeconds ?? 3600,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  });
}
