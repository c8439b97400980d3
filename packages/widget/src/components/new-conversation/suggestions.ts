import type { PresenceState, Room, User } from '@parley/sdk';

/** How many people "new conversation" suggests before anything is typed. */
const SUGGESTIONS = 8;

/**
 * Whom to suggest before a search: the people of the user's rooms, most recent conversation first,
 * those online now ahead of the rest (as Slack's and Teams' pickers open), never the user themself.
 */
export function suggestedPeople(rooms: readonly Room[], me: string | null, presence: PresenceState): User[] {
  const seen = new Map<string, User>();
  for (const room of rooms) {
    for (const p of room.participants) {
      if (p.id !== me && !seen.has(p.id)) seen.set(p.id, { id: p.id, name: p.name, avatar_url: p.avatar_url });
    }
  }
  const recent = [...seen.values()];
  const online = (user: User) => presence[user.id]?.status === 'online';
  // A stable sort: within "online" and "not", the most recent conversation first.
  return recent.sort((a, b) => Number(online(b)) - Number(online(a))).slice(0, SUGGESTIONS);
}
