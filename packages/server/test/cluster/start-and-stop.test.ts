import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Message } from '@parley/sdk';
import { createDatabase } from '../../src/db/database.js';
import { DEFAULT_SQL_DIR, migrate } from '../../src/db/migrate.js';
import { createScratchDatabase, TEST_JWT_SECRET } from '../../src/testing.js';
import { killNode, startNode, type NodeProcess } from '../../src/test-support/node-process.js';
import { SdkClients } from '../../src/test-support/sdk-clients.js';
import { TcpProxy } from '../../src/test-support/tcp-proxy.js';
import { until } from '../../src/test-support/until.js';
import { clusterServices } from './services.js';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const services = clusterServices({ database: true });

/** `parley serve` expected to refuse to start: resolves with its exit code and what it wrote to stderr. */
function refusedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PARLEY_JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('start-up refusals', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('refuses a second server on the same PGlite directory with one clear line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-pglite-lock-'));
    const first = await startNode('first', { PARLEY_DATA_DIR: dir, DATABASE_URL: '' });
    cleanups.push(async () => {
      await killNode(first);
      await rm(dir, { recursive: true, force: true });
    });
    const second = await refusedStart({ PARLEY_DATA_DIR: dir, DATABASE_URL: '', PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain(
      `PGlite data directory ${dir} is in use by another Parley process (pid ${first.child.pid})`,
    );
    // The first one is unharmed.
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  }, 60_000); // PGlite's first start on a new directory runs initdb and every migration in WASM

  it('says in one line that the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as { port: number }).port;
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-port-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const refused = await refusedStart({ PORT: String(port), PARLEY_DATA_DIR: dir, DATABASE_URL: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      `parley: port ${port} on 127.0.0.1 is already in use; stop the other process or set PORT`,
    ]);
  }, 60_000);
});

describe.skipIf(!services)('nodes starting and stopping on PostgreSQL', () => {
  const nodes: NodeProcess[] = [];
  const clients = new SdkClients();
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    clients.destroyAll();
    for (const node of nodes) await killNode(node);
    for (const drop of drops) await drop();
  });

  it('two nodes starting together on an empty database both come up, and each migration is applied once', async () => {
    const database = await createScratchDatabase(services!.databaseUrl!, 'parley_boot');
    drops.push(() => database.drop());
    const env = { DATABASE_URL: database.url };
    nodes.push(...(await Promise.all([startNode('a', env), startNode('b', env)])));
    for (const node of nodes) expect((await fetch(`${node.url}/readyz`)).status).toBe(200);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ name: string; times: number }>(
      'select name, count(*)::int as times from knex_migrations group by name order by name',
    );
    await client.end();
    const files = (await readdir(DEFAULT_SQL_DIR)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
    expect(rows).toEqual(files.map((name) => ({ name, times: 1 })));
  });

  it('three migration runs at once on an empty database take turns instead of failing', async () => {
    const database = await createScratchDatabase(services!.databaseUrl!, 'parley_migrate');
    drops.push(() => database.drop());
    const dbs = [1, 2, 3].map(() => createDatabase({ databaseUrl: database.url, dataDir: ':memory:' }));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      const files = (await readdir(DEFAULT_SQL_DIR)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
      // One run applied everything; the others waited for it and found nothing to do.
      expect(applied.map((names) => names.length).sort((a, b) => a - b)).toEqual([0, 0, files.length]);
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
  });

  it('SIGTERM during a send storm: exits 0, acks only what is stored, and every send ends stored once', async () => {
    const database = await createScratchDatabase(services!.databaseUrl!, 'parley_sigterm');
    drops.push(() => database.drop());
    const env = { DATABASE_URL: database.url };
    let node = await startNode('stopping', env);
    nodes.push(node);
    const balancer = await TcpProxy.start(node.port);
    drops.push(() => balancer.close());

    const make = (user: string) => clients.make(user, balancer.url, { baseMs: 50, maxMs: 300 });
    const alice = make('alice');
    const bob = make('bob');
    await Promise.all([alice.connect(), bob.connect()]);
    const room = await alice.createGroupRoom('Storm', ['bob']);
    const closes: number[] = [];
    alice.on('connection.changed', ({ code }) => code !== undefined && closes.push(code));

    const acked: Message[] = [];
    const sends: Promise<Message>[] = [];
    const COUNT = 200;
    for (let i = 0; i < COUNT; i++) {
      const sender = i % 2 === 0 ? alice : bob;
      const sent = sender.sendMessage(room.id, `m${i}`);
      void sent.then((m) => acked.push(m));
      sends.push(sent);
      if (i === COUNT / 2) {
        await until(() => acked.length > 10, 'some acks before the signal');
        node.child.kill('SIGTERM');
        const code = await node.exited;
        expect(code).toBe(0);
        // Every ack the clients got before the node stopped names a row the database has.
        const stored = new Set(await storedIds(database.url, room.id));
        expect(acked.filter((m) => !stored.has(m.id))).toEqual([]);
        node = await startNode('next', env);
        nodes.push(node);
        balancer.retarget(node.port);
      }
    }
    await Promise.all(sends);
    expect(closes).toContain(1001);
    const stored = await storedContents(database.url, room.id);
    expect(stored.sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `m${i}`).sort());
    for (const client of [alice, bob]) {
      const own = client.stores.messages.getLatestValue().byRoom[room.id]?.messages ?? [];
      expect(own.filter((m) => m.status !== 'sent')).toEqual([]);
    }
  });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const storedIds = async (url: string, roomId: string) =>
  (await query<{ id: string }>(url, 'select id from chat_messages where room_id = $1', [roomId])).map((r) => r.id);

const storedContents = async (url: string, roomId: string) =>
  (
    await query<{ content: string }>(
      url,
      "select content from chat_messages where room_id = $1 and message_type <> 'system'",
      [roomId],
    )
  ).map((r) => r.content);
