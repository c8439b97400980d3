import { z } from 'zod';

export const readBody = z
  .object({
    seq: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Read up to this seq (clamped to the newest message); default: everything. Never moves backwards.'),
  })
  .meta({ id: 'ReadBody' });
