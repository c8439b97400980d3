/**
 * What the deployment-file suites (the *.test.ts beside this) check against: the repository as it
 * is — manifests, README's configuration table, the server's source and defaults.
 *
 * The deployment files (Dockerfile, .dockerignore, compose.yaml, deploy/) are not built or run in
 * CI: there is no Docker engine or systemd there. The suites check what can be checked without one:
 * everything they name exists in the repository and agrees with README and the server, so a renamed
 * script, variable, route or file turns them red instead of breaking a deployment.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
export const exists = (file: string) => existsSync(path.join(ROOT, file));
export const posix = path.posix;

export const DEPLOYMENT_FILES = [
  'Dockerfile',
  '.dockerignore',
  'compose.yaml',
  'deploy/nginx.conf',
  'deploy/parley.service',
];

export type Manifest = {
  name: string;
  scripts?: Record<string, string>;
  bin?: Record<string, string>;
  workspaces?: string[];
  dependencies?: Record<string, string>;
};
export const manifest = (dir: string) => JSON.parse(read(posix.join(dir, 'package.json'))) as Manifest;
export const rootPkg = manifest('.');
export const workspaces = rootPkg.workspaces ?? [];
export const workspaceOf = (name: string) => workspaces.find((ws) => manifest(ws).name === name);
/** What `npm ci` reads: the lockfile and every workspace manifest. */
export const INSTALL_INPUTS = ['package.json', 'package-lock.json', ...workspaces.map((ws) => `${ws}/package.json`)];

/** Every file under `dir`, repository-relative, without installs and builds. */
export function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = posix.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : filesUnder(rel);
    return entry.isFile() ? [rel] : [];
  });
}

/** `## Heading` / `### Heading` section of README, up to the next heading of the same or a higher level. */
export function readmeSection(heading: string): string {
  const text = read('README.md');
  const start = text.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "${heading}"`);
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{2,${heading.indexOf(' ')}} `, 'm'));
  return end === -1 ? rest : rest.slice(0, end);
}

/** The variables in the first column of README's configuration table. */
export const documented = new Set(
  readmeSection('## Configuration')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!)),
);

/** The server's own source: what it reads, not its tests and test helpers. */
export const serverSourceFiles = filesUnder('packages/server/src').filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('/test-support/') && !f.endsWith('/testing.ts'),
);
export const serverSource = serverSourceFiles.map(read).join('\n');
/** Where every environment variable's default is written (zod: `NAME: int(default, min, max)`). */
export const envSchemaSource = read('packages/server/src/config/env-schema.ts');
export const cliSource = read('packages/server/src/cli.ts');

/** Why `name` is not a configuration variable (documented in README and read by the server), or null. */
export function variableProblem(name: string): string | null {
  if (!documented.has(name)) return `${name} is not in README's configuration table`;
  const readByServer = new RegExp(`\\b${name}\\b`).test(serverSource);
  if (!readByServer) return `${name} is documented but never read in packages/server/src`;
  return null;
}

/** `parley <command>` names the CLI dispatches (cli.ts `switch (command)`). */
export const cliCommands = new Set([...cliSource.matchAll(/^\s*case '([a-z][\w-]*)':/gm)].map((m) => m[1]!));

export function defaultOf(variable: string): number {
  const m = new RegExp(`\\b${variable}: int\\(([\\d_]+)`).exec(envSchemaSource);
  if (!m) throw new Error(`config/env-schema.ts has no integer default for ${variable}`);
  return Number(m[1]!.replaceAll('_', ''));
}
export const DEFAULT_PORT = defaultOf('PORT');
export const SHUTDOWN_DEADLINE_MS = Number(/SHUTDOWN_DEADLINE_MS = ([\d_]+)/.exec(cliSource)![1]!.replaceAll('_', ''));

/** `30s`, `1m30s`, `45` (seconds) → milliseconds: compose and systemd durations. */
export function durationMs(value: string): number {
  const parts = [...value.matchAll(/(\d+)\s*(ms|s|m|min|h)?/g)];
  if (!parts.length) throw new Error(`not a duration: ${value}`);
  const unit = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 } as const;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[(u ?? 's') as keyof typeof unit], 0);
}

export const norm = (p: string) => posix.normalize(p).replace(/\/$/, '') || '.';

export const serverBin = norm(
  posix.join(workspaceOf('@parley/server')!, manifest(workspaceOf('@parley/server')!).bin!['parley']!),
);
