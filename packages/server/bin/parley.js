#!/usr/bin/env node
// The `parley` command. npm links bins when it installs, before `npm run build` makes dist/, so the
// bin is this committed file rather than dist/cli.js (which npm would skip while it does not exist).
// In a checkout that was never built it runs the TypeScript source through tsx (a dev dependency).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const source = new URL('../src/cli.ts', import.meta.url);
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('parley: not built: run `npm run build` (dist/cli.js is missing)\n');
    process.exit(1);
  }
  if (!existsSync(source)) {
    process.stderr.write('parley: not built: run `npm run build` (dist/cli.js is missing)\n');
    process.exit(1);
  }
  register();
  await import(source.href);
}
