import type { ErrorCode } from '@parley/sdk/protocol';

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

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParleyError';
    this.code = code;
    this.status = STATUS[code];
  }

  /** Whether the message is safe to show to the client. */
  get expose(): boolean {
    return this.status < 500 || this.code === 'messaging_disabled' || this.code === 'unavailable';
  }
}

/** The canonical "no such room, or not yours" error: the two are indistinguishable on purpose. */
export const roomNotFound = () => new ParleyError('room_not_found', 'Room not found');

/** Turns anything thrown into a ParleyError (unknown errors become `internal`). */
export function toParleyError(err: unknown): ParleyError {
  if (err instanceof ParleyError) return err;
  return new ParleyError('internal', 'Internal error', { cause: err });
}
