import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogLevel } from './config.js';

export type { Logger };

/**
 * Structured JSON logs on stdout; `silent` in tests. When stdout is a terminal (a person is
 * watching, outside tests) the same lines are pretty-printed instead: coloured, one event per
 * line, fields below. Pretty-printing runs in this thread, synchronously, rather than in a
 * transport worker: it is for a terminal, so throughput does not matter, and no line is lost when
 * the process exits. A pipe or file (containers, systemd, log shippers, the cluster tests) gets JSON,
 * and never loads pino-pretty.
 */
export function createLogger(level: LogLevel): Logger {
  const options = { name: 'parley', level };
  const interactive = process.stdout.isTTY === true && level !== 'silent' && !process.env['VITEST'];
  if (!interactive) return pino(options);
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino(options, pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l' }));
}
