import type { ErrorCode } from './protocol.js';

/** Codes worth retrying after a pause: the request itself was fine. */
const RETRYABLE = new Set<string>([
  'rate_limited',
  'unavailable',
  'internal',
  'network',
  'timeout',
  'messaging_disabled',
]);

/** Every failure the SDK reports: the server's stable `code` (or a client-side one), the HTTP status when there was one. */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  readonly code: ErrorCode | 'network' | 'timeout' | 'closed';
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(code: ParleyError['code'], message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryable = RETRYABLE.has(code) || (options.status !== undefined && options.status >= 500);
  }
}

/** Turn anything thrown into a ParleyError without losing the original. */
export function toParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ParleyError('network', message, { cause: error });
}
