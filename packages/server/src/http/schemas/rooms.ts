import { z } from 'zod';

export const userIdSchema = z.string().trim().min(1).max(255);

export const createRoomBody = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('direct'), user_ids: z.array(userIdSchema).min(1).max(2) }),
    z.object({
      type: z.literal('group'),
      name: z.string().trim().max(200).nullable().optional(),
      user_ids: z.array(userIdSchema).max(100),
    }),
  ])
  .meta({ id: 'CreateRoomBody' });

export const listRoomsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(500).optional().describe('next_cursor of the previous page'),
});

export const renameRoomBody = z
  .object({
    name: z.string().trim().max(200).nullable().describe('Null or blank clears the name (the auto-name shows).'),
  })
  .meta({ id: 'RenameRoomBody' });

export const addParticipantsBody = z
  .object({ user_ids: z.array(userIdSchema).min(1).max(100) })
  .meta({ id: 'AddParticipantsBody' });

export const muteRoomBody = z
  .object({
    muted: z.boolean().describe('True mutes the room for you, false unmutes it.'),
  })
  .meta({ id: 'MuteRoomBody' });
