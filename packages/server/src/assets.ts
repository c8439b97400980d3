import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// This file sits at the same depth in src/ and dist/, so one relative path serves tsx, vitest and compiled runs.
const PACKAGE_ROOT = new URL('../', import.meta.url);
const REPOSITORY_ROOT = new URL('../../../', import.meta.url);

/**
 * A directory of files the server reads at run time (migrations, the demo page). An installed
 * package carries a copy inside it (made when it is packed: scripts/package-files.mjs); a checkout
 * reads the repository's own, so there is one source of truth and nothing to keep in sync.
 */
export function assetDir(inPackage: string, inRepository: string): string {
  const packaged = fileURLToPath(new URL(`${inPackage}/`, PACKAGE_ROOT));
  return existsSync(packaged) ? packaged : fileURLToPath(new URL(`${inRepository}/`, REPOSITORY_ROOT));
}
