import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/database.js';

const SECRET = 'a'.repeat(32);

describe('loadConfig', () => {
  it('applies safe defaults', () => {
    const config = loadConfig({ PARLEY_JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      dataDir: './.parley-data',
      allowedOrigins: [],
      messagingEnabled: true,
      messageMaxLength: 10_000,
      presenceHeartbeatSeconds: 25,
      presenceOfflineThresholdSeconds: 90,
      presenceGraceSeconds: 5,
      dbPoolMax: 10,
      demo: false,
      logLevel: 'info',
      jwt: { algorithm: 'HS256', secret: SECRET, issuer: null, audience: null },
    });
  });

  it('names the variable that has a bad value', () => {
    expect(() => loadConfig({ PARLEY_JWT_SECRET: SECRET, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PARLEY_JWT_SECRET: SECRET, MESSAGE_MAX_LENGTH: '0' })).toThrow(/MESSAGE_MAX_LENGTH/);
    expect(() => loadConfig({ PARLEY_JWT_SECRET: SECRET, MESSAGING_ENABLED: 'maybe' })).toThrow(/MESSAGING_ENABLED/);
    expect(() => loadConfig({ PARLEY_JWT_SECRET: SECRET, PARLEY_DEMO: 'yes please' })).toThrow(/PARLEY_DEMO/);
    expect(() => loadConfig({ PARLEY_JWT_SECRET: SECRET, PARLEY_ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(
      /PARLEY_ALLOWED_ORIGINS/,
    );
    expect(() => loadConfig({ PARLEY_JWT_SECRET: 'short' })).toThrow(/PARLEY_JWT_SECRET/);
    expect(() => loadConfig({ PARLEY_JWT_SECRET: SECRET, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('requires a key unless in demo mode, which signs with a development secret kept in the data directory', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-config-'));
    try {
      const warnings: string[] = [];
      const a = loadConfig({ PARLEY_DEMO: '1', PARLEY_DATA_DIR: dataDir }, warnings);
      const b = loadConfig({ PARLEY_DEMO: 'true', PARLEY_DATA_DIR: dataDir });
      expect(a.jwt).toMatchObject({ algorithm: 'HS256', development: true });
      // The same secret on every start (and for `parley token`), owner-only on disk.
      const secret = readFileSync(path.join(dataDir, 'dev-secret'), 'utf8').trim();
      expect(a.jwt.algorithm === 'HS256' && b.jwt.algorithm === 'HS256' && [a.jwt.secret, b.jwt.secret]).toEqual([
        secret,
        secret,
      ]);
      expect(statSync(path.join(dataDir, 'dev-secret')).mode & 0o777).toBe(0o600);
      expect(warnings.join()).toMatch(/PARLEY_JWT_SECRET is not set: demo mode signs with the development secret/);
      // Outside demo mode the file changes nothing: a missing secret stays an error.
      expect(() => loadConfig({ PARLEY_DATA_DIR: dataDir })).toThrow(ConfigError);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('pins RS256 or ES256 to a matching public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(loadConfig({ PARLEY_JWT_PUBLIC_KEY: rsa }).jwt.algorithm).toBe('RS256');
    expect(
      loadConfig({ PARLEY_JWT_PUBLIC_KEY: ec.replace(/\n/g, '\\n'), PARLEY_JWT_ALGORITHM: 'ES256' }).jwt.algorithm,
    ).toBe('ES256');
    expect(() => loadConfig({ PARLEY_JWT_PUBLIC_KEY: ec })).toThrow(/PARLEY_JWT_ALGORITHM/);
    expect(() => loadConfig({ PARLEY_JWT_PUBLIC_KEY: 'nope' })).toThrow(/PARLEY_JWT_PUBLIC_KEY/);
    expect(() => loadConfig({ PARLEY_JWT_PUBLIC_KEY: rsa, PARLEY_JWT_SECRET: SECRET })).toThrow(/not both/);
  });

  it('accepts a list of origins and the wildcard', () => {
    expect(
      loadConfig({ PARLEY_JWT_SECRET: SECRET, PARLEY_ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173' })
        .allowedOrigins,
    ).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(loadConfig({ PARLEY_JWT_SECRET: SECRET, PARLEY_ALLOWED_ORIGINS: '*' }).allowedOrigins).toEqual(['*']);
  });

  it('sizes the PostgreSQL pool from PARLEY_DB_POOL_MAX (1–1000)', async () => {
    expect(loadConfig({ PARLEY_JWT_SECRET: SECRET, PARLEY_DB_POOL_MAX: '25' }).dbPoolMax).toBe(25);
    for (const bad of ['0', '1001', 'ten', '2.5']) {
      expect(() => loadConfig({ PARLEY_JWT_SECRET: SECRET, PARLEY_DB_POOL_MAX: bad }), bad).toThrow(
        /PARLEY_DB_POOL_MAX/,
      );
    }
    // The pool really gets it (nothing connects: the pool opens connections on demand).
    const db = createDatabase({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', dataDir: ':memory:', dbPoolMax: 3 });
    try {
      expect(db.client.pool.max).toBe(3);
    } finally {
      await db.destroy();
    }
  });

  it('takes a presence grace period in whole seconds (0 turns it off, at most an hour)', () => {
    expect(loadConfig({ PARLEY_JWT_SECRET: SECRET, PRESENCE_GRACE_SECONDS: '0' }).presenceGraceSeconds).toBe(0);
    expect(loadConfig({ PARLEY_JWT_SECRET: SECRET, PRESENCE_GRACE_SECONDS: '30' }).presenceGraceSeconds).toBe(30);
    for (const bad of ['-1', '1.5', 'soon', '3601']) {
      expect(() => loadConfig({ PARLEY_JWT_SECRET: SECRET, PRESENCE_GRACE_SECONDS: bad }), bad).toThrow(
        /PRESENCE_GRACE_SECONDS/,
      );
    }
  });
});
