#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { signToken } from './auth/tokens.js';
import { ConfigError, loadConfig, loadDatabaseConfig, loadSigningConfig, type Config } from './config.js';
import { devSecretPath, readDevSecret } from './dev-secret.js';
import { KEYS_USAGE, runKeysCommand } from './crypto/keys-command.js';
import { createDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { StartupError } from './startup-error.js';

const HELP: Record<string, string> = {
  serve: `  serve                       start the server (configured by environment variables: see README,
                              "Configuration"); PARLEY_DEMO=1 adds the demo page and its token route
`,
  migrate: `  migrate                     apply sql/ migrations to DATABASE_URL (or the PGlite directory
                              PARLEY_DATA_DIR) and exit; needs only the database settings
`,
  token: `  token --sub ID [--name N] [--picture URL] [--ttl SECONDS]
                              print a token signed with PARLEY_JWT_SECRET (HS256 only), or without it
                              with the demo's development secret (<PARLEY_DATA_DIR>/dev-secret)
`,
  keys: KEYS_USAGE,
};

const USAGE = `Usage: parley <command> [--help]

${Object.values(HELP).join('')}`;

const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

/** Longer than the server's own grace for requests and close handshakes, shorter than a typical SIGKILL grace (30 s). */
const SHUTDOWN_DEADLINE_MS = 20_000;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command && command in HELP && wantsHelp(rest)) {
    process.stdout.write(`Usage: parley ${command}\n\n${HELP[command]}`);
    return 0;
  }
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate':
      return runMigrate();
    case 'token':
      return token(rest);
    case 'keys':
      return keys(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

function config(): { config: Config; warnings: string[] } {
  const warnings: string[] = [];
  return { config: loadConfig(process.env, warnings), warnings };
}

async function serve(): Promise<number> {
  const { config: cfg, warnings } = config();
  const logger = createLogger(cfg.logLevel);
  for (const w of warnings) logger.warn(w);
  const server = await startServer(cfg, { logger });
  logger.info(
    { url: server.url, database: cfg.databaseUrl ? 'postgres' : `pglite:${cfg.dataDir}` },
    'parley listening',
  );
  if (cfg.demo) {
    logger.warn('PARLEY_DEMO is on: anyone can get a token. Never enable it in production.');
    logger.info(`Demo: open ${server.url}/?as=alice and ${server.url}/?as=bob in two windows`);
  }
  // SIGTERM (orchestrators, load balancer drains) and SIGINT: stop accepting, close sockets with
  // 1001 so clients reconnect to another node, let in-flight writes commit, close the pool.
  // Never settles: the process exits from the signal handler.
  return new Promise<number>(() => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      // A second signal, or a shutdown stuck past the deadline, ends the process at once.
      process.once('SIGINT', () => process.exit(1));
      process.once('SIGTERM', () => process.exit(1));
      setTimeout(() => {
        logger.error({ afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting');
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
      // Exit as soon as the close is done rather than when the event loop drains: everything that
      // matters (sockets, writes in flight, presence, bus, pool) is closed by then, and a straggling
      // handle — a client library's retry timer — must not hold the process until the deadline
      // turns a clean shutdown into exit 1. What was still active is logged.
      server.close().then(
        () => {
          logger.info({ active: process.getActiveResourcesInfo() }, 'shut down');
          process.exit(0);
        },
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function runMigrate(): Promise<number> {
  const db = createDatabase(loadDatabaseConfig(process.env));
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date\n');
    return 0;
  } finally {
    await db.destroy();
  }
}

async function keys(args: string[]): Promise<number> {
  // Ctrl-C lets `keys encrypt-existing` finish and commit its current batch.
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  return runKeysCommand(args, {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    signal: stop.signal,
  });
}

async function token(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      picture: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
    },
    strict: true,
  });
  if (!values.sub) {
    process.stderr.write('token: --sub is required\n');
    return 1;
  }
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) {
    process.stderr.write('token: --ttl must be a positive number of seconds\n');
    return 1;
  }
  const secret = signingSecret();
  if (!secret) return 1;
  const claims = {
    sub: values.sub,
    name: values.name ?? values.sub,
    ...(values.picture ? { picture: values.picture } : {}),
  };
  const { issuer, audience } = loadSigningConfig(process.env);
  const jwt = { algorithm: 'HS256' as const, secret, development: false, issuer, audience };
  process.stdout.write(`${signToken(jwt, claims, { ttlSeconds: ttl })}\n`);
  return 0;
}

/**
 * The secret `parley token` signs with: PARLEY_JWT_SECRET, or else the development secret demo mode
 * made (so a fresh `npm start` and `npx parley token` agree with nothing set). Says why not on stderr.
 */
function signingSecret(): string | null {
  const env = process.env;
  if (env['PARLEY_JWT_PUBLIC_KEY']?.trim()) {
    process.stderr.write(
      'token: the server verifies with PARLEY_JWT_PUBLIC_KEY (RS256/ES256); it cannot sign tokens. ' +
        'Sign them with the private key in your host app.\n',
    );
    return null;
  }
  const configured = env['PARLEY_JWT_SECRET']?.trim();
  if (configured) return configured;
  const { dataDir } = loadSigningConfig(env);
  const development = readDevSecret(dataDir);
  if (development) {
    process.stderr.write(`token: PARLEY_JWT_SECRET is not set; signing with the demo's ${devSecretPath(dataDir)}\n`);
    return development;
  }
  process.stderr.write(
    `token: set PARLEY_JWT_SECRET (the server's), or start the demo once (npm start) to make ${devSecretPath(dataDir)}\n`,
  );
  return null;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message =
      err instanceof ConfigError
        ? err.message
        : err instanceof StartupError
          ? `parley: ${err.message}`
          : ((err as Error)?.stack ?? String(err));
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  },
);
