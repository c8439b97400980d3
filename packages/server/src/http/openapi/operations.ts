import type { z } from 'zod';
import * as models from '../schemas/models.js';
import { listAgentActionsQuery, recordAgentActionBody } from '../schemas/agent-actions.js';
import { editMessageBody, listMessagesQuery, sendMessageBody } from '../schemas/messages.js';
import { presenceBody, presenceQuery } from '../schemas/presence.js';
import { reactionBody } from '../schemas/reactions.js';
import { readBody } from '../schemas/reads.js';
import { addParticipantsBody, createRoomBody, listRoomsQuery, muteRoomBody, renameRoomBody } from '../schemas/rooms.js';
import { searchUsersQuery } from '../schemas/users.js';

/** One REST operation under /api/v1, described for the OpenAPI document. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template under /api/v1, e.g. `/rooms/{roomId}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** False for the few public operations (the document itself). */
  auth?: boolean;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success statuses and their answers (no schema: empty body). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Error statuses beyond the ones every authenticated operation has (401, 503). */
  errors?: number[];
}

const room404 = [404];
/** Room-scoped paths answer 404 room_not_found for missing rooms and rooms the caller is not in alike. */
const ROOM = 'Rooms';

export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/me',
    tag: 'Users',
    summary: 'The caller, upserted from the token claims',
    responses: { 200: { description: 'The caller', schema: models.userSchema } },
  },
  {
    method: 'get',
    path: '/users',
    tag: 'Users',
    summary: 'Search the user directory by name (for “new conversation”)',
    description:
      'Name prefix, case-insensitive, or an exact id; the caller is left out. Users exist once they have signed in.',
    query: searchUsersQuery,
    responses: { 200: { description: 'Matches, by name', schema: models.userListSchema } },
    errors: [400],
  },
  {
    method: 'get',
    path: '/rooms',
    tag: ROOM,
    summary: 'The caller’s rooms, most recently active first',
    description: 'Ordered by the last message’s time (else creation), then id; `next_cursor` pages on.',
    query: listRoomsQuery,
    responses: { 200: { description: 'A page of rooms', schema: models.roomPageSchema } },
    errors: [400],
  },
  {
    method: 'post',
    path: '/rooms',
    tag: ROOM,
    summary: 'Open a direct room or create a group',
    description: 'A direct room is unique per pair: opening an existing one answers 200 with it.',
    body: createRoomBody,
    responses: {
      201: { description: 'Created', schema: models.roomSchema },
      200: { description: 'The existing direct room', schema: models.roomSchema },
    },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/rooms/{roomId}',
    tag: ROOM,
    summary: 'One room',
    responses: { 200: { description: 'The room', schema: models.roomSchema } },
    errors: room404,
  },
  {
    method: 'patch',
    path: '/rooms/{roomId}',
    tag: ROOM,
    summary: 'Rename a group',
    description: 'Logs `room.updated` and a system message. Direct rooms have no name (400).',
    body: renameRoomBody,
    responses: { 200: { description: 'The room', schema: models.roomSchema } },
    errors: [400, 404],
  },
  {
    method: 'put',
    path: '/rooms/{roomId}/mute',
    tag: ROOM,
    summary: 'Mute or unmute a room for yourself',
    description:
      'Your own setting: its messages still arrive and count in the room’s `unread_count`, but a muted room stays ' +
      'out of your unread totals. Not a room event: a change sends a `mute` frame to your own sockets only; ' +
      'setting it as it already is changes nothing.',
    body: muteRoomBody,
    responses: { 200: { description: 'The room', schema: models.roomSchema } },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/rooms/{roomId}/participants',
    tag: ROOM,
    summary: 'A room’s participants with their read positions and presence',
    responses: { 200: { description: 'Participants in join order', schema: models.participantListSchema } },
    errors: room404,
  },
  {
    method: 'post',
    path: '/rooms/{roomId}/participants',
    tag: ROOM,
    summary: 'Add people to a group',
    description:
      'Any member adds; people already in the room are skipped. Logs `member.joined` and a system message per person.',
    body: addParticipantsBody,
    responses: { 200: { description: 'The room', schema: models.roomSchema } },
    errors: [400, 404],
  },
  {
    method: 'delete',
    path: '/rooms/{roomId}/participants/{userId}',
    tag: ROOM,
    summary: 'Leave a group, or remove someone',
    description:
      'Your own id leaves (204). Only the room’s creator removes others (else 403). Logs a system message and `member.left`.',
    responses: {
      200: { description: 'Someone else was removed: the room', schema: models.roomSchema },
      204: { description: 'You left the room' },
    },
    errors: [400, 403, 404],
  },
  {
    method: 'get',
    path: '/rooms/{roomId}/messages',
    tag: 'Messages',
    summary: 'A page of a room’s history',
    description:
      'Default and `before`: newest first, seq below `before`. `after`: oldest first, seq above `after`. ' +
      'Either may be a seq or a message id; `next_cursor` is the seq to pass as the same parameter next.',
    query: listMessagesQuery,
    responses: { 200: { description: 'Messages with their reactions', schema: models.messagePageSchema } },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/rooms/{roomId}/messages',
    tag: 'Messages',
    summary: 'Send a message',
    description: 'A repeated `client_id` answers 200 with the original message and logs nothing.',
    body: sendMessageBody,
    responses: {
      201: { description: 'Sent', schema: models.messageSchema },
      200: { description: 'Already sent with this client_id', schema: models.messageSchema },
    },
    errors: [400, 404, 413, 429],
  },
  {
    method: 'patch',
    path: '/rooms/{roomId}/messages/{messageId}',
    tag: 'Messages',
    summary: 'Edit your own message',
    description: 'Sets `edited_at`, logs `message.updated`. Someone else’s: 403; a deleted one: 409.',
    body: editMessageBody,
    responses: { 200: { description: 'The message', schema: models.messageSchema } },
    errors: [400, 403, 404, 409, 413],
  },
  {
    method: 'delete',
    path: '/rooms/{roomId}/messages/{messageId}',
    tag: 'Messages',
    summary: 'Delete your own message',
    description: 'Soft delete: content and metadata are erased, the tombstone keeps its place. Logs `message.deleted`.',
    responses: { 200: { description: 'The tombstone', schema: models.messageSchema } },
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/rooms/{roomId}/messages/{messageId}/reactions',
    tag: 'Reactions',
    summary: 'React with an emoji',
    description: 'Idempotent: reacting twice with the same emoji changes nothing. A deleted message: 409.',
    body: reactionBody,
    responses: { 200: { description: 'The message’s reactions', schema: models.reactionListSchema } },
    errors: [400, 404, 409],
  },
  {
    method: 'delete',
    path: '/rooms/{roomId}/messages/{messageId}/reactions/{emoji}',
    tag: 'Reactions',
    summary: 'Remove your reaction',
    description: 'The emoji is URL-encoded in the path. Removing a reaction you do not have changes nothing (200).',
    responses: { 200: { description: 'The message’s reactions', schema: models.reactionListSchema } },
    errors: [400, 404, 409],
  },
  {
    method: 'post',
    path: '/rooms/{roomId}/read',
    tag: 'Read state',
    summary: 'Move your read marker',
    description:
      'Never backwards; clamped to the newest message. Written with the next group commit (no seq, no room lock); a move sends a `reads` frame to the room’s members and `unread` to your sockets.',
    body: readBody,
    responses: { 200: { description: 'Your unread counts after the read', schema: models.readResultSchema } },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/unread',
    tag: 'Read state',
    summary: 'Unread counts of all your rooms',
    description:
      'Others’ undeleted, non-system messages after your read marker. Every room of yours is listed, zeros and ' +
      'muted rooms included; `total` leaves muted rooms out.',
    responses: { 200: { description: 'Per room and total', schema: models.unreadSummarySchema } },
  },
  {
    method: 'get',
    path: '/presence',
    tag: 'Presence',
    summary: 'Presence of people',
    query: presenceQuery,
    responses: { 200: { description: 'Presence records', schema: models.presenceListSchema } },
    errors: [400],
  },
  {
    method: 'put',
    path: '/presence',
    tag: 'Presence',
    summary: 'Set your presence status',
    body: presenceBody,
    responses: { 200: { description: 'Your presence', schema: models.presenceRecordSchema } },
    errors: [400],
  },
  {
    method: 'post',
    path: '/agent-actions',
    tag: 'AI assistants',
    summary: 'Record a tool call an assistant made for you',
    description: 'Written by the agent toolkit after each tool call; append-only.',
    body: recordAgentActionBody,
    responses: { 201: { description: 'The recorded action', schema: models.agentActionSchema } },
    errors: [400, 429],
  },
  {
    method: 'get',
    path: '/agent-actions',
    tag: 'AI assistants',
    summary: 'Your assistants’ actions, newest first',
    query: listAgentActionsQuery,
    responses: { 200: { description: 'A page of actions', schema: models.agentActionPageSchema } },
    errors: [400],
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Meta',
    summary: 'This document',
    auth: false,
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
];
