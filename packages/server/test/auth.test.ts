import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../src/testing.js';

/** A token with `alg: none` (no signature), as an attacker would send it. */
function unsignedToken(payload: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
}

describe('REST authentication (HS256 pinned)', () => {
  let server: TestServer;
  const exp = () => Math.floor(Date.now() / 1000) + 600;

  beforeAll(async () => {
    server = await startTestServer({ backend: 'pglite' });
  });
  afterAll(() => server?.close());

  const me = (token?: string) => server.request('GET', '/api/v1/me', token ? { token } : {});

  it('accepts a valid token', async () => {
    expect((await me(server.mintToken({ sub: 'alice', name: 'Alice' }))).status).toBe(200);
  });

  it('answers 401 unauthorized without a token', async () => {
    const res = await me();
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('answers 401 token_expired for an expired token', async () => {
    const res = await me(server.mintToken({ sub: 'alice', ttl: -10 }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
  });

  it('rejects alg:none, other algorithms and other keys with 401 unauthorized', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const tokens = {
      none: unsignedToken({ sub: 'alice', exp: exp() }),
      hs512: jwt.sign({ sub: 'alice', exp: exp() }, TEST_JWT_SECRET, { algorithm: 'HS512' }),
      rs256: jwt.sign({ sub: 'alice', exp: exp() }, privateKey, { algorithm: 'RS256' }),
      otherSecret: jwt.sign({ sub: 'alice', exp: exp() }, 'another-secret-that-is-long-enough-0000', {
        algorithm: 'HS256',
      }),
      garbage: 'not.a.jwt',
    };
    for (const [name, token] of Object.entries(tokens)) {
      const res = await me(token);
      expect(res.status, name).toBe(401);
      expect(res.body.error.code, name).toBe('unauthorized');
    }
  });

  it('requires exp and a string sub', async () => {
    const noExp = jwt.sign({ sub: 'alice' }, TEST_JWT_SECRET, { algorithm: 'HS256' });
    const numericSub = jwt.sign({ sub: 42, exp: exp() }, TEST_JWT_SECRET, { algorithm: 'HS256' });
    const noSub = jwt.sign({ name: 'x', exp: exp() }, TEST_JWT_SECRET, { algorithm: 'HS256' });
    for (const token of [noExp, numericSub, noSub]) {
      expect((await me(token)).status).toBe(401);
    }
  });
});

describe('REST authentication with issuer and audience configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      backend: 'pglite',
      jwt: {
        algorithm: 'HS256',
        secret: TEST_JWT_SECRET,
        development: false,
        issuer: 'https://host.example',
        audience: 'parley',
      },
    });
  });
  afterAll(() => server?.close());

  it('accepts only tokens with the configured iss and aud', async () => {
    const good = server.mintToken({ sub: 'alice', iss: 'https://host.example', aud: 'parley' });
    const wrongIss = server.mintToken({ sub: 'alice', iss: 'https://evil.example', aud: 'parley' });
    const noAud = server.mintToken({ sub: 'alice', iss: 'https://host.example' });
    expect((await server.request('GET', '/api/v1/me', { token: good })).status).toBe(200);
    expect((await server.request('GET', '/api/v1/me', { token: wrongIss })).status).toBe(401);
    expect((await server.request('GET', '/api/v1/me', { token: noAud })).status).toBe(401);
  });
});
