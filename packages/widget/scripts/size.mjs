// Reports a bundle's size minified and min+gzip, against the widget.js budget (30 KiB gzip).
// Used as a Rollup plugin (`sizeReport()`) and from the command line: `node scripts/size.mjs dist/widget.js`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const BUDGET_GZIP_BYTES = 30 * 1024;

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

/** Rollup plugin: print each emitted chunk's size after writing it. */
export function sizeReport({ budget = BUDGET_GZIP_BYTES } = {}) {
  return {
    name: 'parley-size-report',
    writeBundle(options, bundle) {
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type === 'chunk') report(fileName, output.code, budget);
      }
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let ok = true;
  for (const file of process.argv.slice(2)) ok = report(file, readFileSync(file)) && ok;
  process.exitCode = ok ? 0 : 1;
}
