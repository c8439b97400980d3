// What the message list shows per row, decided from data alone: no Lit, no DOM, so it can be
// tested with plain objects. The templates (message-list.templates.ts) only turn rows into markup.
import type { LocalMessage, Participant } from '@parley/sdk';
import { dayKey } from '../../format-time.js';
import { format, formatList, plural, type MessagingStrings } from '../../i18n.js';

/** Consecutive messages from one sender closer than this share one header (name, avatar). */
const GROUP_GAP_MS = 5 * 60_000;
/** "Seen by" names shown before "and N others". */
const RECEIPT_NAMES = 3;

/** A day separator before the first message of each calendar day; `at` is that message's time. */
export interface DayRow {
  kind: 'day';
  key: string;
  at: string;
}

export interface SystemRow {
  kind: 'system';
  key: string;
  message: LocalMessage;
}

export interface MessageRow {
  kind: 'message';
  key: string;
  message: LocalMessage;
  /** Undefined when the sender is not (or no longer) a participant. */
  sender: Participant | undefined;
  /** Sent by the signed-in user. */
  own: boolean;
  /** Starts a run by one sender: someone else's shows their avatar and name. */
  first: boolean;
  /** Ends a run: the run's one timestamp goes under it (the others show theirs on hover or focus). */
  last: boolean;
  /** A tombstone: deleted, or content the server could not read. */
  deleted: boolean;
  /** Stored and not deleted: only then can it be reacted to, edited or deleted. */
  canAct: boolean;
  /**
   * On the user's newest stored message only: who has read it (in the order they read it), or
   * `delivered` when no one has yet. Undefined on every other row.
   */
  receipt: { readers: readonly Participant[] } | 'delivered' | undefined;
}

/** "New messages": where the user had read up to when they opened the room. */
export interface UnreadRow {
  kind: 'unread';
  key: 'unread';
}

export type ListRow = DayRow | SystemRow | MessageRow | UnreadRow;

export interface RowOptions {
  /**
   * The user's read position when the room was opened: the "New messages" line goes before the first
   * message from someone else after it (fixed while the room is open, so it does not vanish as it is read).
   */
  unreadAfter?: number | null;
}

export function findParticipant(
  participants: readonly Participant[] | undefined,
  userId: string | null,
): Participant | undefined {
  return userId ? participants?.find((p) => p.id === userId) : undefined;
}

/**
 * The other participants who have read my newest stored message, in the order they read it (then
 * by name): stable whatever order the server lists participants in.
 */
export function readersOfMyLast(
  messages: readonly LocalMessage[],
  me: string | null,
  participants: readonly Participant[] | undefined,
): { id: string; readers: Participant[] } | undefined {
  const mine = messages.findLast((m) => m.status === 'sent' && m.sender_id === me && m.type !== 'system');
  if (!mine || !participants) return undefined;
  const readers = participants
    .filter((p) => p.id !== me && p.last_read_seq >= mine.seq)
    .sort((a, b) => (a.last_read_at ?? '').localeCompare(b.last_read_at ?? '') || a.name.localeCompare(b.name));
  return { id: mine.id, readers };
}

/** "Seen by Bob, Carol and Dan" or, past three names, "Seen by … and N others" (the group receipt's label). */
export function seenByText(names: readonly string[], strings: MessagingStrings, locale: string | undefined): string {
  const list = formatList(names.slice(0, RECEIPT_NAMES), locale);
  const rest = names.length - RECEIPT_NAMES;
  return rest > 0
    ? plural(strings.seenByOthers, rest, locale, { names: list })
    : format(strings.seenBy, { names: list });
}

/** Rows in order: a day separator wherever the calendar day changes, then each message, keyed for `repeat`. */
export function listRows(
  messages: readonly LocalMessage[],
  me: string | null,
  participants: readonly Participant[] | undefined,
  options: RowOptions = {},
): ListRow[] {
  const mine = readersOfMyLast(messages, me, participants);
  const rows: ListRow[] = [];
  let previous: LocalMessage | undefined;
  let lastDay: string | undefined;
  const { unreadAfter } = options;
  let unreadShown = unreadAfter === undefined || unreadAfter === null;
  for (const message of messages) {
    if (
      !unreadShown &&
      message.status === 'sent' &&
      message.seq > unreadAfter! &&
      message.sender_id !== me &&
      message.type !== 'system'
    ) {
      unreadShown = true;
      rows.push({ kind: 'unread', key: 'unread' });
      // The line starts a new run: the next message shows its sender again.
      previous = undefined;
    }
    const day = dayKey(message.created_at);
    const newDay = day !== lastDay;
    lastDay = day;
    if (newDay) rows.push({ kind: 'day', key: `day:${day}`, at: message.created_at });
    // The client_id survives the swap from the pending copy to the stored one: the row is kept.
    const key = message.client_id ?? message.id;
    if (message.type === 'system') {
      rows.push({ kind: 'system', key, message });
    } else {
      const deleted = message.deleted_at !== null || message.content === null;
      rows.push({
        kind: 'message',
        key,
        message,
        sender: findParticipant(participants, message.sender_id),
        own: message.sender_id !== null && message.sender_id === me,
        first:
          newDay ||
          !previous ||
          previous.type === 'system' ||
          previous.sender_id !== message.sender_id ||
          Date.parse(message.created_at) - Date.parse(previous.created_at) > GROUP_GAP_MS,
        last: true,
        deleted,
        canAct: message.status === 'sent' && !deleted,
        receipt: mine?.id === message.id ? (mine.readers.length ? { readers: mine.readers } : 'delivered') : undefined,
      });
    }
    previous = message;
  }
  // A row ends its run unless the next row continues it (same sender, within the gap, same day).
  for (let i = 0; i < rows.length - 1; i++) {
    const row = rows[i]!;
    const next = rows[i + 1]!;
    if (row.kind === 'message' && next.kind === 'message' && !next.first) row.last = false;
  }
  return rows;
}

/** The row's classes (the stylesheet's hooks): `message`, `own`, `first`, `last`, its status, `deleted`. */
export function rowClasses(row: MessageRow): string {
  return [
    'message',
    row.own && 'own',
    row.first && 'first',
    row.last && 'last',
    row.message.status,
    row.deleted && 'deleted',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The row's parts (the host's hooks): `message`, `message--own`, `message--pending|failed`, `message--deleted`. */
export function rowParts(row: MessageRow): string {
  const { status } = row.message;
  return [
    'message',
    row.own && 'message--own',
    status !== 'sent' && `message--${status}`,
    row.deleted && 'message--deleted',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The message to announce after an update: the newest one when it is new since the last render
 * and came from someone else. My own sends and system notes are not news.
 */
export function arrivedFromOthers(
  messages: readonly LocalMessage[],
  previousLastId: string | undefined,
  me: string | null,
): LocalMessage | undefined {
  const last = messages[messages.length - 1];
  if (!last || previousLastId === undefined || last.id === previousLastId) return undefined;
  if (last.status !== 'sent' || last.sender_id === me || last.type === 'system') return undefined;
  return last;
}
