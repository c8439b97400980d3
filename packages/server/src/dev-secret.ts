import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where demo mode keeps its development signing secret: in the data directory, beside the PGlite files. */
export function devSecretPath(dataDir: string): string {
  return path.join(dataDir === ':memory:' ? './.parley-data' : dataDir, 'dev-secret');
}

/** The development secret, or null when demo mode never made one here. */
export function readDevSecret(dataDir: string): string | null {
  try {
    return readFileSync(devSecretPath(dataDir), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/**
 * The development secret, made once (owner-only) the first time demo mode starts without
 * PARLEY_JWT_SECRET: the running demo and `parley token` then sign and verify with the same one,
 * across restarts, with nothing to configure. Never used outside demo mode.
 */
export function ensureDevSecret(dataDir: string): string {
  const existing = readDevSecret(dataDir);
  if (existing) return existing;
  const file = devSecretPath(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch {
    // Another process made it first: use theirs.
    return readDevSecret(dataDir) ?? secret;
  }
}
