import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/crypto/lru.js';
import {
  generateMasterKey,
  masterKeyCheck,
  masterKeyProblem,
  matchesMasterKeyCheck,
  parseMasterKey,
} from '../../src/crypto/master-key.js';

describe('master key', () => {
  it('generates 32 random bytes, base64', () => {
    const a = generateMasterKey();
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(masterKeyProblem(a)).toBeNull();
    expect(generateMasterKey()).not.toBe(a);
  });

  it('refuses short, long and non-base64 keys without echoing them', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(masterKeyProblem(short)).toMatch(/32 random bytes.*got 16 bytes/);
    expect(masterKeyProblem(Buffer.alloc(48).toString('base64'))).toMatch(/got 48 bytes/);
    expect(masterKeyProblem('not a key!')).toBe('is not base64');
    expect(() => parseMasterKey(short)).toThrow(/^MESSAGE_ENCRYPTION_MASTER_KEY must be/);
    expect(() => parseMasterKey(short)).not.toThrow(short);
  });

  it('has a check value that matches only the same key', () => {
    const key = parseMasterKey(generateMasterKey());
    const check = masterKeyCheck(key);
    expect(matchesMasterKeyCheck(key, check)).toBe(true);
    expect(matchesMasterKeyCheck(parseMasterKey(generateMasterKey()), check)).toBe(false);
    expect(matchesMasterKeyCheck(key, 'garbage')).toBe(false);
    expect(check).not.toContain(key.toString('base64'));
  });
});

describe('LruMap (the unwrapped room key cache)', () => {
  it('forgets the least recently used entry beyond its capacity', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now more recent than b
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });
});
