// The first hour, as README tells it: the demo started with nothing configured, a token minted in
// another shell with `npx parley token`, and the example bot answering `!ping` with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message, Room } from '@parley/sdk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, REPOSITORY, startParleyServe, type CliServer } from '../processes.test-helpers.js';

describe('examples/node-bot against the demo, with a token from `npx parley token`', () => {
  let dataDir: string;
  let demo: CliServer;
  let bot: ChildProcess | undefined;
  let botOutput = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bot-'));
    // No PARLEY_JWT_SECRET: demo mode makes its development secret, and `parley token` finds it.
    demo = await startParleyServe(REPOSITORY, { PARLEY_DEMO: '1', PARLEY_DATA_DIR: dataDir });
  }, 120_000);

  afterAll(async () => {
    bot?.kill('SIGINT');
    await demo?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers !ping in a direct room Alice opens with it', async () => {
    const minted = await run('npx', ['--no-install', 'parley', 'token', '--sub', 'bot', '--name', 'Bot'], {
      cwd: REPOSITORY,
      env: { PARLEY_DATA_DIR: dataDir },
    });
    const token = minted.stdout.trim();
    expect(token.split('.')).toHaveLength(3);

    bot = spawn('node', ['examples/node-bot/bot.mjs'], {
      cwd: REPOSITORY,
      env: { ...process.env, PARLEY_URL: demo.url, PARLEY_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stdout!.on('data', (chunk: Buffer) => (botOutput += chunk.toString()));
    bot.stderr!.on('data', (chunk: Buffer) => (botOutput += chunk.toString()));
    await expect.poll(() => botOutput, { timeout: 20_000 }).toContain('[bot] signed in as Bot (bot)');

    const alice = ((await (await fetch(`${demo.url}/demo/token?as=alice`)).json()) as { token: string }).token;
    const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${demo.url}/api/v1${route}`, {
        method,
        headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(response.ok, `${method} ${route}: ${response.status}`).toBe(true);
      return (await response.json()) as T;
    };
    const room = await api<Room>('POST', '/rooms', { type: 'direct', user_ids: ['bot'] });
    await api('POST', `/rooms/${room.id}/messages`, { content: '!ping' });

    const answers = async () =>
      (await api<{ messages: Message[] }>('GET', `/rooms/${room.id}/messages`)).messages
        .filter((m) => m.sender_id === 'bot')
        .map((m) => m.content);
    await expect.poll(answers, { timeout: 20_000 }).toEqual(['pong']);
  });
});
