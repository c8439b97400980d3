// <messaging-message-list> on the in-memory stub server: fixture data in, rows out, live events
// pushed by the test. No Parley server is involved (compare message-list.test.ts, which uses one).
import './message-list.js';
import type { ParleyClient } from '@parley/sdk';
import type { MessagingMessageList } from './message-list.component.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { deep, deepAll } from '../../test-support/fixture.js';
import { at, groupRoom, joinedNote, message, participant, user } from '../../test-support/fixture-data.js';
import { StubParley, type StubData } from '../../test-support/stub-client.js';

const alice = user('Alice');
const bob = user('Bob');
const carol = user('Carol');

let stub: StubParley | undefined;
const mounted = new Set<Element>();

/** A list for `roomId` on a connected stub client, its messages loaded as the room view would. */
async function listOn(
  data: StubData,
  roomId: string,
  options: { height?: number; pageSize?: number } = {},
): Promise<{ list: MessagingMessageList; client: ParleyClient; stub: StubParley }> {
  stub = new StubParley(data);
  const client = stub.client(options.pageSize ? { pageSize: options.pageSize } : {});
  await client.connect();
  const list = document.createElement('messaging-message-list');
  list.client = client;
  list.roomId = roomId;
  list.room = await client.getRoom(roomId);
  // A short list, so that it scrolls (CSSOM styles are not inline style attributes: CSP allows them).
  if (options.height) list.style.height = `${options.height}px`;
  document.body.append(list);
  mounted.add(list);
  await client.loadMessages(roomId);
  return { list, client, stub };
}

const scroller = (list: Element) => deep(list, '[part=base]')!;
const atBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight < 2;
const bubbleTexts = (list: Element) => deepAll(list, '[part~=bubble]').map((b) => b.textContent);

/** `count` alternating messages from Bob and Alice, a minute apart. */
function history(roomId: string, count: number) {
  return Array.from({ length: count }, (_, i) =>
    message(roomId, i % 2 ? alice : bob, `message ${i + 1}`, at(2024, 3, 5, 9, i)),
  );
}

describe('messaging-message-list on the stub client', () => {
  afterEach(() => {
    for (const el of mounted) el.remove();
    mounted.clear();
    stub?.destroy();
    stub = undefined;
  });

  it('renders day separators, one header per run, own and system rows, and "seen by" from fixture data', async () => {
    // Alice has read everything (no "New messages" line); Bob up to seq 7.
    const room = groupRoom('r1', 'Planning', [
      participant(alice, 7),
      participant(bob, 7, at(2024, 3, 5, 9, 30)),
      carol,
    ]);
    const { list } = await listOn(
      {
        me: alice,
        rooms: [room],
        messages: {
          r1: [
            message('r1', bob, 'see you tomorrow', at(2024, 3, 4, 18, 0)),
            message('r1', bob, 'morning', at(2024, 3, 5, 9, 0)),
            message('r1', bob, 'coffee?', at(2024, 3, 5, 9, 1)),
            joinedNote('r1', carol, at(2024, 3, 5, 9, 2)),
            message('r1', bob, 'hi Carol', at(2024, 3, 5, 9, 3)),
            message('r1', alice, 'yes please', at(2024, 3, 5, 9, 4)),
            message('r1', alice, 'oat milk', at(2024, 3, 5, 9, 5)),
          ],
        },
      },
      'r1',
    );

    await waitFor(() => bubbleTexts(list).length === 6, 'the six text messages');
    const rows = deepAll(list, 'li');
    const kinds = rows.map((li) =>
      li.part.contains('day')
        ? 'day'
        : li.part.contains('message--system')
          ? 'system'
          : li.part.contains('message--own')
            ? 'own'
            : 'other',
    );
    assertEqual(kinds.join(), 'day,other,day,other,other,system,other,own,own', 'rows in order');
    const [yesterday, today] = deepAll(list, '[part=day]').map((d) => d.textContent?.trim());
    assert(yesterday && today && yesterday !== today, `two different days (${yesterday} / ${today})`);
    const senders = deepAll(list, '[part=sender]').map((s) => s.textContent);
    assertEqual(senders.join(), 'Bob,Bob,Bob', 'a name per run: each day, and again after the note');
    assertEqual(deep(list, '[part=system]')?.textContent, 'Carol joined', 'the note, worded by the widget');
    const receipts = deepAll(list, '[part=receipt]');
    assertEqual(receipts.length, 1, 'one receipt');
    assertEqual(receipts[0]!.getAttribute('aria-label'), 'Seen by Bob', 'Bob read up to seq 7; Carol has read nothing');
    assert(rows.at(-1)!.contains(receipts[0]!), 'under my newest message');
  });

  it('shows a pushed message.created event live, announces it, and counts it while scrolled up', async () => {
    // Alice has read it all: the list opens at the bottom (not at a "New messages" line).
    const room = groupRoom('r1', 'Live', [participant(alice, 1_000), bob]);
    const { list, stub } = await listOn({ me: alice, rooms: [room], messages: { r1: history('r1', 30) } }, 'r1', {
      height: 200,
    });
    const el = scroller(list);
    await waitFor(() => bubbleTexts(list).length === 30 && atBottom(el), 'the history, at the bottom');

    stub.deliver(message('r1', bob, 'live one', new Date().toISOString()));
    await waitFor(() => bubbleTexts(list).at(-1) === 'live one', 'the pushed message');
    await waitFor(() => atBottom(el), 'still following the bottom');
    const live = deep(list, '[aria-live=polite]')!;
    assertEqual(live.textContent, 'New message from Bob: live one', 'announced politely');
    assertEqual(deep(list, '[part=new-messages]'), null, 'no "new messages" button while following');

    el.scrollTop = 0;
    await waitFor(() => el.scrollTop === 0 && !atBottom(el), 'scrolled up');
    stub.deliver(message('r1', bob, 'while away', new Date().toISOString()));
    const pill = await waitFor(() => deep<HTMLButtonElement>(list, '[part=new-messages]'), 'the button');
    assertEqual(pill.textContent?.trim(), '1 new message', 'counts it');
    assertEqual(el.scrollTop, 0, 'the reader stays where they were');

    pill.click();
    await waitFor(() => atBottom(el) && !deep(list, '[part=new-messages]'), 'jumped down, button gone');
  });

  it('my own send shows at once as sending, then as sent once the stub acknowledges it', async () => {
    const room = groupRoom('r1', 'Mine', [alice, bob]);
    const { list, client, stub } = await listOn({ me: alice, rooms: [room] }, 'r1');
    await waitFor(() => deep(list, '[part=notice]')?.textContent === 'No messages yet. Say hello!', 'empty room');

    stub.hold();
    const sent = client.sendMessage('r1', 'hello there');
    const row = await waitFor(() => deep(list, '[part~=message--own]'), 'my row');
    assert(row.part.contains('message--pending'), 'pending until the server answers');
    assertEqual(deep(row, '[part=status]')?.textContent, 'Sending…');
    assertEqual(deep(row, '[part=actions-button]'), null, 'no actions on an unsent message');
    stub.release();
    await sent;
    await waitFor(() => !row.part.contains('message--pending'), 'sent');
    assertEqual(deep(list, '[part~=message--own]'), row, 'the same row, kept by client_id');
    assertEqual(deep(row, '[part=status]'), null, 'no status once sent');
    assert(
      stub.frames.some((f) => f.type === 'send' && f.content === 'hello there'),
      'it went over the socket',
    );
  });

  it('loads the older page when scrolled to the top and keeps the message being read in view', async () => {
    // Alice has read it all: the list opens at the bottom (not at a "New messages" line).
    const room = groupRoom('r1', 'History', [participant(alice, 1_000), bob]);
    const { list, stub } = await listOn({ me: alice, rooms: [room], messages: { r1: history('r1', 25) } }, 'r1', {
      height: 200,
      pageSize: 10,
    });
    const el = scroller(list);
    await waitFor(() => bubbleTexts(list).length === 10 && atBottom(el), 'the newest page, at the bottom');
    assertEqual(bubbleTexts(list)[0], 'message 16', 'starting at the 16th');

    el.scrollTop = 10;
    await waitFor(() => bubbleTexts(list).length === 20, 'the page before it');
    const anchor = deepAll(list, '[part~=bubble]').find((b) => b.textContent === 'message 16')!;
    const top = anchor.getBoundingClientRect().top - el.getBoundingClientRect().top;
    assert(top >= 0 && top < el.clientHeight, `the message that was on top is still in view (offset ${top})`);
    assert(
      stub.requests.some((r) => r.startsWith('GET /rooms/r1/messages?before=16')),
      `asked for the page before seq 16 (${stub.requests.join('; ')})`,
    );
  });
});
