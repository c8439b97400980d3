// widget.js: the script-tag build. One minified classic script with Lit and the SDK's browser entry
// inside, plus rarely used parts as lazily loaded chunks (`widget-<name>-<hash>.js`, see
// scripts/lazy-chunks.mjs): only widget.js counts against the 30 KiB budget.
// esbuild compiles the TypeScript; terser then minifies the whole bundle (it packs ~2% tighter
// than esbuild's minifier, and every byte counts against the 30 KiB budget).
import { readFileSync } from 'node:fs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { lazyChunks } from './scripts/lazy-chunks.mjs';
import { minifyTemplates } from './scripts/minify-templates.mjs';
import { sizeReport } from './scripts/size.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const versionSource = readFileSync(new URL('./src/version.ts', import.meta.url), 'utf8');
if (!versionSource.includes(`'${pkg.version}'`)) {
  throw new Error(`src/version.ts does not say ${pkg.version} (package.json): update it`);
}

/** Browsers from 2022 on (class fields, `at()`, `findLast` in Chromium ≥ 97, Firefox ≥ 104, Safari ≥ 15.4). */
const TARGET = 'es2022';

export default {
  input: 'src/embed.ts',
  output: {
    dir: 'dist',
    // ES modules here; lazyChunks() turns the entry into a classic script.
    format: 'es',
    entryFileNames: 'widget.js',
    // Lazy chunks, named after their folder: widget-share-<hash>.js, widget-new-conversation-<hash>.js.
    chunkFileNames: (chunk) =>
      `widget-${chunk.facadeModuleId?.match(/[\\/]components[\\/]([\w-]+)[\\/]/)?.[1].replace('-button', '') ?? '[name]'}-[hash].js`,
    sourcemap: true,
  },
  plugins: [
    nodeResolve({
      // Never the `node` condition: the SDK's node entry pulls in `ws`. No `development` either:
      // Lit's dev build is bigger and warns in the console.
      exportConditions: ['browser', 'default'],
      browser: true,
      extensions: ['.ts', '.mjs', '.js'],
    }),
    minifyTemplates(),
    lazyChunks(),
    esbuild({ tsconfig: 'tsconfig.json', target: TARGET, minify: false, legalComments: 'none' }),
    terser({
      ecma: 2022,
      // Not `module` (the plugin's default for ES output): widget.js is a classic script whose
      // 'use strict' must stay. Every name lives inside a function anyway, so nothing is lost.
      module: false,
      compress: { passes: 2, pure_getters: true, unsafe_arrows: true },
      // The licence line goes on top of every file (Rollup's `banner` would end up inside the
      // wrappers lazyChunks() adds).
      format: {
        comments: false,
        preamble: `/*! @parley/widget ${pkg.version} | MIT | includes Lit (BSD-3-Clause) */`,
        ascii_only: false,
      },
    }),
    sizeReport(),
  ],
};
