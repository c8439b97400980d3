// The list's per-row decisions on plain data: no element, no client, no server.
import type { LocalMessage, MessageStatus } from '@parley/sdk';
import { assert, assertEqual } from '../../test-support/assert.js';
import { at, joinedNote, message, participant, user } from '../../test-support/fixture-data.js';
import { defaultStrings } from '../../i18n.js';
import {
  arrivedFromOthers,
  listRows,
  rowClasses,
  rowParts,
  seenByText,
  type ListRow,
  type MessageRow,
} from './message-rows.js';
import { isJumboEmoji } from './message-content.js';

const alice = user('Alice');
const bob = user('Bob');
const carol = user('Carol');

/** A message as the store holds it, numbered in the order made. */
let nextSeq = 1;
function local(
  sender: typeof alice | null,
  content: string,
  createdAt: string,
  status: MessageStatus = 'sent',
  extra: Partial<LocalMessage> = {},
): LocalMessage {
  return { ...message('r1', sender, content, createdAt, { seq: nextSeq++, ...extra }), status };
}

function messageRows(rows: ListRow[]): MessageRow[] {
  return rows.filter((r): r is MessageRow => r.kind === 'message');
}

/** One letter per row: D day, S system, F first of a run, · continuing a run. */
function shape(rows: ListRow[]): string {
  return rows
    .map((r) => (r.kind === 'day' ? 'D' : r.kind === 'system' ? 'S' : r.kind === 'unread' ? 'U' : r.first ? 'F' : '·'))
    .join('');
}

describe('message rows', () => {
  it('puts a day separator where the local day changes and starts a new run on each break', () => {
    const messages = [
      local(bob, 'yesterday', at(2024, 3, 4, 22, 0)),
      local(bob, 'morning', at(2024, 3, 5, 9, 0)),
      local(bob, 'a minute later', at(2024, 3, 5, 9, 1)),
      local(null, '', at(2024, 3, 5, 9, 2), 'sent', { type: 'system' }),
      local(bob, 'after the note', at(2024, 3, 5, 9, 3)),
      local(bob, 'six minutes on', at(2024, 3, 5, 9, 9)),
      local(alice, 'another sender', at(2024, 3, 5, 9, 10)),
    ];
    const rows = listRows(messages, alice.id, [participant(alice), participant(bob)]);
    assertEqual(shape(rows), 'DFDF·SFFF', 'separators and run starts');
    const days = rows.filter((r) => r.kind === 'day');
    assertEqual(days[1]!.at, messages[1]!.created_at, "a separator carries its day's first message time");
    assert(days[0]!.key !== days[1]!.key, 'one key per day');
    const [, morning] = messageRows(rows);
    assertEqual(morning!.sender?.name, 'Bob', 'the sender, from the participants');
    // One timestamp per run: on its last message ("L"), the others show theirs on hover.
    assertEqual(
      messageRows(rows)
        .map((r) => (r.last ? 'L' : '·'))
        .join(''),
      'L·LLLL',
      'the last of each run',
    );
  });

  it('tells 1–3 emoji alone (shown large) from text with emoji', () => {
    for (const jumbo of ['👍', '🎉🎉', ' 😀 🙌 🚀 ', '👍🏽', '❤️', '👩‍💻', '🇫🇷'])
      assert(isJumboEmoji(jumbo), `jumbo: ${jumbo}`);
    for (const text of ['👍👍👍👍', 'ok 👍', '1', '', ':)', '👍.', null])
      assert(!isJumboEmoji(text), `not jumbo: ${text}`);
  });

  it('marks own rows, keys by client_id, and says who may act on a row and what its status is', () => {
    const sent = local(alice, 'mine', at(2024, 3, 5, 9, 0), 'sent', { client_id: 'c-1' });
    const pending = local(alice, 'sending', at(2024, 3, 5, 9, 1), 'pending', { client_id: 'c-2' });
    const failed = local(alice, 'refused', at(2024, 3, 5, 9, 2), 'failed');
    const deleted = local(bob, 'gone', at(2024, 3, 5, 9, 3), 'sent', { deleted_at: at(2024, 3, 5, 9, 4) });
    const unreadable = local(bob, 'x', at(2024, 3, 5, 9, 5), 'sent', { content: null, unreadable: true });
    const anonymous = local(null, 'no sender', at(2024, 3, 5, 9, 6));
    const rows = messageRows(listRows([sent, pending, failed, deleted, unreadable, anonymous], alice.id, []));

    assertEqual(rows[0]!.key, 'c-1', 'the client_id survives the swap from pending to stored');
    assertEqual(rows[4]!.key, unreadable.id, 'else the id');
    assertEqual(rows.map((r) => r.own).join(), 'true,true,true,false,false,false', 'own');
    assertEqual(rows.map((r) => r.canAct).join(), 'true,false,false,false,false,true', 'stored and not deleted');
    assertEqual(rows.map((r) => r.deleted).join(), 'false,false,false,true,true,false', 'tombstones');
    assertEqual(rowParts(rows[0]!), 'message message--own');
    assertEqual(rowParts(rows[1]!), 'message message--own message--pending');
    assertEqual(rowParts(rows[2]!), 'message message--own message--failed');
    assertEqual(rowParts(rows[3]!), 'message message--deleted');
    assertEqual(rowClasses(rows[0]!), 'message own first sent');
    assertEqual(rowClasses(rows[1]!), 'message own pending');
    assertEqual(rowClasses(rows[3]!), 'message first sent deleted');
  });

  it('shows "seen by" under my newest stored message only, readers in the order they read', () => {
    const mine = local(alice, 'did you see', at(2024, 3, 5, 9, 0));
    const theirs = local(bob, 'yes', at(2024, 3, 5, 9, 1));
    const unsent = local(alice, 'still sending', at(2024, 3, 5, 9, 2), 'pending');
    const people = [
      participant(alice, mine.seq, at(2024, 3, 5, 9, 0)),
      participant(carol, mine.seq, at(2024, 3, 5, 9, 5)),
      participant(bob, theirs.seq, at(2024, 3, 5, 9, 1)),
      participant(user('Dan'), mine.seq - 1, at(2024, 3, 5, 8, 0)),
    ];
    const rows = messageRows(listRows([mine, theirs, unsent], alice.id, people));
    const readers = (row: MessageRow | undefined) =>
      typeof row?.receipt === 'object' ? row.receipt.readers.map((p) => p.name).join() : row?.receipt;
    assertEqual(readers(rows[0]), 'Bob,Carol', 'Bob read first; not me, not Dan (read up to before it)');
    assertEqual(rows[1]!.receipt, undefined, 'not under theirs');
    assertEqual(rows[2]!.receipt, undefined, 'not under a pending one');
    assertEqual(messageRows(listRows([mine], alice.id, undefined))[0]!.receipt, undefined, 'no room, no receipts');
    const unread = [participant(alice, mine.seq), participant(bob, mine.seq - 1)];
    assertEqual(messageRows(listRows([mine], alice.id, unread))[0]!.receipt, 'delivered', 'no reader yet: delivered');

    assertEqual(seenByText(['Bob'], defaultStrings, 'en'), 'Seen by Bob');
    assertEqual(seenByText(['Bob', 'Carol', 'Dan'], defaultStrings, 'en'), 'Seen by Bob, Carol, and Dan');
    assertEqual(seenByText(['B', 'C', 'D', 'E'], defaultStrings, 'en'), 'Seen by B, C, and D and 1 other');
    assertEqual(seenByText(['B', 'C', 'D', 'E', 'F'], defaultStrings, 'en'), 'Seen by B, C, and D and 2 others');
  });

  it('puts "New messages" before the first message from someone else after where I had read, once', () => {
    const read = local(bob, 'read already', at(2024, 3, 5, 9, 0));
    const mineAfter = local(alice, 'my own, after', at(2024, 3, 5, 9, 1));
    const first = local(bob, 'first unread', at(2024, 3, 5, 9, 2));
    const second = local(bob, 'second unread', at(2024, 3, 5, 9, 3));
    const messages = [read, mineAfter, first, second];
    const people = [participant(alice), participant(bob)];
    assertEqual(shape(listRows(messages, alice.id, people, { unreadAfter: read.seq })), 'DFFUF·', 'the line, once');
    assertEqual(shape(listRows(messages, alice.id, people, { unreadAfter: second.seq })), 'DFFF·', 'all read: none');
    assertEqual(shape(listRows(messages, alice.id, people)), 'DFFF·', 'not asked for: none');
  });

  it("announces only someone else's stored message that is new since the last render", () => {
    const first = local(bob, 'history', at(2024, 3, 5, 9, 0));
    const news = local(bob, 'news', at(2024, 3, 5, 9, 1));
    assertEqual(arrivedFromOthers([first], undefined, alice.id), undefined, 'the first render announces nothing');
    assertEqual(arrivedFromOthers([first], first.id, alice.id), undefined, 'nothing new');
    assertEqual(arrivedFromOthers([first, news], first.id, alice.id), news, 'a new one from Bob');
    assertEqual(arrivedFromOthers([first, news], first.id, bob.id), undefined, 'my own is not news');
    const note = { ...joinedNote('r1', carol, at(2024, 3, 5, 9, 2)), status: 'sent' as const };
    assertEqual(arrivedFromOthers([first, note], first.id, alice.id), undefined, 'a system note is not');
    const pending = local(bob, 'not yet', at(2024, 3, 5, 9, 3), 'pending');
    assertEqual(arrivedFromOthers([first, pending], first.id, alice.id), undefined, 'an unstored one is not');
    assertEqual(arrivedFromOthers([], first.id, alice.id), undefined, 'an empty room');
  });
});
