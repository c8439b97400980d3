import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** Structured JSON logs on stdout; `silent` in tests. */
export function createLogger(level: LogLevel): Logger {
  return pino({ name: 'parley', level });
}
