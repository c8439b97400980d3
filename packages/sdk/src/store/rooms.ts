import type { Message, Participant, ReadMarker, Room, RoomEvent } from '../protocol.js';

export interface RoomsState {
  byId: Readonly<Record<string, Room>>;
  /** Room ids, most recent activity first. */
  order: readonly string[];
  loaded: boolean;
  nextCursor: string | null;
}

export const INITIAL_ROOMS: RoomsState = { byId: {}, order: [], loaded: false, nextCursor: null };

function activity(room: Room): string {
  return room.last_message_at ?? room.created_at;
}

function sortOrder(byId: Record<string, Room>): string[] {
  return Object.values(byId)
    .sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : a.id < b.id ? -1 : 1))
    .map((r) => r.id);
}

export function upsertRooms(
  state: RoomsState,
  rooms: readonly Room[],
  patch: Partial<Omit<RoomsState, 'byId' | 'order'>> = {},
): RoomsState {
  const byId = { ...state.byId };
  for (const room of rooms) {
    const known = byId[room.id];
    // A fetched room can be older than what the socket already told us: keep the newer seq.
    byId[room.id] = known && known.last_seq > room.last_seq ? { ...room, ...known } : room;
  }
  return { ...state, ...patch, byId, order: sortOrder(byId) };
}

export function removeRoom(state: RoomsState, roomId: string): RoomsState {
  if (!state.byId[roomId]) return state;
  const { [roomId]: _removed, ...byId } = state.byId;
  return { ...state, byId, order: state.order.filter((id) => id !== roomId) };
}

/** The user's own mute setting for a room (a `mute` frame, or a REST answer that may be older than the store). */
export function setMuted(state: RoomsState, roomId: string, muted: boolean): RoomsState {
  const room = state.byId[roomId];
  if (!room || room.muted === muted) return state;
  return { ...state, byId: { ...state.byId, [roomId]: { ...room, muted } } };
}

/** Someone left a room or was removed from it (before or without its `member.left` event). */
export function removeParticipant(state: RoomsState, roomId: string, userId: string): RoomsState {
  const room = state.byId[roomId];
  if (!room?.participants.some((p) => p.id === userId)) return state;
  const participants = room.participants.filter((p) => p.id !== userId);
  return { ...state, byId: { ...state.byId, [roomId]: { ...room, participants } } };
}

export function setUnread(state: RoomsState, roomId: string, unread: number): RoomsState {
  const room = state.byId[roomId];
  if (!room || room.unread_count === unread) return state;
  return { ...state, byId: { ...state.byId, [roomId]: { ...room, unread_count: unread } } };
}

function withLastMessage(room: Room, message: Message, meId: string | null): Room {
  const myRead = room.participants.find((p) => p.id === meId)?.last_read_seq ?? 0;
  const countsAsUnread = message.sender_id !== meId && message.type !== 'system' && message.seq > myRead;
  return {
    ...room,
    last_message: message,
    last_message_at: message.created_at,
    unread_count: room.unread_count + (countsAsUnread ? 1 : 0),
  };
}

/** Apply one logged change to the room list: previews, order, seq, names, members, read markers. */
export function applyRoomEventToRooms(state: RoomsState, event: RoomEvent, meId: string | null): RoomsState {
  const current = state.byId[event.room_id];
  if (!current) return state;
  let room: Room = { ...current, last_seq: Math.max(current.last_seq, event.seq) };
  switch (event.kind) {
    case 'message.created':
      room = withLastMessage(room, event.data.message, meId);
      break;
    case 'message.updated':
    case 'message.deleted':
      if (room.last_message?.id === event.data.message.id) room.last_message = event.data.message;
      break;
    case 'room.updated':
      room.name = event.data.room.name;
      if (room.type === 'group' && event.data.room.name) room.display_name = event.data.room.name;
      break;
    case 'member.joined':
      if (!room.participants.some((p) => p.id === event.data.user.id)) {
        room.participants = [
          ...room.participants,
          { ...event.data.user, joined_at: event.at, last_read_seq: 0, last_read_at: null },
        ];
      }
      break;
    case 'member.left':
      room.participants = room.participants.filter((p) => p.id !== event.data.user_id);
      break;
    case 'read.updated':
      room.participants = withMarkers(room.participants, [event.data]);
      break;
    default:
      break;
  }
  const byId = { ...state.byId, [room.id]: room };
  return { ...state, byId, order: event.kind === 'message.created' ? sortOrder(byId) : state.order };
}

/** Participants with these read markers applied; a marker never moves backwards. */
function withMarkers(participants: Participant[], markers: readonly ReadMarker[]): Participant[] {
  return participants.map((p) => {
    const marker = markers.find((m) => m.user_id === p.id);
    return marker && marker.last_read_seq > p.last_read_seq
      ? { ...p, last_read_seq: marker.last_read_seq, last_read_at: marker.last_read_at }
      : p;
  });
}

/** A `reads` frame: participants' read markers that moved (not logged, so not a room event). */
export function applyReadMarkers(state: RoomsState, roomId: string, markers: readonly ReadMarker[]): RoomsState {
  const room = state.byId[roomId];
  if (!room) return state;
  const participants = withMarkers(room.participants, markers);
  if (participants.every((p, i) => p === room.participants[i])) return state;
  return { ...state, byId: { ...state.byId, [roomId]: { ...room, participants } } };
}

/**
 * The number a floating button's badge shows: unread over the rooms that are not muted (a muted room keeps its
 * own `unread_count`). The server's totals (`GET /unread`, `unread` and `mute` frames) count the same way.
 */
export function selectTotalUnread(state: RoomsState): number {
  let total = 0;
  for (const id of state.order) {
    const room = state.byId[id];
    if (room && !room.muted) total += room.unread_count;
  }
  return total;
}

export function selectRoomList(state: RoomsState): Room[] {
  return state.order.map((id) => state.byId[id]!).filter(Boolean);
}
