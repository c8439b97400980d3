/**
 * Parley wire protocol: REST shapes and WebSocket frames.
 *
 * The one source of truth for what crosses the network. The server imports
 * these types too (`@parley/sdk/protocol`), so a change here is a change to
 * both ends. Field names are snake_case because they are JSON on the wire.
 *
 * Over 300 lines on purpose: it is declarative (types only, no logic) and it is the documented
 * contract, which reads best, and is reviewed, as one file.
 */

export const API_PREFIX = '/api/v1';
export const SOCKET_PATH = '/api/v1/ws';

export type RoomType = 'direct' | 'group';
export type MessageType = 'text' | 'ai_share' | 'system';
/** Message types a client may send; `system` is made by the server only. */
export type ClientMessageType = Exclude<MessageType, 'system'>;
export type PresenceStatus = 'online' | 'away' | 'offline';

/** A person known to Parley, upserted from the host's token claims. */
export interface User {
  id: string;
  name: string;
  avatar_url: string | null;
}

export interface Participant extends User {
  joined_at: string;
  /** Highest room `seq` this participant has read (0 = nothing). */
  last_read_seq: number;
  last_read_at: string | null;
}

/** Reactions on a message, aggregated per emoji from the viewer's point of view. */
/** A participant with their current presence (`GET /rooms/:id/participants`). */
export interface ParticipantWithPresence extends Participant {
  presence: PresenceRecord;
}

export interface ReactionSummary {
  emoji: string;
  count: number;
  /** Whether the viewer is one of the reactors. */
  me: boolean;
}

export interface Message {
  id: string;
  room_id: string;
  /** The room sequence number the message was created at; orders messages in a room. */
  seq: number;
  /** Null for system messages. */
  sender_id: string | null;
  type: MessageType;
  /** Null once deleted (a tombstone keeps its place in order), or when `unreadable`. */
  content: string | null;
  /**
   * Present (true) only when the server holds this message's content encrypted
   * at rest and could not decrypt it (tampered storage, missing key): `content`
   * is then null. A UI shows "message unreadable", not a deletion.
   */
  unreadable?: true;
  metadata: Record<string, unknown>;
  reactions: ReactionSummary[];
  /** The sender's idempotency key, echoed back so clients can reconcile optimistic sends. */
  client_id: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export interface Room {
  id: string;
  type: RoomType;
  /** The custom name of a group; null for direct rooms and unnamed groups. */
  name: string | null;
  /** What a UI shows: the other person's name in a direct room, the name or members of a group. */
  display_name: string;
  participants: Participant[];
  last_message: Message | null;
  last_message_at: string | null;
  /** Others' undeleted, non-system messages after the viewer's read marker; a muted room keeps counting here. */
  unread_count: number;
  last_seq: number;
  created_at: string;
  /**
   * Who created the room (null for rooms whose creator is unknown). In a group only the creator removes others;
   * any member adds people, and a member removes themselves (leaves).
   */
  created_by: string | null;
  /**
   * The viewer's own setting (`PUT /rooms/:id/mute`; another member never sees it). A muted room's messages still
   * arrive and count in its `unread_count`, but the room stays out of every unread *total* (`GET /unread`'s `total`,
   * the `total` of `unread` and `mute` frames, `total_unread`, `selectTotalUnread`).
   */
  muted: boolean;
}

export interface PresenceRecord {
  user_id: string;
  status: PresenceStatus;
  status_message: string | null;
  last_seen_at: string | null;
}

// ---------------------------------------------------------------------------
// REST bodies and answers
// ---------------------------------------------------------------------------

export type CreateRoomBody =
  { type: 'direct'; user_ids: [string] | string[] } | { type: 'group'; name?: string | null; user_ids: string[] };

export interface RoomPage {
  rooms: Room[];
  next_cursor: string | null;
}

export interface MessagePage {
  messages: Message[];
  next_cursor: string | null;
}

export interface ListMessagesQuery {
  /** Messages with seq below this (newest first); a seq number or a message id. */
  before?: number | string;
  /** Messages with seq above this (oldest first); a seq number or a message id. */
  after?: number | string;
  limit?: number;
}

export interface SendMessageBody {
  content: string;
  type?: ClientMessageType;
  metadata?: Record<string, unknown>;
  client_id?: string;
}

export interface UnreadSummary {
  /** The sum over the caller's rooms that are not muted (the badge). */
  total: number;
  /** Every room of the caller, zeros and muted rooms included. */
  rooms: Record<string, number>;
}

/** `PUT /rooms/:id/mute`: the caller's own setting for the room; answers the room. */
export interface MuteRoomBody {
  muted: boolean;
}

/**
 * How an AI assistant's action ended: done, refused or failed, or only drafted for the user to confirm.
 * The one list: the server's schemas are built from it.
 */
export const AGENT_ACTION_OUTCOMES = ['ok', 'error', 'drafted'] as const;
export type AgentActionOutcome = (typeof AGENT_ACTION_OUTCOMES)[number];

/** One action an AI assistant took for its user (the user's audit trail; only the user sees their own). */
export interface AgentAction {
  id: string;
  user_id: string;
  /** The tool the assistant called, e.g. `send_room_message`. */
  tool: string;
  /** A short summary of the arguments (content is truncated, never the full text). */
  arguments: Record<string, unknown>;
  outcome: AgentActionOutcome;
  /** The error code when `outcome` is `error`. */
  error_code: string | null;
  room_id: string | null;
  message_id: string | null;
  /** Who acted, as the toolkit names itself (e.g. `mcp`, the host's assistant name). */
  agent: string | null;
  started_at: string;
  finished_at: string;
  created_at: string;
}

/** `POST /agent-actions`: what the agent toolkit records after each tool call. */
export interface RecordAgentActionBody {
  tool: string;
  arguments?: Record<string, unknown>;
  outcome: AgentActionOutcome;
  error_code?: string | null;
  room_id?: string | null;
  message_id?: string | null;
  agent?: string | null;
  started_at: string;
  finished_at: string;
}

export interface AgentActionPage {
  actions: AgentAction[];
  next_cursor: string | null;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** Stable error codes shared by REST answers and socket `error` frames. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'token_expired'
  | 'forbidden'
  | 'not_found'
  | 'room_not_found'
  | 'message_not_found'
  | 'user_not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'message_too_long'
  | 'rate_limited'
  | 'messaging_disabled'
  | 'not_authenticated'
  | 'unknown_frame'
  /** A dependency is not there yet or is down (database, widget bundle); retry later. */
  | 'unavailable'
  | 'internal';

// ---------------------------------------------------------------------------
// Room events: every logged change to a room, in `seq` order
// ---------------------------------------------------------------------------

export interface RoomEventDataMap {
  'message.created': { message: Message };
  'message.updated': { message: Message };
  'message.deleted': { message: Message };
  /** `count`: how many reactions with this emoji the message has after the change (absolute, so replays are idempotent). */
  'reaction.added': { message_id: string; user_id: string; emoji: string; count: number };
  'reaction.removed': { message_id: string; user_id: string; emoji: string; count: number };
  'room.updated': { room: Pick<Room, 'id' | 'name' | 'type'> };
  'member.joined': { user: User; added_by: string | null };
  'member.left': { user_id: string; removed_by: string | null };
  /**
   * Logged by servers before read markers were coalesced; a current server never logs it (markers take no
   * seq: see the `reads` frame), but a room's older log may still replay it. Apply it like a `reads` entry.
   */
  'read.updated': ReadMarker;
}

/** Where one participant has read up to in a room. */
export interface ReadMarker {
  user_id: string;
  last_read_seq: number;
  last_read_at: string;
}

export type RoomEventKind = keyof RoomEventDataMap;

export type RoomEvent = {
  [K in RoomEventKind]: { room_id: string; seq: number; kind: K; data: RoomEventDataMap[K]; at: string };
}[RoomEventKind];

// ---------------------------------------------------------------------------
// Socket frames
// ---------------------------------------------------------------------------

/** Client → server. `ref` is echoed on the matching `ack` or `error`. */
export type ClientFrame =
  | {
      type: 'auth';
      token: string;
      resume?: Record<string, number>;
      ref?: string;
      /**
       * Ask for the first page of the room list on the socket, as a `rooms` frame before `ready` (the page
       * `GET /rooms?limit=` answers): a UI shows its list without a REST round trip, and on another origin
       * without a CORS preflight. Only on the first `auth` of a socket.
       */
      rooms?: { limit: number };
    }
  | {
      type: 'send';
      ref?: string;
      room_id: string;
      content: string;
      message_type?: ClientMessageType;
      metadata?: Record<string, unknown>;
      client_id?: string;
    }
  | { type: 'typing'; room_id: string; state: 'start' | 'stop' }
  | { type: 'presence'; status: Exclude<PresenceStatus, 'offline'>; status_message?: string | null }
  /**
   * Mark a room read up to `seq` (default: the newest message), like `POST /rooms/:id/read` but without an
   * answer: the new counts arrive as an `unread` frame on every socket of the user. The server coalesces a
   * user's reads of a room over a short window, so a client may send one per message it shows. An
   * `error` (with `ref`) says when the room is not the user's.
   */
  | { type: 'read'; room_id: string; seq?: number; ref?: string }
  | { type: 'ping'; ref?: string };

/** How a room came through a reconnect: every missed event replayed, or the client must refetch. */
export type ResumeOutcome = 'recovered' | 'resync';

/** What a server accepts (its configuration): a UI checks input against it before sending. */
export interface ServerLimits {
  /** The longest message content, in characters as people count them: code points, not UTF-16 units (`MESSAGE_MAX_LENGTH`). */
  message_max_length: number;
}

/** The server's defaults, assumed until `ready` says otherwise. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({ message_max_length: 10_000 });

/** Server → client. */
export type ServerFrame =
  | {
      type: 'ready';
      user: User;
      /**
       * Per room named in the client's `resume` map: whether the gap was replayed or must be refetched.
       * Empty when answering an in-place re-`auth` (token renewal) on an open socket.
       */
      resume: Record<string, ResumeOutcome>;
      heartbeat_seconds: number;
      /** What this server accepts, so a client can check before sending (older servers omit it). */
      limits?: ServerLimits;
    }
  /**
   * The first page of the user's rooms, when `auth` asked for it: sent after the socket is subscribed and
   * before `ready`, so no change falls between the page and the live events (an event the page already
   * reflects may follow; its seq says so).
   */
  | { type: 'rooms'; page: RoomPage }
  | ({ type: 'event' } & RoomEvent)
  | { type: 'resync'; room_id: string }
  | { type: 'ack'; ref?: string; message: Message }
  | {
      type: 'error';
      ref?: string;
      code: ErrorCode;
      message: string;
      /** With `rate_limited` and `unavailable`: how long to wait before trying again (the same frame may then succeed). */
      retry_after_ms?: number;
    }
  | { type: 'typing'; room_id: string; user_id: string; state: 'start' | 'stop' }
  | ({ type: 'presence' } & PresenceRecord)
  /**
   * The user's unread count in a room and in total after a change. One per room and user per group
   * commit: several messages written together move the count once. `total` leaves muted rooms out;
   * `unread_count` is the room's own count, muted or not.
   */
  | { type: 'unread'; room_id: string; unread_count: number; total: number }
  /**
   * The user muted or unmuted a room (`PUT /rooms/:id/mute`), sent to every socket of that user only (it is
   * their own setting, not a room event: not logged, not replayed). `total` is the user's unread total after
   * the change (muted rooms left out). A socket that was down when it happened learns the setting from the
   * next room fetch (`GET /rooms`, `GET /rooms/:id`).
   */
  | { type: 'mute'; room_id: string; muted: boolean; total: number }
  /**
   * Read markers that moved in a room, sent to its members. Markers take no seq and are not in the room's
   * event log: they are coalesced (each member's latest within a short window) and, after a resume, the
   * server sends one `reads` frame per recovered room with every participant's current marker.
   */
  | { type: 'reads'; room_id: string; reads: ReadMarker[] }
  | { type: 'pong'; ref?: string };

export type ServerFrameType = ServerFrame['type'];
export type ClientFrameType = ClientFrame['type'];
