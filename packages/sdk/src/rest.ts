import { ParleyError } from './errors.js';
import type {
  CreateRoomBody,
  ErrorBody,
  ListMessagesQuery,
  Message,
  MessagePage,
  MuteRoomBody,
  ParticipantWithPresence,
  PresenceRecord,
  ReactionSummary,
  Room,
  RoomPage,
  SendMessageBody,
  UnreadSummary,
  User,
} from './protocol.js';
import { API_PREFIX } from './protocol.js';
import type { TokenProvider } from './token.js';

type Query = Record<string, string | number | undefined | null>;

/** Typed calls to the REST API, with the bearer token and one retry when the token had just expired. */
export class RestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: TokenProvider,
    private readonly fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args),
  ) {}

  async request<T>(method: string, path: string, options: { body?: unknown; query?: Query } = {}): Promise<T> {
    const url = new URL(API_PREFIX + path, this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    let token = await this.tokens.get();
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: options.body === undefined ? null : JSON.stringify(options.body),
        });
      } catch (error) {
        throw new ParleyError('network', `${method} ${path} failed: ${(error as Error).message}`, { cause: error });
      }
      if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
      const body = (await response.json().catch(() => null)) as ErrorBody | null;
      const code = body?.error?.code ?? (response.status >= 500 ? 'internal' : 'bad_request');
      if (code === 'token_expired' && attempt === 0) {
        token = await this.tokens.refresh();
        continue;
      }
      throw new ParleyError(code, body?.error?.message ?? `${method} ${path} answered ${response.status}`, {
        status: response.status,
      });
    }
  }

  me(): Promise<User> {
    return this.request('GET', '/me');
  }

  searchUsers(q: string, limit?: number): Promise<{ users: User[] }> {
    return this.request('GET', '/users', { query: { q, limit } });
  }

  listRooms(options: { limit?: number; cursor?: string | null } = {}): Promise<RoomPage> {
    return this.request('GET', '/rooms', { query: { limit: options.limit, cursor: options.cursor } });
  }

  getRoom(roomId: string): Promise<Room> {
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}`);
  }

  createRoom(body: CreateRoomBody): Promise<Room> {
    return this.request('POST', '/rooms', { body });
  }

  updateRoom(roomId: string, body: { name: string | null }): Promise<Room> {
    return this.request('PATCH', `/rooms/${encodeURIComponent(roomId)}`, { body });
  }

  /** The caller's own mute setting for a room. */
  setRoomMuted(roomId: string, muted: boolean): Promise<Room> {
    const body: MuteRoomBody = { muted };
    return this.request('PUT', `/rooms/${encodeURIComponent(roomId)}/mute`, { body });
  }

  participants(roomId: string): Promise<{ participants: ParticipantWithPresence[] }> {
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}/participants`);
  }

  addParticipants(roomId: string, userIds: string[]): Promise<Room> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/participants`, { body: { user_ids: userIds } });
  }

  /** Remove a participant; with the caller's own id, leave the room. */
  removeParticipant(roomId: string, userId: string): Promise<Room | undefined> {
    return this.request('DELETE', `/rooms/${encodeURIComponent(roomId)}/participants/${encodeURIComponent(userId)}`);
  }

  listMessages(roomId: string, query: ListMessagesQuery = {}): Promise<MessagePage> {
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}/messages`, { query: { ...query } });
  }

  sendMessage(roomId: string, body: SendMessageBody): Promise<Message> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/messages`, { body });
  }

  editMessage(roomId: string, messageId: string, content: string): Promise<Message> {
    return this.request('PATCH', `/rooms/${encodeURIComponent(roomId)}/messages/${encodeURIComponent(messageId)}`, {
      body: { content },
    });
  }

  deleteMessage(roomId: string, messageId: string): Promise<Message> {
    return this.request('DELETE', `/rooms/${encodeURIComponent(roomId)}/messages/${encodeURIComponent(messageId)}`);
  }

  addReaction(roomId: string, messageId: string, emoji: string): Promise<{ reactions: ReactionSummary[] }> {
    return this.request(
      'POST',
      `/rooms/${encodeURIComponent(roomId)}/messages/${encodeURIComponent(messageId)}/reactions`,
      { body: { emoji } },
    );
  }

  removeReaction(roomId: string, messageId: string, emoji: string): Promise<{ reactions: ReactionSummary[] }> {
    return this.request(
      'DELETE',
      `/rooms/${encodeURIComponent(roomId)}/messages/${encodeURIComponent(messageId)}/reactions/${encodeURIComponent(emoji)}`,
    );
  }

  markRead(roomId: string, seq?: number): Promise<{ unread_count: number; total_unread: number }> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/read`, {
      body: seq === undefined ? {} : { seq },
    });
  }

  unread(): Promise<UnreadSummary> {
    return this.request('GET', '/unread');
  }

  presence(userIds: string[]): Promise<{ presence: PresenceRecord[] }> {
    return this.request('GET', '/presence', { query: { user_ids: userIds.join(',') } });
  }

  setPresence(body: { status: 'online' | 'away'; status_message?: string | null }): Promise<PresenceRecord> {
    return this.request('PUT', '/presence', { body });
  }
}
