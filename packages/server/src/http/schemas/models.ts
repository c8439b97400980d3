import { z } from 'zod';
import { AGENT_ACTION_OUTCOMES } from '@parley/sdk/protocol';
import type {
  AgentAction,
  AgentActionPage,
  Message,
  Participant,
  ParticipantWithPresence,
  PresenceRecord,
  ReactionSummary,
  Room,
  User,
} from '@parley/sdk/protocol';

// The shapes of API answers, as zod schemas for the OpenAPI document. They
// mirror protocol.ts (the source of truth); `satisfies` keeps them in step.

const isoTime = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp (UTC, milliseconds)');

export const userSchema = z.object({ id: z.string(), name: z.string(), avatar_url: z.string().nullable() }).meta({
  id: 'User',
  description: 'A person known to Parley, upserted from the host’s token claims.',
}) satisfies z.ZodType<User>;

export const participantSchema = userSchema
  .extend({
    joined_at: isoTime,
    last_read_seq: z.number().int().describe('Highest room seq this participant has read (0 = nothing): "seen by".'),
    last_read_at: isoTime.nullable(),
  })
  .meta({ id: 'Participant' }) satisfies z.ZodType<Participant>;

export const reactionSummarySchema = z
  .object({
    emoji: z.string(),
    count: z.number().int().min(1),
    me: z.boolean().describe('Whether the caller is one of the reactors.'),
  })
  .meta({ id: 'ReactionSummary' }) satisfies z.ZodType<ReactionSummary>;

export const messageSchema = z
  .object({
    id: z.uuid(),
    room_id: z.uuid(),
    seq: z.number().int().describe('Room sequence number the message was created at; orders a room’s messages.'),
    sender_id: z.string().nullable().describe('Null for system messages.'),
    type: z.enum(['text', 'ai_share', 'system']),
    content: z.string().nullable().describe('Null once deleted: the tombstone keeps its place.'),
    unreadable: z
      .literal(true)
      .optional()
      .describe('Set when encrypted content could not be decrypted (content is null).'),
    metadata: z
      .record(z.string(), z.unknown())
      .describe('Empty once deleted. System messages: {event, user_id, by, …}.'),
    reactions: z.array(reactionSummarySchema),
    client_id: z.string().nullable(),
    created_at: isoTime,
    edited_at: isoTime.nullable(),
    deleted_at: isoTime.nullable(),
  })
  .meta({ id: 'Message' }) satisfies z.ZodType<Message>;

export const roomSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(['direct', 'group']),
    name: z.string().nullable().describe('A group’s custom name; null for direct rooms and unnamed groups.'),
    display_name: z
      .string()
      .describe('The other person (direct), else the name or the members (“Bob, Carol and 2 others”).'),
    participants: z.array(participantSchema),
    last_message: messageSchema.nullable(),
    last_message_at: isoTime.nullable(),
    unread_count: z
      .number()
      .int()
      .min(0)
      .describe('Others’ undeleted, non-system messages after your read marker; a muted room keeps counting here.'),
    last_seq: z.number().int().min(0),
    created_at: isoTime,
    created_by: z
      .string()
      .nullable()
      .describe('Who created the room. In a group only the creator removes others; a member removes themselves.'),
    muted: z
      .boolean()
      .describe('Your own setting (PUT /rooms/{roomId}/mute): a muted room stays out of your unread totals.'),
  })
  .meta({ id: 'Room' }) satisfies z.ZodType<Room>;

export const presenceRecordSchema = z
  .object({
    user_id: z.string(),
    status: z.enum(['online', 'away', 'offline']),
    status_message: z.string().nullable(),
    last_seen_at: isoTime.nullable(),
  })
  .meta({ id: 'PresenceRecord' }) satisfies z.ZodType<PresenceRecord>;

export const errorBodySchema = z
  .object({
    error: z.object({ code: z.string().describe('Stable error code, e.g. room_not_found'), message: z.string() }),
  })
  .meta({ id: 'Error' });

const cursor = z.string().nullable().describe('Pass back to get the next page; null at the end.');

export const roomPageSchema = z.object({ rooms: z.array(roomSchema), next_cursor: cursor }).meta({ id: 'RoomPage' });
export const messagePageSchema = z
  .object({ messages: z.array(messageSchema), next_cursor: cursor })
  .meta({ id: 'MessagePage' });
export const userListSchema = z.object({ users: z.array(userSchema) }).meta({ id: 'UserList' });
export const participantWithPresenceSchema = participantSchema
  .extend({ presence: presenceRecordSchema })
  .meta({ id: 'ParticipantWithPresence' }) satisfies z.ZodType<ParticipantWithPresence>;
export const participantListSchema = z
  .object({ participants: z.array(participantWithPresenceSchema) })
  .meta({ id: 'ParticipantList' });
export const reactionListSchema = z.object({ reactions: z.array(reactionSummarySchema) }).meta({ id: 'ReactionList' });
export const readResultSchema = z
  .object({
    unread_count: z.number().int().min(0),
    total_unread: z.number().int().min(0).describe('Over your rooms that are not muted.'),
  })
  .meta({ id: 'ReadResult' });
export const unreadSummarySchema = z
  .object({
    total: z.number().int().min(0).describe('Over your rooms that are not muted (the badge).'),
    rooms: z
      .record(z.string(), z.number().int().min(0))
      .describe('Every room of yours, zeros and muted rooms included.'),
  })
  .meta({ id: 'UnreadSummary' });
export const presenceListSchema = z.object({ presence: z.array(presenceRecordSchema) }).meta({ id: 'PresenceList' });

export const agentActionSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    tool: z.string(),
    arguments: z
      .record(z.string(), z.unknown())
      .describe('A short summary of the arguments; message text is truncated (or left out under encryption at rest).'),
    outcome: z.enum(AGENT_ACTION_OUTCOMES),
    error_code: z.string().nullable(),
    room_id: z.string().nullable(),
    message_id: z.string().nullable(),
    agent: z.string().nullable(),
    started_at: isoTime,
    finished_at: isoTime,
    created_at: isoTime,
  })
  .meta({ id: 'AgentAction' }) satisfies z.ZodType<AgentAction>;
export const agentActionPageSchema = z
  .object({ actions: z.array(agentActionSchema), next_cursor: cursor })
  .meta({ id: 'AgentActionPage' }) satisfies z.ZodType<AgentActionPage>;
