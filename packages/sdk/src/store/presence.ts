import type { PresenceRecord } from '../protocol.js';

export type PresenceState = Readonly<Record<string, PresenceRecord>>;

export function applyPresence(state: PresenceState, record: PresenceRecord): PresenceState {
  return { ...state, [record.user_id]: record };
}
