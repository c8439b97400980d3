#!/usr/bin/env node
// prepack / postpack of each published package (run in the package's folder): copies in the files a
// package carries from elsewhere in the repository, and removes them again once the tarball is made,
// so the repository keeps one copy of each. `copy` also refuses to pack a package that was not built.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const REPOSITORY = path.resolve(import.meta.dirname, '..');

/** Per package: [from, relative to the repository root; to, relative to the package]. */
const CARRIED = {
  '@parley/sdk': [['LICENSE', 'LICENSE']],
  '@parley/widget': [['LICENSE', 'LICENSE']],
  '@parley/server': [
    ['LICENSE', 'LICENSE'],
    ['sql', 'sql'],
    ['examples/host-page/index.html', 'demo-page/index.html'],
    ['examples/host-page/demo.css', 'demo-page/demo.css'],
  ],
};

const [action] = process.argv.slice(2);
const { name } = JSON.parse(readFileSync('package.json', 'utf8'));
const carried = CARRIED[name];
if (!carried || (action !== 'copy' && action !== 'clean')) {
  console.error(`usage (in a package folder of ${Object.keys(CARRIED).join(', ')}): package-files.mjs copy|clean`);
  process.exit(1);
}
if (action === 'copy' && !existsSync('dist')) {
  console.error(`${name}: dist/ is missing: run \`npm run build\` at the repository root before packing`);
  process.exit(1);
}
for (const [from, to] of carried) {
  rmSync(to, { recursive: true, force: true });
  if (action === 'copy') cpSync(path.join(REPOSITORY, from), to, { recursive: true });
}
// Folders that held only carried files go too.
if (action === 'clean') {
  for (const dir of new Set(carried.map(([, to]) => path.dirname(to)))) {
    if (dir !== '.' && existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  }
}
