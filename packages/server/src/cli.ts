#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { signToken } from './auth/tokens.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

const USAGE = `Usage: parley <command>

  serve                       start the server (configured by environment variables)
  migrate                     apply sql/ migrations to DATABASE_URL (or the PGlite dir) and exit
  token --sub ID [--name N] [--picture URL] [--ttl SECONDS]
                              print a token signed with PARLEY_JWT_SECRET (HS256 only)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate':
      return runMigrate();
    case 'token':
      return token(rest);
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
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      server.close().then(resolve, (err) => {
        logger.error({ err }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

async function runMigrate(): Promise<number> {
  const { config: cfg } = config();
  const db = createDatabase(cfg);
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date\n');
    return 0;
  } finally {
    await db.destroy();
  }
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
  const { config: cfg } = config();
  if (cfg.jwt.algorithm !== 'HS256') {
    process.stderr.write(
      `token: the server is configured for ${cfg.jwt.algorithm} with PARLEY_JWT_PUBLIC_KEY only; ` +
        'it cannot sign tokens. Sign them with the private key in your host app.\n',
    );
    return 1;
  }
  if (cfg.jwt.generated) {
    process.stderr.write('token: set PARLEY_JWT_SECRET; a generated demo secret is unknown to the running server\n');
    return 1;
  }
  const claims = { sub: values.sub, name: values.name ?? values.sub, ...(values.picture ? { picture: values.picture } : {}) };
  process.stdout.write(`${signToken(cfg.jwt, claims, { ttlSeconds: ttl })}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
