import { createHmac, timingSafeEqual } from 'node:crypto';
import { generateKey, KEY_BYTES } from './envelope.js';

/**
 * The master key: 32 random bytes, given base64-encoded in
 * MESSAGE_ENCRYPTION_MASTER_KEY. It only wraps room data keys; it never
 * encrypts content itself, so rotating it rewrites one row per room.
 */

/** Why a master key string was refused; the message is safe to print (it never echoes the key). */
export function masterKeyProblem(value: string): string | null {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && !/^[A-Za-z0-9_-]+={0,2}$/.test(trimmed)) {
    return 'is not base64';
  }
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== KEY_BYTES) {
    return `must be ${KEY_BYTES} random bytes, base64-encoded (got ${bytes.length} bytes; make one with: parley keys generate)`;
  }
  return null;
}

/** Decodes a master key string; throws with {@link masterKeyProblem}'s reason. */
export function parseMasterKey(value: string, variable = 'MESSAGE_ENCRYPTION_MASTER_KEY'): Buffer {
  const problem = masterKeyProblem(value);
  if (problem) throw new Error(`${variable} ${problem}`);
  return Buffer.from(value.trim(), 'base64');
}

/** A new master key, base64-encoded, as `parley keys generate` prints it. */
export function generateMasterKey(): string {
  return generateKey().toString('base64');
}

const CHECK_LABEL = 'parley/master-key-check/v1';

/**
 * A key check value: HMAC-SHA256 of a constant under the master key. Stored
 * in encryption_meta so that a server started with the wrong key notices at
 * start-up (before it wraps anything with it); it reveals nothing about the key.
 */
export function masterKeyCheck(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update(CHECK_LABEL).digest('base64');
}

/** Whether `masterKey` is the key a stored check value was made from. */
export function matchesMasterKeyCheck(masterKey: Buffer, storedCheck: string): boolean {
  const expected = Buffer.from(masterKeyCheck(masterKey), 'base64');
  const stored = Buffer.from(storedCheck, 'base64');
  return stored.length === expected.length && timingSafeEqual(stored, expected);
}
