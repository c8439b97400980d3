import type { Room, User } from '../protocol.js';
import { randomId } from '../uuid.js';
import type { AgentClient } from './agent-client.js';
import type { Draft, DraftStore } from './drafts.js';
import type { ObjectSchema } from './json-schema.js';
import { parseSendRequest } from './parse-send-request.js';
import { contentRequired, snippet, toolError, type ToolResult } from './results.js';

/** What every executor gets: the user's client and this session's drafts. */
export interface ToolContext {
  client: AgentClient;
  drafts: DraftStore;
  requireConfirmation: boolean;
  /** The signed-in user (fetched once per session). */
  me(): Promise<User>;
  /** Metadata every message the assistant writes carries: `{ via: 'agent' }`. */
  messageMetadata: Record<string, unknown>;
}

/** A result plus what the audit trail records about it. */
export interface ToolOutcome {
  result: ToolResult;
  roomId?: string | null;
  messageId?: string | null;
  /** The call only prepared a draft (audited as `drafted`). */
  drafted?: boolean;
}

export interface AgentToolSpec {
  name: string;
  /** One line, written for a model choosing a tool. */
  description: string;
  inputSchema: ObjectSchema;
  execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome>;
}

const ROOM_ID = {
  type: 'string',
  description: 'A room id from get_user_rooms or create_direct_room',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
} as const;
/** No minLength: an empty message is answered with the question to ask the user (see send_room_message). */
const CONTENT = {
  type: 'string',
  description: 'The message text, as the user would write it',
  maxLength: 4000,
} as const;
/** How long a draft waits for the user's approval. */
export const DEFAULT_DRAFT_TTL_MS = 5 * 60_000;

function roomRef(room: Room): { id: string; display_name: string; type: Room['type'] } {
  return { id: room.id, display_name: room.display_name, type: room.type };
}

/** Who reads a message in this room: the other person of a direct room, else the room's name. */
function recipientOf(room: Room, meId: string): string {
  if (room.type === 'direct') return room.participants.find((p) => p.id !== meId)?.name ?? room.display_name;
  return room.display_name;
}

function nameOf(room: Room, userId: string | null): string | null {
  if (userId === null) return null;
  return room.participants.find((p) => p.id === userId)?.name ?? userId;
}

function roomSummary(room: Room, meId: string) {
  const last = room.last_message;
  return {
    id: room.id,
    type: room.type,
    name: room.display_name,
    participants: room.participants
      .filter((p) => p.id !== meId)
      .slice(0, 10)
      .map((p) => ({ id: p.id, name: p.name })),
    unread_count: room.unread_count,
    last_message: last
      ? {
          from: last.sender_id === meId ? 'you' : nameOf(room, last.sender_id),
          text: snippet(last.content, 120),
          at: last.created_at,
        }
      : null,
  };
}

type RoomRef = ReturnType<typeof roomRef>;

/** Sends as the user, marked as written by the assistant. */
async function send(
  context: ToolContext,
  room: RoomRef,
  recipient: string,
  content: string,
  clientId: string,
): Promise<ToolOutcome> {
  const message = await context.client.rest.sendMessage(room.id, {
    content,
    type: 'text',
    metadata: context.messageMetadata,
    client_id: clientId,
  });
  return {
    result: {
      status: 'sent',
      message: { id: message.id, room_id: message.room_id, seq: message.seq, created_at: message.created_at },
      room: { id: room.id, display_name: room.display_name },
      recipient,
    },
    roomId: room.id,
    messageId: message.id,
  };
}

function draftResult(draft: Draft): ToolResult {
  return {
    status: 'draft',
    draft_id: draft.id,
    room: { id: draft.room.id, display_name: draft.room.display_name },
    recipient: draft.recipient,
    content: draft.content,
    expires_at: new Date(draft.expiresAt).toISOString(),
    next_step: 'Show this draft to the user. Call confirm_send with the draft_id only after the user approves it.',
  };
}

export const getUserRooms: AgentToolSpec = {
  name: 'get_user_rooms',
  description:
    "List the user's conversations (direct chats and group rooms), most recent first, with ids, names, participants and unread counts.",
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'Only rooms whose name contains this text', maxLength: 100 },
      limit: { type: 'integer', description: 'How many rooms (default 20)', minimum: 1, maximum: 50 },
    },
    additionalProperties: false,
  },
  async execute(args, context) {
    const me = await context.me();
    const limit = (args['limit'] as number | undefined) ?? 20;
    const query = ((args['query'] as string | undefined) ?? '').trim().toLowerCase();
    // A name filter looks through more rooms than it returns.
    const page = await context.client.rest.listRooms({ limit: query ? 100 : limit });
    const rooms = query ? page.rooms.filter((r) => r.display_name.toLowerCase().includes(query)) : page.rooms;
    return {
      result: {
        rooms: rooms.slice(0, limit).map((r) => roomSummary(r, me.id)),
        more: rooms.length > limit || page.next_cursor !== null,
      },
    };
  },
};

export const findUser: AgentToolSpec = {
  name: 'find_user',
  description: 'Find people in the messaging directory by name; returns user ids to use with create_direct_room.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'A name or the start of one', minLength: 1, maxLength: 100 },
      limit: { type: 'integer', description: 'How many people (default 10)', minimum: 1, maximum: 20 },
    },
    required: ['query'],
    additionalProperties: false,
  },
  async execute(args, context) {
    const me = await context.me();
    const limit = (args['limit'] as number | undefined) ?? 10;
    const { users } = await context.client.rest.searchUsers(args['query'] as string, limit + 1);
    return {
      result: {
        users: users
          .filter((u) => u.id !== me.id)
          .slice(0, limit)
          .map((u) => ({ id: u.id, name: u.name })),
      },
    };
  },
};

export const getRoomMessages: AgentToolSpec = {
  name: 'get_room_messages',
  description: 'Read the latest messages of one of the user’s rooms, oldest first, as short snippets.',
  inputSchema: {
    type: 'object',
    properties: {
      room_id: ROOM_ID,
      limit: { type: 'integer', description: 'How many messages (default 20)', minimum: 1, maximum: 50 },
    },
    required: ['room_id'],
    additionalProperties: false,
  },
  async execute(args, context) {
    const roomId = args['room_id'] as string;
    const me = await context.me();
    const room = await context.client.rest.getRoom(roomId);
    const page = await context.client.rest.listMessages(roomId, { limit: (args['limit'] as number | undefined) ?? 20 });
    const messages = [...page.messages].reverse().map((m) => ({
      id: m.id,
      from: m.sender_id === me.id ? 'you' : nameOf(room, m.sender_id),
      type: m.type,
      text: m.deleted_at ? null : snippet(m.content),
      at: m.created_at,
      ...(m.metadata['via'] === 'agent' ? { via: 'agent' } : {}),
    }));
    return {
      result: { room: { id: room.id, display_name: room.display_name }, messages, more: page.next_cursor !== null },
      roomId,
    };
  },
};

export const createDirectRoom: AgentToolSpec = {
  name: 'create_direct_room',
  description:
    'Open the one-to-one conversation between the user and another person (returns the existing one if there is one).',
  inputSchema: {
    type: 'object',
    properties: { user_id: { type: 'string', description: 'A user id from find_user', minLength: 1, maxLength: 255 } },
    required: ['user_id'],
    additionalProperties: false,
  },
  async execute(args, context) {
    const room = await context.client.rest.createRoom({ type: 'direct', user_ids: [args['user_id'] as string] });
    return { result: { room: roomRef(room) }, roomId: room.id };
  },
};

export const sendRoomMessage: AgentToolSpec = {
  name: 'send_room_message',
  description:
    'Send a message as the user to one of their rooms. Unless the host disabled confirmation, this only drafts it: show the draft and call confirm_send once the user approves.',
  inputSchema: {
    type: 'object',
    properties: { room_id: ROOM_ID, content: CONTENT },
    required: ['room_id', 'content'],
    additionalProperties: false,
  },
  async execute(args, context) {
    const me = await context.me();
    // Fetching the room first checks access before anything is drafted: a room the user
    // is not in answers room_not_found here, exactly as the send would.
    const room = await context.client.rest.getRoom(args['room_id'] as string);
    const content = (args['content'] as string).trim();
    const recipient = recipientOf(room, me.id);
    // "tell Bob" names no message: nothing is drafted, and the model gets the question to put to the user.
    if (!content)
      return { result: contentRequired(recipient, { direct: room.type === 'direct', room }), roomId: room.id };
    if (!context.requireConfirmation) return send(context, roomRef(room), recipient, content, randomId());
    const draft = context.drafts.create({ room: roomRef(room), recipient, content });
    return { result: draftResult(draft), roomId: room.id, drafted: true };
  },
};

export const confirmSend: AgentToolSpec = {
  name: 'confirm_send',
  description:
    'Send a message drafted by send_room_message, after the user approved it; each draft sends once and expires after a few minutes.',
  inputSchema: {
    type: 'object',
    properties: {
      draft_id: { type: 'string', description: 'The draft_id from send_room_message', minLength: 1, maxLength: 100 },
    },
    required: ['draft_id'],
    additionalProperties: false,
  },
  async execute(args, context) {
    const taken = context.drafts.take(args['draft_id'] as string);
    if (taken === 'missing') return { result: toolError('draft_not_found', 'No such draft, or it was already sent') };
    if (taken === 'expired')
      return { result: toolError('draft_expired', 'The draft expired; draft the message again') };
    try {
      // The draft id is the send's idempotency key: a confirm retried after a lost answer cannot send twice.
      return await send(context, taken.room, taken.recipient, taken.content, taken.id);
    } catch (error) {
      if ((error as { retryable?: boolean }).retryable) context.drafts.restore(taken);
      throw error;
    }
  },
};

/** Every tool, in the order a model sees them. */
export const AGENT_TOOLS: readonly AgentToolSpec[] = [
  getUserRooms,
  findUser,
  getRoomMessages,
  createDirectRoom,
  parseSendRequest,
  sendRoomMessage,
  confirmSend,
];
