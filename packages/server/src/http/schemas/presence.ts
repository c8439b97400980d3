import { z } from 'zod';

/** Most users a presence query may name at once. */
export const MAX_PRESENCE_USER_IDS = 100;

/** `PUT /presence` body (also what the socket's `presence` frame carries). */
export const presenceBody = z.object({
  status: z.enum(['online', 'away']),
  status_message: z.string().max(200).nullable().optional(),
});

/** `GET /presence?user_ids=a,b,c` */
export const presenceQuery = z.object({
  user_ids: z
    .string()
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(255)).min(1, 'name at least one user id').max(MAX_PRESENCE_USER_IDS)),
});
