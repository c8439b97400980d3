import type { Message, ReactionSummary, RoomEvent } from '../protocol.js';

/** `pending`: shown at once, not yet stored by the server; `failed`: the server refused it or it could not be sent. */
export type MessageStatus = 'sent' | 'pending' | 'failed';

export interface LocalMessage extends Message {
  status: MessageStatus;
  /** Why a failed send failed. */
  error?: { code: string; message: string };
}

/** The loaded slice of one room's history, oldest first; a failed send in its place in time, pending sends last. */
export interface MessageWindow {
  messages: LocalMessage[];
  /** Whether older messages exist beyond the window (load them with `loadOlderMessages`). */
  hasOlder: boolean;
  loaded: boolean;
}

export type MessagesState = Readonly<Record<string, MessageWindow>>;

export const EMPTY_WINDOW: MessageWindow = Object.freeze({ messages: [], hasOlder: false, loaded: false });

const byCreatedAt = (a: LocalMessage, b: LocalMessage) =>
  a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;

/**
 * A window's order: stored messages by seq; a failed send where it was written among them (by time:
 * it keeps its place as newer messages arrive); sends still pending last, in the order they were made.
 */
function inOrder(messages: LocalMessage[]): LocalMessage[] {
  const stored = messages.filter((m) => m.status === 'sent').sort((a, b) => a.seq - b.seq);
  const failed = messages.filter((m) => m.status === 'failed').sort(byCreatedAt);
  const pending = messages.filter((m) => m.status === 'pending').sort(byCreatedAt);
  if (!failed.length) return pending.length ? [...stored, ...pending] : stored;
  const out: LocalMessage[] = [];
  let next = 0;
  for (const message of stored) {
    while (next < failed.length && failed[next]!.created_at < message.created_at) out.push(failed[next++]!);
    out.push(message);
  }
  return [...out, ...failed.slice(next), ...pending];
}

/**
 * Merge server copies into a room's window: dedupe by id, and replace an optimistic
 * message by the stored one with the same `client_id`.
 */
export function upsertMessages(
  state: MessagesState,
  roomId: string,
  incoming: readonly Message[],
  patch: Partial<Pick<MessageWindow, 'hasOlder' | 'loaded'>> = {},
): MessagesState {
  const window = state[roomId] ?? EMPTY_WINDOW;
  const byId = new Map(window.messages.map((m) => [m.id, m]));
  const pendingByClientId = new Map(
    window.messages.filter((m) => m.status !== 'sent' && m.client_id).map((m) => [m.client_id!, m.id]),
  );
  for (const message of incoming) {
    const localId = message.client_id ? pendingByClientId.get(message.client_id) : undefined;
    if (localId !== undefined) byId.delete(localId);
    byId.set(message.id, { ...message, status: 'sent' });
  }
  const messages = inOrder([...byId.values()]);
  return { ...state, [roomId]: { ...window, ...patch, messages } };
}

/** Show a message the user just sent, before the server has it. */
export function addPending(state: MessagesState, message: LocalMessage): MessagesState {
  const window = state[message.room_id] ?? EMPTY_WINDOW;
  if (window.messages.some((m) => m.id === message.id)) return state;
  return { ...state, [message.room_id]: { ...window, messages: inOrder([...window.messages, message]) } };
}

/** A failed send the user discarded. */
export function removePending(state: MessagesState, roomId: string, clientId: string): MessagesState {
  const window = state[roomId];
  if (!window?.messages.some((m) => m.status !== 'sent' && m.client_id === clientId)) return state;
  const messages = window.messages.filter((m) => m.status === 'sent' || m.client_id !== clientId);
  return { ...state, [roomId]: { ...window, messages } };
}

export function setPendingStatus(
  state: MessagesState,
  roomId: string,
  clientId: string,
  status: 'pending' | 'failed',
  error?: LocalMessage['error'],
): MessagesState {
  const window = state[roomId];
  if (!window) return state;
  let changed = false;
  const messages = window.messages.map((m) => {
    if (m.status === 'sent' || m.client_id !== clientId) return m;
    changed = true;
    const next: LocalMessage = { ...m, status };
    if (error) next.error = error;
    else delete next.error;
    return next;
  });
  return changed ? { ...state, [roomId]: { ...window, messages: inOrder(messages) } } : state;
}

function updateMessage(
  state: MessagesState,
  roomId: string,
  messageId: string,
  update: (m: LocalMessage) => LocalMessage,
): MessagesState {
  const window = state[roomId];
  if (!window) return state;
  const index = window.messages.findIndex((m) => m.id === messageId);
  if (index < 0) return state;
  const messages = window.messages.slice();
  messages[index] = update(messages[index]!);
  return { ...state, [roomId]: { ...window, messages } };
}

/** Set one emoji's absolute count (and, when the viewer reacted or un-reacted, their flag); drops emojis at zero. */
export function applyReactionCount(
  reactions: readonly ReactionSummary[],
  emoji: string,
  count: number,
  mine: boolean | undefined,
): ReactionSummary[] {
  const next = reactions.map((r) => ({ ...r }));
  let entry = next.find((r) => r.emoji === emoji);
  if (!entry) {
    entry = { emoji, count: 0, me: false };
    next.push(entry);
  }
  entry.count = count;
  if (mine !== undefined) entry.me = mine;
  return next.filter((r) => r.count > 0);
}

/** Apply one logged room change to the loaded messages. Unknown messages (outside the window) are ignored. */
export function applyRoomEventToMessages(state: MessagesState, event: RoomEvent, meId: string | null): MessagesState {
  switch (event.kind) {
    case 'message.created': {
      // A room whose history was never loaded stays unloaded: the first load fetches it whole.
      if (!state[event.room_id]) return state;
      return upsertMessages(state, event.room_id, [event.data.message]);
    }
    case 'message.updated':
    case 'message.deleted': {
      const { message } = event.data;
      return updateMessage(state, event.room_id, message.id, (m) => ({
        ...message,
        reactions: message.reactions ?? m.reactions,
        status: 'sent',
      }));
    }
    case 'reaction.added':
    case 'reaction.removed': {
      const { message_id, emoji, user_id, count } = event.data;
      return updateMessage(state, event.room_id, message_id, (m) => ({
        ...m,
        reactions: applyReactionCount(
          m.reactions,
          emoji,
          count,
          user_id === meId ? event.kind === 'reaction.added' : undefined,
        ),
      }));
    }
    default:
      return state;
  }
}
