import { z } from 'zod';

export const searchUsersQuery = z.object({
  q: z.string().max(200).default('').describe('Name prefix (case-insensitive) or exact user id; empty lists everyone.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
