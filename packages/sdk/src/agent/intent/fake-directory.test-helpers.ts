import type { Participant, Room, RoomPage, User } from '../../protocol.js';
import type { DirectoryClient } from './directory.js';

/**
 * A fixed directory behind the client calls the parser makes (`me`, `searchUsers`,
 * `listRooms`), answering as the server does: the search is a case-insensitive name
 * prefix or an exact id, never the searcher, ordered by name — so "asa" does not
 * find "Åsa", but Åsa is found among the people one shares a room with.
 */
export const ME: User = { id: 'mia', name: 'Mia Wong', avatar_url: null };

const user = (id: string, name: string): User => ({ id, name, avatar_url: null });
export const PEOPLE: User[] = [
  user('ann.lee', 'Ann Lee'),
  user('ann.smith', 'Ann Smith'),
  user('asa', 'Åsa Berg'),
  user('jose', 'José Núñez'),
  user('bob', 'Bob'),
  user('bob.stone', 'Bob Stone'),
  user('carol', 'Carol'),
  user('dev', 'Dev Patel'),
  user('devon', 'Devon Hart'),
  user('marie', 'Marie-Claire Dubois'),
  user('sean', 'Seán O’Brien'),
  user('zoe', 'Zoë Kravitz'),
  user('lei', '李雷'),
  // A bot named like the Ops room: "tell Ops …" fits both equally.
  user('ops', 'Ops'),
  ME,
];

/** A room of the fixture; the widget's test fixtures (widget/src/test-support/fixture-data.ts) spell one out alike, on purpose (see there). */
function room(id: string, type: Room['type'], name: string | null, memberIds: string[]): Room {
  const participants: Participant[] = [ME.id, ...memberIds].map((memberId) => ({
    ...PEOPLE.find((p) => p.id === memberId)!,
    joined_at: '2026-01-01T00:00:00.000Z',
    last_read_seq: 0,
    last_read_at: null,
  }));
  const other = participants.find((p) => p.id !== ME.id);
  return {
    id,
    type,
    name,
    display_name: name ?? other?.name ?? 'Room',
    participants,
    last_message: null,
    last_message_at: null,
    unread_count: 0,
    created_by: null,
    muted: false,
    last_seq: 0,
    created_at: '2026-01-01T00:00:00.000Z',
  };
}

export const ROOMS: Room[] = [
  room('r-design-review', 'group', 'Design review', ['ann.lee', 'jose']),
  room('r-design', 'group', 'Design', ['carol']),
  room('r-ops', 'group', 'Ops', ['dev']),
  room('r-book-club', 'group', 'Book Club', ['zoe']),
  room('r-general', 'group', 'General', []),
  room('r-support', 'group', 'Support', []),
  room('r-bob', 'direct', null, ['bob']),
  room('r-asa', 'direct', null, ['asa']),
];

export const fakeDirectory: DirectoryClient = {
  rest: {
    async me(): Promise<User> {
      return ME;
    },
    async searchUsers(q: string, limit = 20): Promise<{ users: User[] }> {
      const prefix = q.trim().toLowerCase();
      const users = PEOPLE.filter((p) => p.id !== ME.id)
        .filter((p) => p.name.toLowerCase().startsWith(prefix) || p.id === q.trim())
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { users: users.slice(0, limit) };
    },
    async listRooms(options: { limit?: number } = {}): Promise<RoomPage> {
      return { rooms: ROOMS.slice(0, options.limit ?? 30), next_cursor: null };
    },
  },
};
