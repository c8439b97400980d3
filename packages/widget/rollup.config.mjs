// widget.js: the script-tag build. One minified IIFE with Lit and the SDK's browser entry inside.
import { readFileSync } from 'node:fs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { sizeReport } from './scripts/size.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const versionSource = readFileSync(new URL('./src/version.ts', import.meta.url), 'utf8');
if (!versionSource.includes(`'${pkg.version}'`)) {
  throw new Error(`src/version.ts does not say ${pkg.version} (package.json): update it`);
}

export default {
  input: 'src/embed.ts',
  output: {
    file: 'dist/widget.js',
    format: 'iife',
    sourcemap: true,
    banner: `/*! @parley/widget ${pkg.version} | MIT | includes Lit (BSD-3-Clause) */`,
  },
  plugins: [
    nodeResolve({
      // Never the `node` condition: the SDK's node entry pulls in `ws`. No `development` either:
      // Lit's dev build is bigger and warns in the console.
      exportConditions: ['browser', 'default'],
      browser: true,
      extensions: ['.ts', '.mjs', '.js'],
    }),
    esbuild({
      tsconfig: 'tsconfig.json',
      target: 'es2021',
      minify: true,
      legalComments: 'none',
    }),
    sizeReport(),
  ],
};
