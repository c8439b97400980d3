/** A UUID in its canonical text form (RFC 9562 §4), any version, either case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a uuid column's value (anything else must not reach one: PostgreSQL would raise). */
export function isUuid(id: string): boolean {
  return UUID_PATTERN.test(id);
}
