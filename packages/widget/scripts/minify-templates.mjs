// Rollup plugin: shrinks the text inside Lit templates, which esbuild's minifier leaves as is.
//  - css`…` in the widget's own sources: comments dropped, whitespace collapsed, no spaces around
//    `{ } ; ,` or after `:` (selectors never need a space before `:` or after one here).
//  - the finished bundle: a newline plus indentation becomes one newline. Outside template
//    literals a minified bundle has no newlines; inside them (HTML and CSS) a run of whitespace
//    with a newline renders exactly like one newline. (No template here has <pre> content.)

/** Minify the static text of one css`…` template (its `${…}` holes are identifiers). */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

export function minifyTemplates() {
  return {
    name: 'parley-minify-templates',
    transform(code, id) {
      if (!/[\\/]widget[\\/]src[\\/].*\.ts$/.test(id) || !code.includes('css`')) return null;
      // The body may hold escaped backticks (\` in a comment): match up to the first unescaped one.
      return {
        code: code.replace(/\bcss`((?:[^`\\]|\\[\s\S])*)`/g, (_, body) => `css\`${minifyCss(body)}\``),
        map: null,
      };
    },
    renderChunk(code) {
      return { code: code.replace(/\n[ \t]+/g, '\n'), map: null };
    },
  };
}
