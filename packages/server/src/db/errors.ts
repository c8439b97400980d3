import { outageError, ParleyError } from '../errors.js';
import { isOutage } from '../outage.js';

/** The subset of a driver error we read (pg and PGlite both expose SQLSTATE as `code`). */
interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

/**
 * A unique violation that survived to the caller, with the constraint that
 * fired: services that expect a race (e.g. two "open direct room" requests)
 * catch it by constraint name.
 */
export class UniqueViolation extends ParleyError {
  constructor(
    readonly constraint: string | undefined,
    cause: unknown,
  ) {
    super('conflict', 'Conflicting change, please retry', { cause });
  }
}

/**
 * The one place that maps SQLSTATE codes to domain errors. Anything that is
 * not a recognised database condition passes through untouched.
 */
export function translateDbError(err: unknown): unknown {
  if (err instanceof ParleyError || typeof err !== 'object' || err === null) return err;
  if (isOutage(err)) return outageError(err);
  const { code, constraint } = err as PgError;
  switch (code) {
    case '23505': // unique_violation
      return new UniqueViolation(constraint, err);
    case '23503': // foreign_key_violation: a referenced row (user, room) is gone
      return new ParleyError('not_found', 'A referenced record does not exist', { cause: err });
    case '42501': // insufficient_privilege: RLS refused a row the app let through
      return new ParleyError('forbidden', 'Not allowed', { cause: err });
    case '22P02': // invalid_text_representation, e.g. a malformed uuid
    case '22001': // string_data_right_truncation
    case '23514': // check_violation
      return new ParleyError('bad_request', 'Invalid value', { cause: err });
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new ParleyError('conflict', 'Concurrent change, please retry', { cause: err });
    default:
      return err;
  }
}
