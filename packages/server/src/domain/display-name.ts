import type { Participant, RoomType } from '@parley/sdk/protocol';

/** How many member names an unnamed group shows before "and N others". */
const NAMES_SHOWN = 2;

/**
 * What a UI calls a room, from one viewer's side. Direct: the other person.
 * Group: its custom name, else its other members in join order —
 * "Bob", "Bob and Carol", "Bob, Carol and Dave", "Bob, Carol and 2 others".
 */
export function displayName(
  room: { type: RoomType; name: string | null },
  members: readonly Pick<Participant, 'id' | 'name'>[],
  viewerId: string,
): string {
  if (room.type === 'group' && room.name) return room.name;
  const others = members.filter((m) => m.id !== viewerId).map((m) => m.name || m.id);
  if (others.length === 0) return room.type === 'group' ? 'Just you' : 'Nobody';
  if (others.length === 1) return others[0]!;
  if (others.length <= NAMES_SHOWN + 1) return `${others.slice(0, -1).join(', ')} and ${others[others.length - 1]}`;
  const rest = others.length - NAMES_SHOWN;
  return `${others.slice(0, NAMES_SHOWN).join(', ')} and ${rest} others`;
}
