/** Timestamps leave the database as Date (pg and PGlite alike) and the API as ISO strings. */
export function iso(value: Date | string): string;
export function iso(value: Date | string | null): string | null;
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string' && isUtcJsonTimestamp(value)) return `${value.slice(0, 23)}Z`;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/**
 * A timestamptz as PostgreSQL writes it into JSON in a UTC session, with all
 * three millisecond digits (`2026-01-02T03:04:05.678+00:00`): already the API's
 * form but for the zone suffix, so it needs no Date round trip (the room list
 * reads a few hundred of these per page). Anything else (another zone, trimmed
 * trailing zeros) goes through Date.
 */
function isUtcJsonTimestamp(value: string): boolean {
  return value.length === 29 && value[10] === 'T' && value[19] === '.' && value.endsWith('+00:00');
}
