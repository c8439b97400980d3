import type { Room } from '../../protocol.js';
import type { AgentClient } from '../agent-client.js';
import { readDirectory } from './directory.js';
import { matchRecipient, type RecipientChoice } from './recipient-match.js';
import type { SendRecipient } from './send-intent.js';

export type { RecipientChoice } from './recipient-match.js';

export type RecipientResolution =
  | { kind: 'resolved'; room: { id: string; display_name: string; type: Room['type'] }; matched: RecipientChoice }
  /** Several fit equally well, or only loosely ("Al" → Alice), or none: the user picks; we never guess. */
  | { kind: 'choices'; reason: 'ambiguous' | 'not_found'; name: string; choices: RecipientChoice[] };

function roomRef(room: Room): { id: string; display_name: string; type: Room['type'] } {
  return { id: room.id, display_name: room.display_name, type: room.type };
}

/**
 * Finds the room a send should go to: a person by name → their direct room
 * (opened if there is none yet, unless `openDirectRoom` is false), or a group
 * room by name. A unique exact match resolves; anything else returns choices.
 * With `openDirectRoom: false`, a person with no direct room yet is `not_found`
 * with that person as the only choice (a real `not_found` has no choices).
 */
export async function resolveRecipient(
  client: AgentClient,
  recipient: SendRecipient,
  options: { openDirectRoom?: boolean } = {},
): Promise<RecipientResolution> {
  const firstWord = recipient.name.trim().split(/\s+/)[0] ?? '';
  const directory = await readDirectory(client, recipient.type === 'room' ? [] : [firstWord]);
  const match = matchRecipient(directory, recipient);
  if (match.kind === 'choices') return match;

  const matched = match.choice;
  if (match.room) return { kind: 'resolved', room: roomRef(match.room), matched };
  if (options.openDirectRoom === false) {
    const existing = directory.allRooms.find(
      (r) => r.type === 'direct' && r.participants.some((p) => p.id === matched.id),
    );
    if (!existing) return { kind: 'choices', reason: 'not_found', name: recipient.name, choices: [matched] };
    return { kind: 'resolved', room: roomRef(existing), matched };
  }
  const room = await client.rest.createRoom({ type: 'direct', user_ids: [matched.id] });
  return { kind: 'resolved', room: roomRef(room), matched };
}
