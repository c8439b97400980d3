// Rollup plugin: a classic-script entry (widget.js) with lazily loaded ES module chunks.
//
// Rollup's IIFE format cannot code-split, and an ES module entry would make hosts change their
// script tag. So Rollup builds ES modules and this plugin rewrites them after rendering:
//
//  - the entry chunk becomes a classic script: its body is wrapped in an arrow function that runs
//    at once (no globals, so loading it twice cannot clash), and its `export { a as b }` — what
//    the lazy chunks import from it (Lit, the base element, the SDK…) — becomes a private
//    object `{ b: a }` in that closure;
//  - each lazy chunk stays an ES module whose default export is a function of that object: its
//    `import { b as x } from './widget.js'` becomes `const { b: x } = shared` inside it, so Lit and
//    the rest are loaded once, by widget.js, and shared;
//  - `import('./chunk.js')` in the entry becomes `import(new URL('chunk.js', <widget.js's URL>))`
//    followed by the call that hands the shared object over. Dynamic `import()` works in classic
//    scripts, needs no `eval` or inline script (CSP `script-src <server>` is enough) and, being a
//    module fetch, needs CORS from a server on another origin than the page.
//
// Chunk names carry a content hash, so an old widget.js never loads a newer chunk whose shared
// object differs. The build fails on any output shape this rewrite does not handle.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const LOAD = '__parleyLoadChunk';
const SHARED = '__parleyShared';
const BASE = '__parleyBase';

/** `{ b: a }` source for export/import specifiers (`local as exported`). */
const objectPattern = (pairs) =>
  `{${pairs.map(([key, value]) => (key === value ? key : `${key}:${value}`)).join(',')}}`;

function specifierName(node) {
  return node.type === 'Literal' ? JSON.stringify(node.value) : node.name;
}

/** Top-level bindings of the entry that are `const`, functions or classes (safe to copy once). */
function constantBindings(program) {
  const names = new Set();
  for (const node of program.body) {
    if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && node.id) names.add(node.id.name);
    if (node.type === 'VariableDeclaration' && node.kind === 'const') {
      for (const d of node.declarations) if (d.id.type === 'Identifier') names.add(d.id.name);
    }
  }
  return names;
}

/** Replace [start, end) ranges of `code` (non-overlapping) with new text. */
function splice(code, edits) {
  let out = '';
  let at = 0;
  for (const { start, end, text } of edits.sort((a, b) => a.start - b.start)) {
    out += code.slice(at, start) + text;
    at = end;
  }
  return out + code.slice(at);
}

export function lazyChunks({ entryFileName = 'widget.js', chunkPattern = /^widget-[^/]+\.js(\.map)?$/ } = {}) {
  return {
    name: 'parley-lazy-chunks',

    renderDynamicImport({ format, targetChunk }) {
      if (format !== 'es') this.error('lazyChunks() needs output.format "es"');
      if (!targetChunk) this.error('lazyChunks(): dynamic import of something that is not a chunk of this build');
      return { left: `${LOAD}(`, right: ')' };
    },

    renderChunk(code, chunk) {
      const program = this.parse(code);
      if (chunk.isEntry) {
        if (chunk.fileName !== entryFileName)
          this.error(`lazyChunks(): one entry, ${entryFileName}, expected; got ${chunk.fileName}`);
        const constants = constantBindings(program);
        const pairs = [];
        const edits = [];
        for (const node of program.body) {
          if (node.type === 'ImportDeclaration')
            this.error(`lazyChunks(): the entry may not import chunks (${node.source.value})`);
          if (node.type === 'ExportNamedDeclaration' && !node.declaration && !node.source) {
            for (const s of node.specifiers) {
              const local = specifierName(s.local);
              // The lazy chunk gets a copy: a binding reassigned later would go stale there.
              if (!constants.has(local))
                this.error(`lazyChunks(): shared binding ${local} is not a top-level const, function or class`);
              pairs.push([specifierName(s.exported), local]);
            }
            edits.push({ start: node.start, end: node.end, text: '' });
          } else if (node.type.startsWith('Export')) {
            this.error(`lazyChunks(): unsupported ${node.type} in the entry`);
          }
        }
        const prelude =
          `'use strict';` +
          // currentScript is only set while the script first runs: capture the base URL now.
          `const ${BASE}=document.currentScript?.src||document.querySelector('script[src*="${entryFileName}"]')?.src||location.href;` +
          `const ${LOAD}=(path)=>import(new URL(path,${BASE}).href).then((chunk)=>chunk.default(${SHARED}));`;
        const body = splice(code, edits);
        return { code: `(()=>{${prelude}\n${body}\nconst ${SHARED}=${objectPattern(pairs)};})();\n`, map: null };
      }

      if (chunk.dynamicImports.length)
        this.error(`lazyChunks(): ${chunk.fileName} imports another chunk lazily (not supported)`);
      const imported = [];
      const exported = [];
      const edits = [];
      for (const node of program.body) {
        if (node.type === 'ImportDeclaration') {
          if (node.source.value !== `./${entryFileName}`)
            this.error(
              `lazyChunks(): ${chunk.fileName} imports ${node.source.value}; lazy chunks may import only ${entryFileName}`,
            );
          for (const s of node.specifiers) {
            if (s.type !== 'ImportSpecifier') this.error(`lazyChunks(): unsupported ${s.type} in ${chunk.fileName}`);
            imported.push([specifierName(s.imported), s.local.name]);
          }
          edits.push({ start: node.start, end: node.end, text: '' });
        } else if (node.type === 'ExportNamedDeclaration' && !node.declaration && !node.source) {
          for (const s of node.specifiers) exported.push([specifierName(s.exported), specifierName(s.local)]);
          edits.push({ start: node.start, end: node.end, text: '' });
        } else if (node.type.startsWith('Export')) {
          this.error(`lazyChunks(): unsupported ${node.type} in ${chunk.fileName}`);
        }
      }
      const body = splice(code, edits);
      return {
        code: `export default (${SHARED})=>{const ${objectPattern(imported)}=${SHARED};\n${body}\nreturn ${objectPattern(exported)};};\n`,
        map: null,
      };
    },

    /** Drop lazy chunks of earlier builds (their names carry old hashes). */
    writeBundle(options, bundle) {
      const dir = options.dir;
      for (const file of readdirSync(dir)) {
        if (chunkPattern.test(file) && !(file in bundle)) rmSync(join(dir, file));
      }
    },
  };
}
