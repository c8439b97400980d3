import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { createDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { encryptExistingMessages } from './encrypt-existing.js';
import { generateMasterKey, parseMasterKey } from './master-key.js';
import { rotateMasterKey } from './rotate.js';

export const KEYS_USAGE = `  keys generate               print a new master key for MESSAGE_ENCRYPTION_MASTER_KEY
  keys rotate                 re-wrap every room key under a new master key; reads the new key from
                              MESSAGE_ENCRYPTION_MASTER_KEY and the current one from MESSAGE_ENCRYPTION_MASTER_KEY_OLD
  keys encrypt-existing [--batch-size N]
                              encrypt messages stored while encryption was off (resumable, in batches)
`;

export interface KeysCommandIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Stops encrypt-existing after the batch in progress (the CLI wires Ctrl-C to it). */
  signal?: AbortSignal;
  /** Use this database instead of opening one from DATABASE_URL / PARLEY_DATA_DIR (not closed). */
  db?: Knex;
}

/** `parley keys <subcommand>`; returns the exit code. Keys go in environment variables, never in arguments (shell history, `ps`). */
export async function runKeysCommand(args: string[], io: KeysCommandIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'generate':
      io.stdout(`${generateMasterKey()}\n`);
      io.stderr('Keep it secret and backed up: without it, encrypted messages cannot be read.\n');
      return 0;
    case 'rotate':
      return rotate(io);
    case 'encrypt-existing':
      return encryptExisting(rest, io);
    default:
      io.stderr(
        `${sub ? `Unknown keys command "${sub}"` : 'keys: missing command'}\n\nUsage: parley keys <command>\n\n${KEYS_USAGE}`,
      );
      return 1;
  }
}

function masterKeyFromEnv(io: KeysCommandIo, variable: string): Buffer | null {
  const value = io.env[variable]?.trim();
  if (!value) {
    io.stderr(`${variable} is not set\n`);
    return null;
  }
  try {
    return parseMasterKey(value, variable);
  } catch (err) {
    io.stderr(`${(err as Error).message}\n`);
    return null;
  }
}

async function withDatabase(io: KeysCommandIo, fn: (db: Knex) => Promise<number>): Promise<number> {
  if (io.db) return fn(io.db);
  // PGlite is single-process: a server on the same data directory must be stopped first.
  const db = createDatabase({
    databaseUrl: io.env['DATABASE_URL']?.trim() || null,
    dataDir: io.env['PARLEY_DATA_DIR']?.trim() || './.parley-data',
  });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function rotate(io: KeysCommandIo): Promise<number> {
  const newKey = masterKeyFromEnv(io, 'MESSAGE_ENCRYPTION_MASTER_KEY');
  const oldKey = masterKeyFromEnv(io, 'MESSAGE_ENCRYPTION_MASTER_KEY_OLD');
  if (!newKey || !oldKey) {
    io.stderr(
      'Usage: MESSAGE_ENCRYPTION_MASTER_KEY_OLD=<current key> MESSAGE_ENCRYPTION_MASTER_KEY=<new key> parley keys rotate\n',
    );
    return 1;
  }
  return withDatabase(io, async (db) => {
    const result = await rotateMasterKey(db, { oldKey, newKey }, (n) => io.stderr(`re-wrapped ${n} room keys…\n`));
    io.stdout(
      result.resumed
        ? `The new master key (version ${result.toVersion}) was already in place; re-wrapped ${result.rewrapped} leftover room key(s).\n`
        : `Rotated the master key from version ${result.fromVersion} to ${result.toVersion}: re-wrapped ${result.rewrapped} room key(s).\n`,
    );
    io.stdout('Restart every server with the new MESSAGE_ENCRYPTION_MASTER_KEY; the old key is no longer needed.\n');
    return 0;
  });
}

async function encryptExisting(args: string[], io: KeysCommandIo): Promise<number> {
  const { values } = parseArgs({ args, options: { 'batch-size': { type: 'string', default: '500' } }, strict: true });
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    io.stderr('keys encrypt-existing: --batch-size must be a whole number from 1 to 100000\n');
    return 1;
  }
  const key = masterKeyFromEnv(io, 'MESSAGE_ENCRYPTION_MASTER_KEY');
  if (!key) return 1;
  return withDatabase(io, async (db) => {
    const result = await encryptExistingMessages(db, key, {
      batchSize,
      ...(io.signal ? { signal: io.signal } : {}),
      onProgress: (p) => io.stderr(`${p.table}: encrypted ${p.done} (batch of ${p.batch})\n`),
    });
    io.stdout(`Encrypted ${result.messages} message(s) and ${result.events} room event(s).\n`);
    if (!result.complete) {
      io.stdout('Stopped before the end: run the same command again to continue where it left off.\n');
      return 130;
    }
    return 0;
  });
}
