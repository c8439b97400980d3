// Fails (exit 1) when the widget's source could turn text into markup or code, or set inline
// styles (which a strict CSP blocks): unsafeHTML, innerHTML/outerHTML assignment,
// insertAdjacentHTML, document.write, eval, new Function, <style> elements, style attributes.
// Tests and test helpers are exempt (they build hostile pages on purpose).
//   node scripts/check-html-sinks.mjs            (run by `npm test` before the browser tests)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../src', import.meta.url));

const SINKS = [
  [/unsafeHTML|unsafeSVG/, 'unsafeHTML/unsafeSVG renders strings as markup'],
  [/\.(inner|outer)HTML\s*[+]?=/, 'innerHTML/outerHTML assignment parses markup'],
  [/insertAdjacentHTML|createContextualFragment|DOMParser/, 'parses a string as markup'],
  [/document\.write/, 'document.write parses markup'],
  [/\beval\s*\(|new\s+Function\s*\(/, 'eval/new Function runs strings as code (and breaks CSP)'],
  [/<style[\s>]/, 'a <style> element is blocked by style-src without unsafe-inline'],
  [/\sstyle=["'$]|styleMap/, 'style attributes are blocked by style-src without unsafe-inline'],
];

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support') yield* sourceFiles(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      yield path;
    }
  }
}

export function findSinks(files = [...sourceFiles(root)]) {
  const problems = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [pattern, why] of SINKS) {
          if (pattern.test(line))
            problems.push(`${relative(process.cwd(), file)}:${i + 1}: ${why}\n    ${line.trim()}`);
        }
      });
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = findSinks();
  if (problems.length) {
    console.error(`HTML/script/style sinks in the widget source:\n${problems.join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('widget source: no unsafeHTML, innerHTML, eval or inline styles');
  }
}
