import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copies, covers, dockerignore, dockerStages, type Instruction, type Stage } from './docker.js';
import {
  cliCommands,
  DEFAULT_PORT,
  exists,
  filesUnder,
  INSTALL_INPUTS,
  manifest,
  norm,
  posix,
  read,
  rootPkg,
  ROOT,
  serverBin,
  serverSourceFiles,
  variableProblem,
  workspaceOf,
  workspaces,
} from './repository.js';

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
