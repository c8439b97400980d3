// The packages as a user installs them: packed to tarballs, installed into a project of its own (no
// workspace links, no repository on the module path), then used as README says — the SDK snippet in
// Node, `npx parley` from the installed server, the widget bundled by a bundler.
import { mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, REPOSITORY, startParleyServe, type CliServer } from '../processes.test-helpers.js';
import { readmeBlock } from '../readme.test-helpers.js';

const SECRET = 'packaging-test-secret-of-at-least-32-chars';

/** A fresh ES-module project in `dir` with `specs` installed (tarballs or registry names), as a user would. */
async function installInto(dir: string, specs: string[]): Promise<void> {
  await run('npm', ['init', '-y'], { cwd: dir, mkdir: dir });
  await run('npm', ['pkg', 'set', 'type=module'], { cwd: dir });
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], { cwd: dir });
}

interface PackedFile {
  path: string;
}
interface Packed {
  name: string;
  filename: string;
  files: PackedFile[];
}

describe('the published packages, installed into a project of their own', () => {
  let work: string;
  let app: string;
  let packed: Record<string, Packed>;
  let server: CliServer | undefined;
  let serverUrl: string;
  const serverEnv = (extra: Record<string, string> = {}) => ({
    PARLEY_JWT_SECRET: SECRET,
    PARLEY_DATA_DIR: path.join(work, 'data'),
    LOG_LEVEL: 'warn',
    ...extra,
  });
  const parley = (args: string[], env: Record<string, string> = {}) =>
    run('npx', ['--no-install', 'parley', ...args], { cwd: app, env: serverEnv(env) });

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'parley-packed-'));
    const tarballs = path.join(work, 'tarballs');
    const { stdout } = await run(
      'npm',
      [
        'pack',
        '-w',
        '@parley/sdk',
        '-w',
        '@parley/widget',
        '-w',
        '@parley/server',
        '--json',
        '--pack-destination',
        tarballs,
      ],
      { cwd: REPOSITORY, mkdir: tarballs },
    );
    const list = JSON.parse(stdout) as Packed[];
    packed = Object.fromEntries(list.map((p) => [p.name, p]));
    app = path.join(work, 'app');
    // jsonwebtoken: what the backend snippet in README signs with; everything else comes with the packages.
    await installInto(app, ['jsonwebtoken@9', ...list.map((p) => path.join(tarballs, p.filename))]);
    server = await startParleyServe(app, serverEnv({ PARLEY_DEMO: '1' }));
    serverUrl = server.url;
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('packs each package with its licence, README, types and entry points, and nothing of its tests', () => {
    const files = (name: string) => packed[name]!.files.map((f) => f.path);
    for (const name of ['@parley/sdk', '@parley/widget', '@parley/server']) {
      expect(files(name)).toEqual(
        expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']),
      );
      expect(files(name).filter((f) => /\.test(-helpers)?\.|test-support\/|(^|\/)test\//.test(f))).toEqual([]);
    }
    expect(files('@parley/sdk')).toEqual(
      expect.arrayContaining(['dist/node.js', 'dist/protocol.d.ts', 'dist/agent/index.js']),
    );
    expect(files('@parley/widget')).toEqual(expect.arrayContaining(['dist/widget.js']));
    expect(files('@parley/server')).toEqual(
      expect.arrayContaining(['bin/parley.js', 'dist/cli.js', 'sql/001_schema.sql', 'demo-page/index.html']),
    );
    // The copies made for packing are gone again: the repository keeps one of each.
    expect(existsSync(path.join(REPOSITORY, 'packages/server/sql'))).toBe(false);
    expect(existsSync(path.join(REPOSITORY, 'packages/sdk/LICENSE'))).toBe(false);
  });

  it('installs the packages themselves, not links into the repository', async () => {
    for (const name of ['sdk', 'widget', 'server']) {
      const installed = path.join(app, 'node_modules/@parley', name);
      expect(await realpath(installed)).toBe(installed);
      expect(JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8'))).toMatchObject({
        name: `@parley/${name}`,
      });
    }
  });

  it('runs `npx parley` from the installed server: help, migrations from its own sql/, tokens', async () => {
    expect((await parley(['--help'])).stdout).toContain('Usage: parley <command>');
    const migrations = (await readdir(path.join(REPOSITORY, 'sql'))).filter((f) => f.endsWith('.sql')).sort();
    const fresh = await parley(['migrate'], { PARLEY_DATA_DIR: path.join(work, 'migrate-only') });
    expect(fresh.stdout.trim()).toBe(`Applied: ${migrations.join(', ')}`);
    const token = (await parley(['token', '--sub', 'carol', '--name', 'Carol'])).stdout.trim();
    const me = await fetch(`${serverUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ id: 'carol', name: 'Carol' });
  });

  it("serves the installed widget's script and the demo page", async () => {
    const widget = await fetch(`${serverUrl}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toContain('javascript');
    expect(await widget.text()).toContain('messaging-drawer');
    const page = await fetch(`${serverUrl}/?as=bob`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/widget.js');
  });

  it("runs README's SDK snippet in Node against the installed server", async () => {
    const snippet = readmeBlock(await readFile(path.join(REPOSITORY, 'README.md'), 'utf8'), '## Using the SDK', 'ts');
    // The package's own README (its npm page) shows the same snippet.
    expect(await readFile(path.join(app, 'node_modules/@parley/sdk/README.md'), 'utf8')).toContain(snippet);
    const bob = (await parley(['token', '--sub', 'bob', '--name', 'Bob'])).stdout.trim();
    await fetch(`${serverUrl}/api/v1/me`, { headers: { authorization: `Bearer ${bob}` } });
    const script = [
      'const fetchTokenFromMyBackend = async () => process.env.ALICE_TOKEN;',
      'const render = (rooms) => console.log(`rooms: ${rooms.length}`);',
      snippet.replace("'https://chat.example.com'", 'process.env.PARLEY_URL'),
      'client.destroy();',
    ].join('\n');
    await writeFile(path.join(app, 'snippet.mjs'), script);
    const alice = (await parley(['token', '--sub', 'alice', '--name', 'Alice'])).stdout.trim();
    const { stdout } = await run('node', ['snippet.mjs'], {
      cwd: app,
      env: { PARLEY_URL: serverUrl, ALICE_TOKEN: alice },
    });
    expect(stdout).toContain('alice Lunch at 12?');
    const rooms = (await (
      await fetch(`${serverUrl}/api/v1/rooms`, { headers: { authorization: `Bearer ${bob}` } })
    ).json()) as {
      rooms: { id: string; type: string }[];
    };
    const direct = rooms.rooms.find((r) => r.type === 'direct')!;
    const history = (await (
      await fetch(`${serverUrl}/api/v1/rooms/${direct.id}/messages`, { headers: { authorization: `Bearer ${bob}` } })
    ).json()) as { messages: { sender_id: string; content: string }[] };
    // Newest first; the demo seeds this room with Bob's own "Lunch at 12?" before it.
    expect(history.messages[0]).toMatchObject({ sender_id: 'alice', content: 'Lunch at 12?' });
  });

  it("accepts the token README's Node backend snippet signs", async () => {
    const snippet = readmeBlock(
      await readFile(path.join(REPOSITORY, 'README.md'), 'utf8'),
      '## From zero to embedded in your app',
      'js',
    );
    await writeFile(path.join(app, 'backend-token.mjs'), snippet);
    const check = [
      "import { parleyToken } from './backend-token.mjs';",
      "const token = parleyToken({ id: 42, name: 'Dana', avatarUrl: 'https://app.example.com/u/42.png' });",
      'const me = await fetch(`${process.env.PARLEY_URL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });',
      'console.log(JSON.stringify({ status: me.status, body: await me.json() }));',
    ].join('\n');
    await writeFile(path.join(app, 'backend-check.mjs'), check);
    const { stdout } = await run('node', ['backend-check.mjs'], {
      cwd: app,
      env: { PARLEY_URL: serverUrl, PARLEY_JWT_SECRET: SECRET },
    });
    expect(JSON.parse(stdout)).toEqual({
      status: 200,
      body: { id: '42', name: 'Dana', avatar_url: 'https://app.example.com/u/42.png' },
    });
  });

  it('says in one line to install ws when the SDK runs in Node without it', async () => {
    const bare = path.join(work, 'bare');
    await installInto(bare, [path.join(work, 'tarballs', packed['@parley/sdk']!.filename)]);
    expect(existsSync(path.join(bare, 'node_modules/ws'))).toBe(false);
    const imported = await run(
      'node',
      ['--input-type=module', '-e', "await import('@parley/sdk'); console.log('imported')"],
      { cwd: bare },
    );
    expect(imported.stdout.trim()).toBe('imported');
    const construct =
      "const { ParleyClient } = await import('@parley/sdk'); new ParleyClient({ url: 'http://x', getToken: () => 't' });";
    const failed = await run('node', ['--input-type=module', '-e', construct], { cwd: bare, allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('@parley/sdk needs the "ws" package in Node for its socket: npm install ws');
    expect(failed.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
  });

  it('bundles the widget from the installed package with its own dependencies', async () => {
    const entry = path.join(app, 'entry.js');
    await writeFile(entry, "import { defineAll } from '@parley/widget';\ndefineAll();\n");
    const bundle = await rollup({
      input: entry,
      plugins: [nodeResolve({ rootDir: app, browser: true, exportConditions: ['browser', 'default'] })],
      onwarn: () => undefined,
    });
    const modules = bundle.watchFiles;
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    expect(output[0].code).toContain('messaging-drawer');
    const outside = modules.filter((id) => !id.startsWith(app));
    expect(outside).toEqual([]);
    expect(modules.some((id) => id.includes(path.join('node_modules', '@parley', 'sdk')))).toBe(true);
    expect(modules.some((id) => id.includes(path.join('node_modules', 'lit')))).toBe(true);
  });
});
