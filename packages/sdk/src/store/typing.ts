/** Who is typing, per room: user id → the time (ms) their indicator expires. */
export type TypingState = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** A typing indicator nobody refreshes disappears after this long (a client that crashed mid-word). */
export const TYPING_TTL_MS = 6_000;

export function applyTyping(
  state: TypingState,
  roomId: string,
  userId: string,
  typing: boolean,
  now: number,
): TypingState {
  const room = { ...(state[roomId] ?? {}) };
  if (typing) room[userId] = now + TYPING_TTL_MS;
  else if (userId in room) delete room[userId];
  else return state;
  return { ...state, [roomId]: room };
}

/** Drop expired indicators; returns the same object when nothing expired. */
export function expireTyping(state: TypingState, now: number): TypingState {
  let changed = false;
  const next: Record<string, Record<string, number>> = {};
  for (const [roomId, users] of Object.entries(state)) {
    const kept: Record<string, number> = {};
    for (const [userId, until] of Object.entries(users)) {
      if (until > now) kept[userId] = until;
      else changed = true;
    }
    next[roomId] = kept;
  }
  return changed ? next : state;
}

export function selectTypingUsers(state: TypingState, roomId: string): string[] {
  return Object.keys(state[roomId] ?? {});
}
