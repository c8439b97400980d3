/** The first fenced code block in `lang` after the heading (a line of its own) in a Markdown text. */
export function readmeBlock(markdown: string, heading: string, lang: string): string {
  const at = markdown.split('\n').indexOf(heading);
  if (at < 0) throw new Error(`no heading "${heading}"`);
  const rest = markdown
    .split('\n')
    .slice(at + 1)
    .join('\n');
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(rest);
  if (!match?.[1]) throw new Error(`no \`\`\`${lang} block after "${heading}"`);
  return match[1];
}
