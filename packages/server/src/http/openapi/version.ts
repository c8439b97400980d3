import { readFile } from 'node:fs/promises';

/** The server package's version (the API document's `info.version`); same relative path from src/ and dist/. */
export async function serverVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
