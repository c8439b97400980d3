import type { z } from 'zod';
import { ParleyError } from '../errors.js';

/** Parses input with a zod schema; failures become 400 `validation_failed` naming the field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ParleyError('validation_failed', `${where}${issue?.message ?? 'invalid input'}`);
}
