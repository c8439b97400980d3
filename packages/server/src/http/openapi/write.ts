/**
 * Regenerates docs/openapi.json from the zod schemas:
 *   npm run openapi -w @parley/server
 * test/openapi.test.ts fails while the checked-in file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from './document.js';
import { serverVersion } from './version.js';

export const OPENAPI_FILE = fileURLToPath(new URL('../../../../../docs/openapi.json', import.meta.url));

/** The document exactly as it is checked in (stable key order, trailing newline). */
export async function renderOpenApiFile(): Promise<string> {
  return `${JSON.stringify(buildOpenApiDocument(await serverVersion()), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(OPENAPI_FILE, await renderOpenApiFile());
  console.log(`wrote ${OPENAPI_FILE}`);
}
