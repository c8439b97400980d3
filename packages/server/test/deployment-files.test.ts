import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

/**
 * The deployment files (Dockerfile, .dockerignore, compose.yaml, deploy/) are not built or run in
 * CI: there is no Docker engine or systemd there. This checks what can be checked without one:
 * everything they name exists in the repository and agrees with README and the server, so a
 * renamed script, variable, route or file turns this red instead of breaking a deployment.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const exists = (file: string) => existsSync(path.join(ROOT, file));
const posix = path.posix;

const DEPLOYMENT_FILES = ['Dockerfile', '.dockerignore', 'compose.yaml', 'deploy/nginx.conf', 'deploy/parley.service'];

type Manifest = {
  name: string;
  scripts?: Record<string, string>;
  bin?: Record<string, string>;
  workspaces?: string[];
  dependencies?: Record<string, string>;
};
const manifest = (dir: string) => JSON.parse(read(posix.join(dir, 'package.json'))) as Manifest;
const rootPkg = manifest('.');
const workspaces = rootPkg.workspaces ?? [];
const workspaceOf = (name: string) => workspaces.find((ws) => manifest(ws).name === name);
/** What `npm ci` reads: the lockfile and every workspace manifest. */
const INSTALL_INPUTS = ['package.json', 'package-lock.json', ...workspaces.map((ws) => `${ws}/package.json`)];

/** Every file under `dir`, repository-relative, without installs and builds. */
function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = posix.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : filesUnder(rel);
    return entry.isFile() ? [rel] : [];
  });
}

/** `## Heading` / `### Heading` section of README, up to the next heading of the same or a higher level. */
function readmeSection(heading: string): string {
  const text = read('README.md');
  const start = text.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "${heading}"`);
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{2,${heading.indexOf(' ')}} `, 'm'));
  return end === -1 ? rest : rest.slice(0, end);
}

/** The variables in the first column of README's configuration table. */
const documented = new Set(
  readmeSection('## Configuration')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!)),
);

/** The server's own source: what it reads, not its tests and test helpers. */
const serverSourceFiles = filesUnder('packages/server/src').filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('/test-support/') && !f.endsWith('/testing.ts'),
);
const serverSource = serverSourceFiles.map(read).join('\n');
const configSource = read('packages/server/src/config.ts');
const cliSource = read('packages/server/src/cli.ts');

/** Why `name` is not a configuration variable (documented in README and read by the server), or null. */
function variableProblem(name: string): string | null {
  if (!documented.has(name)) return `${name} is not in README's configuration table`;
  const readByServer = new RegExp(`\\b${name}\\b`).test(serverSource);
  if (!readByServer) return `${name} is documented but never read in packages/server/src`;
  return null;
}

/** `parley <command>` names the CLI dispatches (cli.ts `switch (command)`). */
const cliCommands = new Set([...cliSource.matchAll(/^\s*case '([a-z][\w-]*)':/gm)].map((m) => m[1]!));

function defaultOf(variable: string): number {
  const m = new RegExp(`\\b${variable}: int\\(([\\d_]+)`).exec(configSource);
  if (!m) throw new Error(`config.ts has no integer default for ${variable}`);
  return Number(m[1]!.replaceAll('_', ''));
}
const DEFAULT_PORT = defaultOf('PORT');
const SHUTDOWN_DEADLINE_MS = Number(/SHUTDOWN_DEADLINE_MS = ([\d_]+)/.exec(cliSource)![1]!.replaceAll('_', ''));

/** `30s`, `1m30s`, `45` (seconds) → milliseconds: compose and systemd durations. */
function durationMs(value: string): number {
  const parts = [...value.matchAll(/(\d+)\s*(ms|s|m|min|h)?/g)];
  if (!parts.length) throw new Error(`not a duration: ${value}`);
  const unit = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 } as const;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[(u ?? 's') as keyof typeof unit], 0);
}

// --- Dockerfile -------------------------------------------------------------------------------

type Instruction = { op: string; args: string };
type Stage = { name: string; workdir: string; instructions: Instruction[] };

function dockerStages(text: string): Stage[] {
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
type Copy = { from: string | null; sources: string[]; dest: string; landed: string[] };
function copies(stage: Stage, until?: (i: Instruction) => boolean): Copy[] {
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

const norm = (p: string) => posix.normalize(p).replace(/\/$/, '') || '.';
/** Whether copying `source` brings `file` along (same file, or a directory holding it). */
const covers = (source: string, file: string) => {
  const s = norm(source);
  return s === '.' || s === norm(file) || norm(file).startsWith(`${s}/`);
};

const GLOB: Record<string, string> = { '**/': '(.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };
/** .dockerignore as the builder reads it: the last matching pattern wins; a pattern also matches a file's parents. */
function dockerignore(text: string): (file: string) => boolean {
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

/** What `npm ci` and `npm run build` read: manifests, the lockfile, tsconfigs (and what they extend and include), bundler configs and their relative imports. */
function buildInputs(): string[] {
  const inputs = new Set(['package.json', 'package-lock.json']);
  const addTsconfig = (file: string) => {
    if (inputs.has(file)) return;
    inputs.add(file);
    const text = read(file);
    const extended = /"extends":\s*"([^"]+)"/.exec(text)?.[1];
    if (extended?.startsWith('.')) addTsconfig(posix.join(posix.dirname(file), extended));
    const include = /"include":\s*\[([^\]]*)\]/.exec(text)?.[1] ?? '';
    for (const [, dir] of include.matchAll(/"([^"*]+)"/g)) {
      for (const f of filesUnder(posix.join(posix.dirname(file), dir!))) inputs.add(f);
    }
  };
  const addModule = (file: string) => {
    if (inputs.has(file)) return;
    inputs.add(file);
    // Import statements (not examples in comments) and files opened next to the module.
    const text = read(file);
    const specs = [
      ...text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*'(\.\.?\/[^']+)'/gm),
      ...text.matchAll(/new URL\('(\.\.?\/[^']+)',\s*import\.meta\.url\)/g),
    ];
    for (const [, spec] of specs) {
      addModule(posix.join(posix.dirname(file), spec!));
    }
  };
  for (const ws of workspaces) {
    inputs.add(posix.join(ws, 'package.json'));
    const build = manifest(ws).scripts?.['build'] ?? '';
    for (const [, cfg] of build.matchAll(/\btsc -p (\S+)/g)) addTsconfig(posix.join(ws, cfg!));
    for (const [, cfg] of build.matchAll(/\brollup -c (\S+)/g)) addModule(posix.join(ws, cfg!));
  }
  return [...inputs];
}

/** Files outside a package's dist that the server opens at run time by a path relative to its own module. */
function runtimeReads(): string[] {
  // Dev tools, never run in the image: `npm run openapi` writes docs/openapi.json from the source tree.
  const devOnly = new Set(['packages/server/src/http/openapi/write.ts']);
  // assets.ts only makes the roots of assetDir(inPackage, inRepository); the image keeps the repository's layout.
  const assetRoots = new Set(['packages/server/src/assets.ts']);
  const relative = serverSourceFiles
    .filter((f) => !devOnly.has(f) && !assetRoots.has(f))
    .flatMap((f) =>
      [...read(f).matchAll(/new URL\('(\.\.\/[^']+)', import\.meta\.url\)/g)].map((m) =>
        norm(posix.join(posix.dirname(f), m[1]!)),
      ),
    );
  const assets = serverSourceFiles.flatMap((f) =>
    [...read(f).matchAll(/assetDir\('[^']+', '([^']+)'\)/g)].map((m) => norm(m[1]!)),
  );
  return [...relative, ...assets];
}

const exec = (args: string) => JSON.parse(args) as string[];
const serverBin = norm(
  posix.join(workspaceOf('@parley/server')!, manifest(workspaceOf('@parley/server')!).bin!['parley']!),
);

describe('Dockerfile', () => {
  const stages = dockerStages(read('Dockerfile'));
  const build = stages[0]!;
  const runtime = stages.at(-1)!;
  const all = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op);
  const isNpm = (cmd: RegExp) => (i: Instruction) => i.op === 'RUN' && cmd.test(i.args);

  it('has a build stage and a runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(copies(runtime).some((c) => c.from === build.name)).toBe(true);
  });

  it('copies only files that exist, and .dockerignore lets them into the build context', () => {
    const sent = dockerignore(read('.dockerignore'));
    for (const stage of stages) {
      for (const source of copies(stage).flatMap((c) => (c.from ? [] : c.sources))) {
        expect(exists(source), `COPY ${source}: no such file`).toBe(true);
        if (statSync(path.join(ROOT, source)).isDirectory()) {
          expect(filesUnder(norm(source)).some(sent), `.dockerignore excludes all of ${source}`).toBe(true);
        } else {
          expect(sent(source), `.dockerignore excludes ${source}`).toBe(true);
        }
      }
    }
  });

  it('gives the build stage everything `npm ci` and `npm run build` read', () => {
    const sent = dockerignore(read('.dockerignore'));
    const install = build.instructions.findIndex(isNpm(/\bnpm ci\b/));
    const buildRun = build.instructions.findIndex(isNpm(/\bnpm run build\b/));
    expect(install, 'the build stage runs npm ci').toBeGreaterThan(-1);
    expect(buildRun, 'the build stage runs npm run build').toBeGreaterThan(install);
    const beforeInstall = copies(build, (i) => i === build.instructions[install]).flatMap((c) => c.sources);
    for (const file of INSTALL_INPUTS) {
      expect(
        beforeInstall.some((s) => covers(s, file)),
        `${file} is copied before npm ci`,
      ).toBe(true);
    }
    const beforeBuild = copies(build, (i) => i === build.instructions[buildRun]).flatMap((c) =>
      c.from ? [] : c.sources,
    );
    for (const file of buildInputs()) {
      expect(exists(file), `${file} (a build input) exists`).toBe(true);
      expect(sent(file), `.dockerignore excludes ${file}, which the build reads`).toBe(true);
      expect(
        beforeBuild.some((s) => covers(s, file)),
        `${file} is copied before npm run build`,
      ).toBe(true);
    }
  });

  it('installs only production dependencies in the runtime stage, from the lockfile and every manifest', () => {
    const install = runtime.instructions.findIndex(isNpm(/\bnpm ci\b.*--omit=dev/));
    expect(install, 'the runtime stage runs npm ci --omit=dev').toBeGreaterThan(-1);
    const before = copies(runtime, (i) => i === runtime.instructions[install]).flatMap((c) => c.sources);
    for (const file of INSTALL_INPUTS) {
      expect(
        before.some((s) => covers(s, file)),
        `${file} is copied before npm ci --omit=dev`,
      ).toBe(true);
    }
  });

  it('copies the built dist/ of the server and of every workspace package it depends on', () => {
    const fromBuild = copies(runtime).filter((c) => c.from === build.name);
    const copied = fromBuild.flatMap((c) => c.sources.map((s) => norm(posix.relative(build.workdir, s))));
    const needed = ['@parley/server', ...Object.keys(manifest(workspaceOf('@parley/server')!).dependencies ?? {})]
      .map(workspaceOf)
      .filter((ws): ws is string => ws !== undefined);
    expect(needed.length).toBeGreaterThan(1);
    for (const ws of needed) {
      const outDir = /"outDir":\s*"([^"]+)"/.exec(read(`${ws}/tsconfig.json`))?.[1];
      expect(outDir, `${ws}/tsconfig.json sets outDir`).toBeDefined();
      expect(copied, `the runtime stage copies ${ws}'s build output`).toContain(norm(posix.join(ws, outDir!)));
      expect(rootPkg.scripts?.['build'], `the root build script builds ${ws}`).toContain(`-w ${manifest(ws).name}`);
    }
    for (const source of copied) {
      expect(
        needed.some((ws) => source.startsWith(`${ws}/`)),
        `${source} is the build output of a package the server needs`,
      ).toBe(true);
    }
  });

  it('copies the files the server opens at run time outside its dist (migrations, demo page, its package.json)', () => {
    const runtimeCopies = copies(runtime);
    // The server finds them by paths relative to its modules, so the image keeps the repository's layout.
    for (const c of runtimeCopies.filter((c) => !c.from)) {
      expect(c.landed, `COPY ${c.sources.join(' ')} ${c.dest}`).toEqual(c.sources.map(norm));
    }
    const landed = runtimeCopies.flatMap((c) => c.landed);
    const reads = runtimeReads();
    expect(reads).toContain('sql');
    for (const file of reads) {
      expect(
        landed.some((l) => covers(l, file) || covers(file, l)),
        `${file} (read by the server) is copied into the image`,
      ).toBe(true);
    }
  });

  it('runs the parley CLI as a non-root user', () => {
    const [entrypoint] = all(runtime, 'ENTRYPOINT').map((i) => exec(i.args));
    const [cmd] = all(runtime, 'CMD').map((i) => exec(i.args));
    const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
    expect(argv[0]).toBe('node');
    expect(norm(posix.relative(runtime.workdir, posix.resolve(runtime.workdir, argv[1]!))), 'the parley bin').toBe(
      serverBin,
    );
    // The bin is a committed shim (it runs dist/cli.js): it is copied into the image, and what it runs is built.
    expect(exists(serverBin), `${serverBin} is in the repository`).toBe(true);
    expect(
      copies(runtime).some((c) => c.landed.some((l) => covers(l, serverBin))),
      `${serverBin} is copied`,
    ).toBe(true);
    expect(read(serverBin)).toContain("'../dist/cli.js'");
    expect(cliCommands, `parley ${argv[2]}`).toContain(argv[2]);
    const user = all(runtime, 'USER').at(-1)?.args;
    expect(user, 'USER').toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
  });

  it('exposes the default PORT and health-checks a real route on it', () => {
    expect(all(runtime, 'EXPOSE').map((i) => Number(i.args.split('/')[0]))).toEqual([DEFAULT_PORT]);
    const [healthcheck] = all(runtime, 'HEALTHCHECK');
    expect(healthcheck, 'HEALTHCHECK').toBeDefined();
    const argv = exec(healthcheck!.args.replace(/^(--\S+\s+)*CMD\s+/, ''));
    const script = argv.join(' ');
    expect(/process\.env\.PORT\s*\|\|\s*(\d+)/.exec(script)?.[1], 'the fallback port').toBe(String(DEFAULT_PORT));
    const routes = [...script.matchAll(/'(\/[a-z][\w/-]*)'/g)].map((m) => m[1]!);
    expect(routes).toEqual(['/readyz']);
    expect(read('packages/server/src/http/routes/health.ts')).toContain(`router.get('${routes[0]}'`);
  });

  it('sets only documented variables that the server reads', () => {
    const names = all(stages.at(-1)!, 'ENV').flatMap((i) => {
      expect(i.args, 'ENV in KEY=value form').toMatch(/^\w+=/);
      return [...i.args.matchAll(/(\w+)=("[^"]*"|\S*)/g)].map((m) => m[1]!);
    });
    expect(names.length).toBeGreaterThan(0);
    expect(names.map(variableProblem).filter(Boolean)).toEqual([]);
  });
});

// --- compose.yaml -----------------------------------------------------------------------------

/** Variables the third-party images read themselves (their own documentation, not README's). */
const IMAGE_VARIABLES: Record<string, RegExp> = { postgres: /^(POSTGRES_|PG)/, redis: /^REDIS_/, nginx: /^NGINX_/ };

type Service = {
  build?: string | { context: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  restart?: string;
  stop_grace_period?: string;
};

const envOf = (service: Service): Record<string, string> =>
  Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((kv) => [kv.split('=')[0]!, kv.slice(kv.indexOf('=') + 1)]))
    : Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));
const dependsOn = (service: Service): Record<string, string> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((name) => [name, 'service_started']))
    : Object.fromEntries(Object.entries(service.depends_on ?? {}).map(([k, v]) => [k, v.condition]));
const imageName = (service: Service) => service.image?.split(/[:@]/)[0]?.split('/').at(-1) ?? '';

describe('compose.yaml', () => {
  const text = read('compose.yaml');
  // `<<: *parley` merge keys: one definition for the migration job and the nodes.
  const compose = parseYaml(text, { merge: true }) as {
    services: Record<string, Service>;
    volumes?: Record<string, unknown>;
  };
  const services = Object.entries(compose.services);
  const parley = services.filter(([, s]) => s.build !== undefined);
  const isNode = (s: Service) => s.command === undefined || (s.command.length === 1 && s.command[0] === 'serve');
  const nodes = parley.filter(([, s]) => isNode(s));
  const migrate = parley.filter(([, s]) => s.command?.[0] === 'migrate');

  it('builds the Parley image from this repository for the migration job and two nodes', () => {
    for (const [, s] of parley) {
      const context = typeof s.build === 'string' ? s.build : s.build!.context;
      expect(exists(posix.join(context, 'Dockerfile')), `${context}/Dockerfile`).toBe(true);
      if (s.command) expect(cliCommands, `parley ${s.command[0]}`).toContain(s.command[0]);
    }
    expect(nodes.map(([name]) => name)).toHaveLength(2);
    expect(migrate).toHaveLength(1);
  });

  it('migrates once, before any node starts (nodes starting together race for the migration lock)', () => {
    const [migrateName, migrateService] = migrate[0]!;
    expect(migrateService.restart).toBe('no');
    for (const [name, node] of nodes) {
      expect(dependsOn(node)[migrateName], `${name} waits for ${migrateName}`).toBe('service_completed_successfully');
    }
    expect(envOf(migrateService)['DATABASE_URL']).toBe(envOf(nodes[0]![1])['DATABASE_URL']);
  });

  it('gives both nodes the same settings (the same database, Redis and token secret)', () => {
    const [a, b] = nodes.map(([, s]) => envOf(s));
    expect(Object.keys(a!).sort()).toEqual(Object.keys(b!).sort());
    expect(a).toEqual(b);
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'PARLEY_JWT_SECRET']) expect(Object.keys(a!)).toContain(key);
  });

  it('sets only documented variables that the server reads on Parley, and only image variables elsewhere', () => {
    const problems: string[] = [];
    for (const [name, s] of services) {
      for (const key of Object.keys(envOf(s))) {
        if (s.build !== undefined) {
          const problem = variableProblem(key);
          if (problem) problems.push(`${name}: ${problem}`);
        } else if (!IMAGE_VARIABLES[imageName(s)]?.test(key)) {
          problems.push(`${name}: ${key} is not a variable of the ${imageName(s)} image`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('commits no secret: every secret and every password in a URL comes from the environment, required', () => {
    for (const [name, s] of services) {
      for (const [key, value] of Object.entries(envOf(s))) {
        if (/SECRET|PASSWORD|PRIVATE|MASTER_KEY/.test(key)) {
          expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_][A-Z0-9_]*:\?[^}]*\}$/);
        }
        const password = /^\w+:\/\/[^/:@]+:([^@]+)@/.exec(value)?.[1];
        if (password) expect(password, `${name}.${key}'s password`).toMatch(/^\$\{[A-Z_][A-Z0-9_]*:\?[^}]*\}$/);
      }
    }
  });

  it('interpolates only documented Parley variables or variables of the images it runs', () => {
    const imageVars = new Set(services.flatMap(([, s]) => (s.build === undefined ? Object.keys(envOf(s)) : [])));
    for (const [, name] of text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)) {
      if (imageVars.has(name!)) continue;
      expect(variableProblem(name!), name).toBeNull();
    }
  });

  it('names only files, services and volumes that exist', () => {
    const names = new Set(services.map(([name]) => name));
    for (const [name, s] of services) {
      for (const target of Object.keys(dependsOn(s))) expect(names, `${name} depends on ${target}`).toContain(target);
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(exists(source), `${name} mounts ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes ?? {}), `${name}'s volume ${source}`).toContain(source);
      }
    }
  });

  it('waits for health only of services that have a health check', () => {
    const byName = new Map(services);
    for (const [name, s] of services) {
      for (const [target, condition] of Object.entries(dependsOn(s))) {
        if (condition !== 'service_healthy') continue;
        const t = byName.get(target)!;
        // Parley services have the image's HEALTHCHECK unless they disable it.
        const checked = t.healthcheck ? !t.healthcheck.disable : t.build !== undefined;
        expect(checked, `${name} waits for ${target} to be healthy`).toBe(true);
      }
    }
  });

  it('lets the nodes drain on SIGTERM before docker kills them', () => {
    for (const [name, node] of nodes) {
      expect(durationMs(node.stop_grace_period ?? '10s'), `${name}.stop_grace_period`).toBeGreaterThan(
        SHUTDOWN_DEADLINE_MS,
      );
    }
  });

  it('balances over exactly the nodes, on their port, with WebSocket upgrades (nginx)', () => {
    const [, nginx] = services.find(([, s]) => imageName(s) === 'nginx')!;
    const mount = nginx.volumes!.find((v) => v.split(':')[1] === '/etc/nginx/nginx.conf')!;
    const conf = read(mount.split(':')[0]!);
    const upstream = /upstream\s+\w+\s*\{([^}]*)\}/.exec(conf)![1]!;
    const servers = [...upstream.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((m) => [m[1], Number(m[2])]);
    expect(servers).toEqual(nodes.map(([name, s]) => [name, Number(envOf(s)['PORT'] ?? DEFAULT_PORT)]));
    expect(conf).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade;/);
    expect(conf).toMatch(/proxy_set_header\s+Connection\s+\$connection_upgrade;/);
    const readTimeout = /proxy_read_timeout\s+(\w+);/.exec(conf)?.[1];
    expect(durationMs(readTimeout ?? '60s')).toBeGreaterThan(defaultOf('PRESENCE_HEARTBEAT_SECONDS') * 1000);
  });
});

// --- deploy/parley.service --------------------------------------------------------------------

describe('deploy/parley.service', () => {
  const entries = read('deploy/parley.service')
    .split('\n')
    .filter((l) => /^\w+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);
  const values = (key: string) => entries.filter(([k]) => k === key).map(([, v]) => v);
  const one = (key: string) => {
    const [value, ...more] = values(key);
    expect(value, key).toBeDefined();
    expect(more, `one ${key}=`).toEqual([]);
    return value!;
  };
  const environment = Object.fromEntries(
    values('Environment').flatMap((v) =>
      v.split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  );

  it('starts `parley serve` from the installed repository as a non-root user', () => {
    const [node, script, command] = one('ExecStart').split(/\s+/);
    expect(posix.basename(node!)).toBe('node');
    expect(norm(posix.relative(one('WorkingDirectory'), script!))).toBe(serverBin);
    expect(cliCommands, `parley ${command}`).toContain(command);
    expect(['root', '0']).not.toContain(one('User'));
  });

  it('sets only documented variables that the server reads', () => {
    expect(Object.keys(environment).length).toBeGreaterThan(0);
    expect(Object.keys(environment).map(variableProblem).filter(Boolean)).toEqual([]);
  });

  it('keeps the PGlite directory writable under ProtectSystem=strict', () => {
    expect(one('ProtectSystem')).toBe('strict');
    expect(values('ReadWritePaths').flatMap((v) => v.split(/\s+/))).toContain(environment['PARLEY_DATA_DIR']);
  });

  it('restarts on failure and waits for the graceful shutdown on SIGTERM', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(durationMs(one('TimeoutStopSec'))).toBeGreaterThan(SHUTDOWN_DEADLINE_MS);
  });
});

// --- Across the files, comments included ------------------------------------------------------

describe('every deployment file, comments included', () => {
  const texts = DEPLOYMENT_FILES.map((file) => [file, read(file)] as const);
  // systemd's RestrictAddressFamilies= values: the only upper-case underscored words that are not variables.
  const NOT_VARIABLES = new Set(['AF_INET', 'AF_INET6', 'AF_UNIX']);
  const compose = parseYaml(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
  const imageVars = new Set(
    Object.values(compose.services).flatMap((s) => (s.build === undefined ? Object.keys(envOf(s)) : [])),
  );

  it('names only npm scripts that exist', () => {
    for (const [file, text] of texts) {
      for (const [, script] of text.matchAll(/\bnpm run ([\w:-]+)/g)) {
        expect(Object.keys(rootPkg.scripts ?? {}), `${file}: npm run ${script}`).toContain(script);
      }
    }
  });

  it('names only parley commands that exist', () => {
    for (const [file, text] of texts) {
      for (const [, command] of text.matchAll(/\bparley ([a-z][a-z-]*)\b/g)) {
        expect(cliCommands, `${file}: parley ${command}`).toContain(command);
      }
    }
  });

  it('names only configuration variables (documented and read) or the images’ own', () => {
    const problems: string[] = [];
    for (const [file, text] of texts) {
      for (const [name] of text.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) {
        if (NOT_VARIABLES.has(name) || imageVars.has(name)) continue;
        const problem = variableProblem(name);
        if (problem) problems.push(`${file}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('are described in README ("Deploying"), which links only files that exist', () => {
    const section = readmeSection('### Deploying');
    for (const file of ['Dockerfile', 'compose.yaml', 'deploy/parley.service']) {
      expect(section).toContain(`\`${file}\``);
    }
    expect(section).toMatch(/not built or run in CI/);
    for (const [, target] of section.matchAll(/\]\(([^)]+)\)/g)) {
      if (!/^https?:/.test(target!)) expect(exists(target!), `README links ${target}`).toBe(true);
    }
  });
});
