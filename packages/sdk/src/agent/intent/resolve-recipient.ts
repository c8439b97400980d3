import type { Room } from '../../protocol.js';
import type { AgentClient } from '../agent-client.js';
import type { SendRecipient } from './send-intent.js';

/** Something the user may have meant: a person (their direct room follows) or a room. */
export type RecipientChoice = { type: 'user'; id: string; name: string } | { type: 'room'; id: string; name: string };

export type RecipientResolution =
  | { kind: 'resolved'; room: { id: string; display_name: string; type: Room['type'] }; matched: RecipientChoice }
  /** Several fit equally well, or only loosely ("Al" → Alice), or none: the user picks; we never guess. */
  | { kind: 'choices'; reason: 'ambiguous' | 'not_found'; name: string; choices: RecipientChoice[] };

const ROOM_SUFFIX = /\s+(?:team|channel|room|group|squad|crew)$/;
const MAX_CHOICES = 7;
/** Scores: an exact name (or id) wins; a first name counts as exact for people; a prefix is only a suggestion. */
const EXACT = 3;
const FIRST_NAME = 2;
const PREFIX = 1;

function normalize(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function scoreUser(user: { id: string; name: string }, wanted: string): number {
  const name = normalize(user.name);
  if (name === wanted || user.id.toLowerCase() === wanted) return EXACT;
  if (!wanted.includes(' ') && name.split(' ')[0] === wanted) return FIRST_NAME;
  return name.startsWith(wanted) ? PREFIX : 0;
}

function scoreRoom(room: Room, variants: string[]): number {
  const name = normalize(room.name ?? room.display_name);
  if (variants.includes(name)) return EXACT;
  return variants.some((v) => name.startsWith(v) || name.split(' ').some((word) => word === v)) ? PREFIX : 0;
}

/**
 * Finds the room a send should go to: a person by name → their direct room
 * (opened if there is none yet, unless `openDirectRoom` is false), or a group
 * room by name. A unique exact match resolves; anything else returns choices.
 */
export async function resolveRecipient(
  client: AgentClient,
  recipient: SendRecipient,
  options: { openDirectRoom?: boolean } = {},
): Promise<RecipientResolution> {
  const wanted = normalize(recipient.name);
  const variants = [...new Set([wanted, wanted.replace(ROOM_SUFFIX, ''), wanted.replace(/^the /, '')])].filter(Boolean);
  const scored: { choice: RecipientChoice; score: number }[] = [];

  if (recipient.type !== 'room' && wanted) {
    const [me, { users }] = await Promise.all([client.rest.me(), client.rest.searchUsers(wanted.split(' ')[0]!, 50)]);
    for (const user of users) {
      const score = user.id === me.id ? 0 : scoreUser(user, wanted);
      if (score > 0) scored.push({ choice: { type: 'user', id: user.id, name: user.name }, score });
    }
  }
  const roomsById = new Map<string, Room>();
  if (recipient.type !== 'user' && wanted) {
    const { rooms } = await client.rest.listRooms({ limit: 100 });
    for (const room of rooms) {
      if (room.type !== 'group') continue; // people are found as users, with their direct room
      const score = scoreRoom(room, variants);
      if (score > 0) {
        roomsById.set(room.id, room);
        scored.push({ choice: { type: 'room', id: room.id, name: room.display_name }, score });
      }
    }
  }

  scored.sort((a, b) => b.score - a.score || a.choice.name.localeCompare(b.choice.name));
  const best = scored[0];
  if (!best) return { kind: 'choices', reason: 'not_found', name: recipient.name, choices: [] };
  const top = scored.filter((s) => s.score === best.score);
  if (best.score < FIRST_NAME || top.length > 1) {
    const choices = (top.length > 1 ? top : scored).slice(0, MAX_CHOICES).map((s) => s.choice);
    return { kind: 'choices', reason: 'ambiguous', name: recipient.name, choices };
  }

  const matched = best.choice;
  if (matched.type === 'room') {
    const room = roomsById.get(matched.id)!;
    return { kind: 'resolved', room: { id: room.id, display_name: room.display_name, type: room.type }, matched };
  }
  if (options.openDirectRoom === false) {
    const existing = (await client.rest.listRooms({ limit: 100 })).rooms.find(
      (r) => r.type === 'direct' && r.participants.some((p) => p.id === matched.id),
    );
    if (!existing) return { kind: 'choices', reason: 'not_found', name: recipient.name, choices: [matched] };
    return {
      kind: 'resolved',
      room: { id: existing.id, display_name: existing.display_name, type: existing.type },
      matched,
    };
  }
  const room = await client.rest.createRoom({ type: 'direct', user_ids: [matched.id] });
  return { kind: 'resolved', room: { id: room.id, display_name: room.display_name, type: room.type }, matched };
}
