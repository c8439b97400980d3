import { z } from 'zod';

export const reactionBody = z
  .object({ emoji: z.string().min(1).max(64).describe('Exactly one emoji (grapheme); text is refused.') })
  .meta({ id: 'ReactionBody' });
