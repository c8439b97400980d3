import type { ErrorCode } from '@parley/sdk/protocol';
import { isOutage } from './outage.js';

/** How long a client waits before retrying a request a dependency outage refused. */
export const OUTAGE_RETRY_AFTER_MS = 1_000;

/** HTTP status for each stable error code (sockets send the code only). */
const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  room_not_found: 404,
  message_not_found: 404,
  user_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  message_too_long: 413,
  rate_limited: 429,
  messaging_disabled: 503,
  not_authenticated: 401,
  unknown_frame: 400,
  unavailable: 503,
  internal: 500,
};

/**
 * The one error type of the server. `code` is stable and reaches clients;
 * `message` reaches clients only for 4xx (5xx answers say "Internal error").
 */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** When the same request may succeed: REST `Retry-After`, the socket's `retry_after_ms`. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options);
    this.name = 'ParleyError';
    this.code = code;
    this.status = STATUS[code];
    this.retryAfterMs = options?.retryAfterMs ?? (code === 'unavailable' ? OUTAGE_RETRY_AFTER_MS : undefined);
  }

  /** Whether the message is safe to show to the client. */
  get expose(): boolean {
    return this.status < 500 || this.code === 'messaging_disabled' || this.code === 'unavailable';
  }
}

/** The canonical "no such room, or not yours" error: the two are indistinguishable on purpose. */
export const roomNotFound = () => new ParleyError('room_not_found', 'Room not found');

/** A dependency outage as the client sees it: retry shortly, nothing was done. */
export const outageError = (cause: unknown) =>
  new ParleyError('unavailable', 'The server cannot reach its database right now; retry shortly', { cause });

/** Turns anything thrown into a ParleyError (outages become `unavailable`, other unknown errors `internal`). */
export function toParleyError(err: unknown): ParleyError {
  if (err instanceof ParleyError) return err;
  if (isOutage(err)) return outageError(err);
  return new ParleyError('internal', 'Internal error', { cause: err });
}
