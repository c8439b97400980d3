import { describe, expect, it } from 'vitest';
import {
  EnvelopeError,
  generateKey,
  openContent,
  parseSealedContent,
  sealContent,
  unwrapKey,
  wrapKey,
} from '../../src/crypto/envelope.js';

const room = '7d7f3a4e-2f1b-4c3e-9d35-0c7a1f0e8b11';
const otherRoom = '1e0b6c1a-8a3e-4b8f-a0a9-6a4d7c0f2d22';
const message = '0b9f1a7e-5c2d-4e8b-9f3a-2d1c0e7b6a33';
const otherMessage = 'c3a1e2d4-7b6f-4a9e-8d2c-1f0e3b5a7c44';
const ctx = { roomId: room, messageId: message, keyVersion: 1 };

/** Parses and opens, as the codec does. */
function unseal(key: Buffer, context: typeof ctx, stored: string): string {
  const sealed = parseSealedContent(stored);
  if (!sealed) throw new Error('not sealed');
  return openContent(key, context, sealed);
}

function flipByteOfBody(sealed: string, at: number): string {
  const [prefix, version, nonce, body] = sealed.split(':');
  const bytes = Buffer.from(body!, 'base64');
  bytes[at] = bytes[at]! ^ 0x01;
  return [prefix, version, nonce, bytes.toString('base64')].join(':');
}

describe('message content sealing', () => {
  it('round-trips text, including non-ASCII and empty-looking whitespace', () => {
    const key = generateKey();
    for (const text of ['hello', 'Grüße 👋🏽 — 你好', ' \n ', 'x'.repeat(10_000)]) {
      const sealed = sealContent(key, ctx, text);
      expect(unseal(key, ctx, sealed)).toBe(text);
    }
  });

  it('names its key version and hides the plaintext', () => {
    const sealed = sealContent(generateKey(), { ...ctx, keyVersion: 7 }, 'meet me at noon');
    expect(sealed.startsWith('pe1:7:')).toBe(true);
    expect(parseSealedContent(sealed)?.keyVersion).toBe(7);
    expect(sealed).not.toContain('noon');
  });

  it('uses a fresh nonce per message: the same text seals differently', () => {
    const key = generateKey();
    const a = sealContent(key, ctx, 'same');
    const b = sealContent(key, ctx, 'same');
    expect(a).not.toBe(b);
    expect(a.split(':')[2]).not.toBe(b.split(':')[2]);
  });

  it('fails authentication when any byte of the ciphertext or tag is flipped', () => {
    const key = generateKey();
    const sealed = sealContent(key, ctx, 'transfer 100');
    const length = Buffer.from(sealed.split(':')[3]!, 'base64').length;
    for (const at of [0, length - 1]) {
      expect(() => unseal(key, ctx, flipByteOfBody(sealed, at))).toThrow(EnvelopeError);
    }
  });

  it('fails when moved to another message, another room or another key version', () => {
    const key = generateKey();
    const sealed = sealContent(key, ctx, 'bound to its place');
    const attempt = (c: typeof ctx) => {
      try {
        unseal(key, c, sealed);
        return 'opened';
      } catch (err) {
        return (err as EnvelopeError).reason;
      }
    };
    expect(attempt({ ...ctx, messageId: otherMessage })).toBe('authentication_failed');
    expect(attempt({ ...ctx, roomId: otherRoom })).toBe('authentication_failed');
    // Claiming another version in the string is caught by the AAD too.
    const relabelled = sealed.replace(/^pe1:1:/, 'pe1:2:');
    expect(() => unseal(key, { ...ctx, keyVersion: 2 }, relabelled)).toThrow(/authentication/);
  });

  it('fails with another key', () => {
    const sealed = sealContent(generateKey(), ctx, 'secret');
    expect(() => unseal(generateKey(), ctx, sealed)).toThrow(EnvelopeError);
  });

  it('treats text that is not in the sealed format as not sealed', () => {
    const sixteenBytes = Buffer.alloc(16, 1).toString('base64');
    for (const text of [
      'hello',
      'pe1:',
      'pe1:1:abc:def',
      `pe1:0:AAAAAAAAAAAAAAAA:${sixteenBytes}`, // version 0 does not exist
      'pe1:1:AAAAAAAAAAAAAAAA:AAAA', // shorter than a tag
      `pe1:1:AAAAAAAAAAAAAAAA:${sixteenBytes} and then words`, // not base64
    ]) {
      expect(parseSealedContent(text)).toBeNull();
    }
    expect(parseSealedContent(`pe1:1:AAAAAAAAAAAAAAAA:${sixteenBytes}`)).not.toBeNull();
  });
});

describe('room key wrapping', () => {
  const wctx = { roomId: room, keyVersion: 1, masterKeyVersion: 3 };

  it('round-trips a data key under the master key', () => {
    const master = generateKey();
    const dataKey = generateKey();
    expect(unwrapKey(master, wctx, wrapKey(master, wctx, dataKey)).equals(dataKey)).toBe(true);
  });

  it('refuses the wrong master key and a wrapped key moved to another room or master version', () => {
    const master = generateKey();
    const wrapped = wrapKey(master, wctx, generateKey());
    expect(() => unwrapKey(generateKey(), wctx, wrapped)).toThrow(EnvelopeError);
    expect(() => unwrapKey(master, { ...wctx, roomId: otherRoom }, wrapped)).toThrow(EnvelopeError);
    expect(() => unwrapKey(master, { ...wctx, masterKeyVersion: 4 }, wrapped)).toThrow(EnvelopeError);
  });
});
