import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import type { JwtConfig } from '../config.js';
import { verifyToken } from './tokens.js';

const exp = () => Math.floor(Date.now() / 1000) + 60;
const base = { issuer: null, audience: null };

describe.each([
  ['RS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
] as const)('verifyToken with a %s public key', (algorithm, pair) => {
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const config: JwtConfig = { ...base, algorithm, publicKey: publicPem };

  it('accepts a token signed with the private key, every time (the key is prepared once)', () => {
    const token = jwt.sign({ sub: 'alice', name: 'Alice', exp: exp() }, pair.privateKey, { algorithm });
    expect(verifyToken(config, token)).toMatchObject({ sub: 'alice', name: 'Alice' });
    expect(verifyToken(config, token)).toMatchObject({ sub: 'alice' });
  });

  it('refuses an HS256 token whose secret is the public key (algorithm confusion) and alg none', () => {
    const confused = jwt.sign({ sub: 'mallory', exp: exp() }, publicPem, { algorithm: 'HS256' });
    expect(() => verifyToken(config, confused)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    const none = jwt.sign({ sub: 'mallory', exp: exp() }, '', { algorithm: 'none' });
    expect(() => verifyToken(config, none)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });
});

describe('verifyToken with an HS256 secret', () => {
  const config: JwtConfig = { ...base, algorithm: 'HS256', secret: 'a'.repeat(40), development: false };

  it('accepts its own tokens and refuses another secret, an expired token and HS512', () => {
    expect(verifyToken(config, jwt.sign({ sub: 'bob', exp: exp() }, 'a'.repeat(40)))).toMatchObject({ sub: 'bob' });
    expect(() => verifyToken(config, jwt.sign({ sub: 'bob', exp: exp() }, 'b'.repeat(40)))).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
    const expired = jwt.sign({ sub: 'bob', exp: Math.floor(Date.now() / 1000) - 10 }, 'a'.repeat(40));
    expect(() => verifyToken(config, expired)).toThrow(expect.objectContaining({ code: 'token_expired' }));
    const hs512 = jwt.sign({ sub: 'bob', exp: exp() }, 'a'.repeat(40), { algorithm: 'HS512' });
    expect(() => verifyToken(config, hs512)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });
});
