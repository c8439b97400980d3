import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killNode, startNode, type NodeProcess } from '../src/test-support/node-process.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** `npx parley …` from the repository root, as README says, with `env` instead of the test's own settings. */
async function parley(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _db, PARLEY_JWT_SECRET: _secret, ...base } = process.env;
  try {
    const { stdout, stderr } = await run('npx', ['--no-install', 'parley', ...args], {
      cwd: REPO,
      env: { ...base, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the parley command', () => {
  let dir: string;
  let demo: NodeProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-cli-'));
  });
  afterAll(async () => {
    await killNode(demo);
    await rm(dir, { recursive: true, force: true });
  });

  it('is linked by npm install and has --help for every command', async () => {
    const top = await parley(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['serve', 'migrate', 'token', 'keys']) {
      expect(top.stdout).toContain(`  ${command}`);
      const help = await parley([command, '--help']);
      expect(help.code, `${command} --help`).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: parley ${command}\\n`));
    }
  });

  it('migrates with only the database settings', async () => {
    const migrated = await parley(['migrate'], { PARLEY_DATA_DIR: path.join(dir, 'migrate-only') });
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toMatch(/^Applied: 001_schema\.sql, /);
    expect(migrated.code).toBe(0);
  });

  it('signs, with nothing configured, tokens the running demo accepts', async () => {
    const dataDir = path.join(dir, 'demo');
    // No PARLEY_JWT_SECRET at all: the demo makes its development secret on first start.
    demo = await startNode('demo', { PARLEY_DEMO: '1', PARLEY_DATA_DIR: dataDir, PARLEY_JWT_SECRET: '' });
    expect(statSync(path.join(dataDir, 'dev-secret')).mode & 0o777).toBe(0o600);

    const minted = await parley(['token', '--sub', 'bot', '--name', 'Bot'], { PARLEY_DATA_DIR: dataDir });
    expect(minted.code).toBe(0);
    expect(minted.stderr).toContain('dev-secret');
    const me = await fetch(`${demo.url}/api/v1/me`, { headers: { authorization: `Bearer ${minted.stdout.trim()}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: 'bot', name: 'Bot' });
  }, 60_000); // PGlite's first start on a new directory

  it('refuses to sign without a secret, saying how to get one', async () => {
    const refused = await parley(['token', '--sub', 'bot'], { PARLEY_DATA_DIR: path.join(dir, 'nothing-here') });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/set PARLEY_JWT_SECRET .*npm start/);
  });
});
