import type { Room, User } from '../../protocol.js';
import type { Directory } from './directory.js';
import type { SendRecipient } from './send-intent.js';

/** Something the user may have meant: a person (their direct room follows) or a room. */
export type RecipientChoice = { type: 'user'; id: string; name: string } | { type: 'room'; id: string; name: string };

/** A name held against the directory: one clear fit, or the candidates for the user to pick from. */
export type RecipientMatch =
  | { kind: 'matched'; choice: RecipientChoice; room?: Room }
  /** Several fit equally well, or only loosely ("Al" → Alice), or none: the user picks; we never guess. */
  | { kind: 'choices'; reason: 'ambiguous' | 'not_found'; name: string; choices: RecipientChoice[] };

export interface ScoredChoice {
  choice: RecipientChoice;
  score: number;
  room?: Room;
}

const ROOM_SUFFIX = /\s+(?:team|channel|room|group|squad|crew)$/;
const MAX_CHOICES = 7;
/** Scores: an exact name (or id) wins; a first name counts as exact for people; a prefix is only a suggestion. */
export const EXACT = 3;
export const FIRST_NAME = 2;
export const PREFIX = 1;

/** Case, accents, apostrophes and spacing do not tell names apart: "josé  núñez" is "Jose Nunez". */
export function normalizeName(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[’‘`]/g, "'").toLowerCase().replace(/\s+/g, ' ').trim();
}

function scoreUser(user: User, wanted: string): number {
  const name = normalizeName(user.name);
  if (name === wanted || user.id.toLowerCase() === wanted) return EXACT;
  if (!wanted.includes(' ') && name.split(' ')[0] === wanted) return FIRST_NAME;
  return name.startsWith(wanted) ? PREFIX : 0;
}

function scoreRoom(room: Room, variants: string[]): number {
  const name = normalizeName(room.name ?? room.display_name);
  if (variants.includes(name)) return EXACT;
  return variants.some((v) => name.startsWith(v) || name.split(' ').some((word) => word === v)) ? PREFIX : 0;
}

/**
 * Every person and room the name fits, best first. A `user` recipient is only
 * held against people, a `room` only against rooms, an `unknown` against both.
 */
export function scoreRecipient(directory: Directory, recipient: SendRecipient): ScoredChoice[] {
  const wanted = normalizeName(recipient.name);
  if (!wanted) return [];
  const variants = [...new Set([wanted, wanted.replace(ROOM_SUFFIX, ''), wanted.replace(/^the /, '')])].filter(Boolean);
  const scored: ScoredChoice[] = [];
  if (recipient.type !== 'room') {
    for (const user of directory.users) {
      const score = scoreUser(user, wanted);
      if (score > 0) scored.push({ choice: { type: 'user', id: user.id, name: user.name }, score });
    }
  }
  if (recipient.type !== 'user') {
    for (const room of directory.rooms) {
      const score = scoreRoom(room, variants);
      if (score > 0) scored.push({ choice: { type: 'room', id: room.id, name: room.display_name }, score, room });
    }
  }
  return scored.sort((a, b) => b.score - a.score || a.choice.name.localeCompare(b.choice.name));
}

/** The best-scored candidates, all of equal score (empty when nothing fits). */
export function topChoices(scored: ScoredChoice[]): ScoredChoice[] {
  const best = scored[0];
  return best ? scored.filter((s) => s.score === best.score) : [];
}

/** A unique exact (or first-name) fit matches; anything else is a question for the user. */
export function matchRecipient(directory: Directory, recipient: SendRecipient): RecipientMatch {
  const scored = scoreRecipient(directory, recipient);
  const top = topChoices(scored);
  const best = top[0];
  if (!best) return { kind: 'choices', reason: 'not_found', name: recipient.name, choices: [] };
  if (best.score < FIRST_NAME || top.length > 1) {
    const choices = (top.length > 1 ? top : scored).slice(0, MAX_CHOICES).map((s) => s.choice);
    return { kind: 'choices', reason: 'ambiguous', name: recipient.name, choices };
  }
  return best.room
    ? { kind: 'matched', choice: best.choice, room: best.room }
    : { kind: 'matched', choice: best.choice };
}
