/** Dockerfile and .dockerignore as the builder reads them: stages, their COPY instructions, the build context. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { norm, posix, ROOT } from './repository.js';

export type Instruction = { op: string; args: string };
export type Stage = { name: string; workdir: string; instructions: Instruction[] };

export function dockerStages(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (!pending && !line)) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const [, op, args] = /^(\w+)\s+([\s\S]*)$/.exec(pending + line)!;
    pending = '';
    const instruction = { op: op!.toUpperCase(), args: args!.trim() };
    if (instruction.op === 'FROM') {
      stages.push({ name: /\bAS\s+(\S+)/i.exec(args!)?.[1] ?? String(stages.length), workdir: '/', instructions: [] });
    } else {
      const stage = stages.at(-1)!;
      if (instruction.op === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, instruction.args);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** `landed`: where each source ends up, relative to the stage's WORKDIR. */
export type Copy = { from: string | null; sources: string[]; dest: string; landed: string[] };
export function copies(stage: Stage, until?: (i: Instruction) => boolean): Copy[] {
  const out: Copy[] = [];
  for (const i of stage.instructions) {
    if (until?.(i)) break;
    if (i.op !== 'COPY') continue;
    const words = i.args.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
    const paths = words.filter((w) => !w.startsWith('--'));
    const sources = paths.slice(0, -1);
    const rawDest = paths.at(-1)!;
    const dest = posix.relative(stage.workdir, posix.resolve(stage.workdir, rawDest)) || '.';
    const intoDir = rawDest.endsWith('/') || rawDest === '.' || sources.length > 1;
    // A directory's contents go to dest; a file goes into dest/ or becomes dest.
    const isDir = (source: string) =>
      from ? !posix.basename(source).includes('.') : statSync(path.join(ROOT, source)).isDirectory();
    const landed = sources.map((src) => (isDir(src) ? dest : intoDir ? posix.join(dest, posix.basename(src)) : dest));
    out.push({ from, sources, dest, landed });
  }
  return out;
}

/** Whether copying `source` brings `file` along (same file, or a directory holding it). */
export const covers = (source: string, file: string) => {
  const s = norm(source);
  return s === '.' || s === norm(file) || norm(file).startsWith(`${s}/`);
};

export const GLOB: Record<string, string> = { '**/': '(.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };
/** .dockerignore as the builder reads it: the last matching pattern wins; a pattern also matches a file's parents. */
export function dockerignore(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const glob = norm((negate ? l.slice(1) : l).replace(/^\/+/, ''));
      const source = glob
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) => GLOB[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
        .join('');
      return { negate, re: new RegExp(`^${source}$`) };
    });
  return (file) => {
    const parts = norm(file).split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let included = true;
    for (const rule of rules) if (prefixes.some((p) => rule.re.test(p))) included = rule.negate;
    return included;
  };
}
