// Size budgets, min+gzip: widget.js (Lit + SDK + widget) ≤ 30 KiB; the SDK's core entry alone ≤ 15 KiB.
// The lazy chunks next to widget.js (share picker, new-conversation flow) are listed, not budgeted:
// a page loads them only when that part is first used.
//   node scripts/size.mjs                 check both (widget: dist/widget.js; SDK: ../sdk/dist/index.js,
//                                         bundled and minified with esbuild for browsers); exit 1 over budget
//   node scripts/size.mjs <file>…         report files against the widget budget
// Also a Rollup plugin (`sizeReport()`) that prints widget.js's size after each build.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const BUDGET_GZIP_BYTES = 30 * 1024;
export const SDK_BUDGET_GZIP_BYTES = 15 * 1024;

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

export function measure(code) {
  const bytes = Buffer.byteLength(code);
  const gzip = gzipSync(code, { level: 9 }).length;
  return { bytes, gzip };
}

export function report(name, code, budget = BUDGET_GZIP_BYTES) {
  const { bytes, gzip } = measure(code);
  const verdict = gzip <= budget ? `within the ${kib(budget)} budget` : `OVER the ${kib(budget)} budget`;
  console.log(`${name}: ${kib(bytes)} min, ${kib(gzip)} min+gzip (${verdict})`);
  return gzip <= budget;
}

/** Lazy chunks (`widget-<name>-<hash>.js`) load on first use of their part: listed, not budgeted. */
export function reportLazy(name, code) {
  const { bytes, gzip } = measure(code);
  console.log(`  ${name}: ${kib(bytes)} min, ${kib(gzip)} min+gzip (lazy: loaded apart from widget.js)`);
}

/** Rollup plugin: print each emitted chunk's size after writing it. */
export function sizeReport({ budget = BUDGET_GZIP_BYTES } = {}) {
  return {
    name: 'parley-size-report',
    writeBundle(options, bundle) {
      const chunks = Object.values(bundle).filter((output) => output.type === 'chunk');
      for (const chunk of chunks) if (chunk.isEntry) report(chunk.fileName, chunk.code, budget);
      for (const chunk of chunks) if (!chunk.isEntry) reportLazy(chunk.fileName, chunk.code);
    },
  };
}

/** The SDK's browser entry as a host's bundler would ship it: bundled, minified, for browsers. */
export async function bundleSdk(entry = here('../../sdk/dist/index.js')) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2021',
    legalComments: 'none',
    logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

async function checkBudgets() {
  const widget = here('../dist/widget.js');
  const sdk = here('../../sdk/dist/index.js');
  for (const [file, build] of [
    [widget, 'npm run build -w @parley/widget'],
    [sdk, 'npm run build -w @parley/sdk'],
  ]) {
    if (!existsSync(file)) {
      console.error(`${file} is missing: run \`${build}\` first`);
      return false;
    }
  }
  // What every page loads; the lazy chunks next to it only when their part is first used.
  const widgetOk = report('widget.js (Lit + SDK + widget)', readFileSync(widget), BUDGET_GZIP_BYTES);
  const dist = dirname(widget);
  for (const file of readdirSync(dist)
    .filter((f) => /^widget-.+\.js$/.test(f))
    .sort())
    reportLazy(file, readFileSync(join(dist, file)));
  const sdkOk = report('@parley/sdk core entry', await bundleSdk(sdk), SDK_BUDGET_GZIP_BYTES);
  return widgetOk && sdkOk;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  let ok = true;
  if (files.length === 0) ok = await checkBudgets();
  else for (const file of files) ok = report(file, readFileSync(file)) && ok;
  process.exitCode = ok ? 0 : 1;
}
