/**
 * Baseline (c), the database ceiling: `pgbench` inserting the row Parley stores per message into a
 * migrated scratch database (the real `chat_messages`, with its indexes and foreign keys), one
 * INSERT per transaction, fsync and synchronous_commit as the server has them (on here). A
 * `synchronous_commit=off` variant is labelled as such. pgbench runs pinned to the load-generator core.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOADGEN_CORE, pinned, runToEnd } from './processes.js';
import { createScratchDatabase } from './scratch-db.js';
import { migrateDatabase } from './targets.js';

export interface PgbenchRun {
  clients: number;
  synchronous_commit: 'on' | 'off';
  tps: number;
  latency_avg_ms: number;
}

export function findPgbench(): string | null {
  const fromEnv = process.env['PGBENCH'];
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const version of readdirSync(root).sort().reverse()) {
    const path = join(root, version, 'bin/pgbench');
    if (existsSync(path)) return path;
  }
  return null;
}

export async function runPgbench(
  adminUrl: string,
  seconds: number,
  contentLength: number,
  variants: Array<Omit<PgbenchRun, 'tps' | 'latency_avg_ms'>>,
): Promise<PgbenchRun[]> {
  const pgbench = findPgbench();
  if (!pgbench)
    throw new Error('pgbench not found (Debian: postgresql-<version> ships it in /usr/lib/postgresql/<version>/bin)');
  const database = await createScratchDatabase(adminUrl);
  const script = join(tmpdir(), `parley-pgbench-${randomBytes(4).toString('hex')}.sql`);
  try {
    await migrateDatabase(database.url);
    await database.query(`insert into users (id, name) values ('pgbench-sender', 'pgbench')`);
    const [room] = await database.query<{ id: string }>(
      `insert into chat_rooms (type, name, created_by) values ('group', 'pgbench', 'pgbench-sender') returning id`,
    );
    await database.query(`create sequence pgbench_seq`);
    // No ':' in the text: pgbench would read `:name` as one of its variables.
    const content = 'bm-0-'.padEnd(contentLength, 'x');
    writeFileSync(
      script,
      `insert into chat_messages (room_id, seq, sender_id, message_type, content, metadata, client_id) ` +
        `values ('${room!.id}', nextval('pgbench_seq'), 'pgbench-sender', 'text', '${content}', '{}', md5(random()::text));\n`,
    );
    const url = new URL(database.url);
    const results: PgbenchRun[] = [];
    for (const variant of variants) {
      const [command, args] = pinned(LOADGEN_CORE, pgbench, [
        '-n',
        '-M',
        'prepared',
        '-f',
        script,
        '-c',
        String(variant.clients),
        '-j',
        '1',
        '-T',
        String(seconds),
        '-h',
        url.hostname,
        '-p',
        url.port || '5432',
        '-U',
        decodeURIComponent(url.username || 'postgres'),
        database.name,
      ]);
      const env = { ...process.env, PGOPTIONS: `-c synchronous_commit=${variant.synchronous_commit}` };
      const output = await runToEnd(command, args, env);
      const tps = /tps = ([\d.]+)/.exec(output);
      const latency = /latency average = ([\d.]+) ms/.exec(output);
      if (!tps) throw new Error(`pgbench printed no tps:\n${output}`);
      results.push({ ...variant, tps: Math.round(Number(tps[1])), latency_avg_ms: latency ? Number(latency[1]) : NaN });
    }
    return results;
  } finally {
    rmSync(script, { force: true });
    await database.drop();
  }
}
