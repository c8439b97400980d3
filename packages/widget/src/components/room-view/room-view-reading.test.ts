import '../drawer/drawer.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import {
  cleanup,
  deep,
  drawerFor,
  messageList,
  messageRows,
  openRoom,
  rowWithText,
} from '../../test-support/fixture.js';
import {
  api,
  createDirectRoom,
  createGroupRoom,
  markRead,
  postMessage,
  testUser,
  type TestUser,
} from '../../test-support/parley.js';

async function unreadFor(user: TestUser, roomId: string): Promise<number> {
  const summary = await api<{ rooms: Record<string, number> }>(user, 'GET', '/unread');
  return summary.rooms[roomId] ?? 0;
}

/** Pretend the tab was hidden or shown again (what `document.visibilityState` reports). */
function setPageVisibility(state: 'hidden' | 'visible'): void {
  if (state === 'visible') delete (document as { visibilityState?: string }).visibilityState;
  else Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

// What the room view shows and does about reading: receipts, the unread marker, following new
// messages, and when it marks the room read.
describe('messaging-room-view: reading', () => {
  afterEach(() => {
    setPageVisibility('visible');
    cleanup();
  });

  it('shows under my last message in a group who has read it, as their avatars named for screen readers', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const carol = await testUser('Carol');
    const room = await createGroupRoom(alice, 'Receipts', [bob, carol]);
    await postMessage(alice, room.id, 'first');
    await postMessage(alice, room.id, 'second');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Receipts');
    await waitFor(() => messageRows(drawer).length === 2, 'messages');
    const receipt = () => deep(messageList(drawer), '[part=receipt]');
    await waitFor(() => receipt()?.textContent?.trim() === 'Delivered', 'delivered: nobody has read it yet');
    assert(rowWithText(drawer, 'second')!.contains(receipt()), 'under my last message');

    await markRead(bob, room.id);
    await waitFor(() => receipt()?.getAttribute('aria-label') === 'Seen by Bob', 'Bob read it');
    assertEqual(receipt()!.querySelectorAll('[part=avatar]').length, 1, "Bob's avatar");
    await markRead(carol, room.id);
    await waitFor(() => receipt()?.getAttribute('aria-label') === 'Seen by Bob and Carol', 'both readers');
    assertEqual(receipt()!.querySelectorAll('[part=avatar]').length, 2, 'two avatars');
  });

  it('says "Delivered", then "Seen", under my last message in a direct room', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createDirectRoom(alice, bob);
    await postMessage(alice, room.id, 'are you there?');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Bob');
    const receipt = () => deep(messageList(drawer), '[part=receipt]')?.textContent?.trim();
    await waitFor(() => receipt() === 'Delivered', 'delivered');
    await markRead(bob, room.id);
    await waitFor(() => receipt() === 'Seen', 'seen once Bob read it');
  });

  it('marks where I had read up to with "New messages" and opens there when the unread do not fit; jump to latest', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Backlog', [bob]);
    await postMessage(alice, room.id, 'before I left');
    await markRead(alice, room.id);
    for (let i = 1; i <= 40; i++) await postMessage(bob, room.id, `unread ${i}`);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Backlog');
    await waitFor(() => messageRows(drawer).length === 41, 'the history');
    const line = await waitFor(() => deep(messageList(drawer), '[part=unread-line]'), 'the "New messages" line');
    assertEqual(line.textContent?.trim(), 'New messages');
    const next = line.nextElementSibling as HTMLElement;
    assert(next.textContent?.includes('unread 1'), 'right before the first unread message');
    const scroller = deep(messageList(drawer), '[part=base]')!;
    // Opened at the line, not at the bottom: the oldest unread message is on screen, the newest is not.
    await waitFor(() => {
      const top = scroller.getBoundingClientRect().top;
      const at = line.getBoundingClientRect().top - top;
      return at >= 0 && at < 40;
    }, 'the line at the top of the list');
    const jump = await waitFor(() => deep(messageList(drawer), '[part=new-messages]'), 'jump to latest offered');
    assertEqual(jump.textContent?.trim(), 'Jump to latest');
    jump.click();
    await waitFor(() => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 2, 'at the latest');
    assert(deep(messageList(drawer), '[part=unread-line]'), 'the line stays while the room is open');
  });

  it('follows new messages at the bottom; scrolled up it shows a "new messages" button instead, and announces them politely', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Pill', [bob]);
    for (let i = 1; i <= 30; i++) await postMessage(bob, room.id, `line ${i}`);
    // All read: the room opens at the bottom (with unread it would open at the "New messages" line).
    await markRead(alice, room.id);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Pill');
    await waitFor(() => messageRows(drawer).length === 30, 'history');
    const scroller = deep(messageList(drawer), '[part=base]')!;
    const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 2;
    await waitFor(atBottom, 'starts at the bottom');

    await postMessage(bob, room.id, 'while at the bottom');
    await waitFor(() => rowWithText(drawer, 'while at the bottom'), 'the new message');
    await waitFor(atBottom, 'still at the bottom');
    assertEqual(deep(messageList(drawer), '[part=new-messages]'), null, 'no button when following');
    const live = deep(messageList(drawer), '[aria-live=polite]')!;
    await waitFor(() => live.textContent === 'New message from Bob: while at the bottom', 'announced');

    // Scrolled up once the list has seen the scroll (its listener decides whether to follow).
    const scrolled = new Promise((r) => scroller.addEventListener('scroll', r, { once: true }));
    scroller.scrollTop = 0;
    await scrolled;
    await postMessage(bob, room.id, 'while scrolled up');
    const pill = await waitFor(() => deep(messageList(drawer), '[part=new-messages]'), 'the new messages button');
    assertEqual(pill.textContent?.trim(), '1 new message');
    assert(scroller.scrollTop < 50, 'did not jump to the bottom');
    pill.click();
    await waitFor(atBottom, 'the button scrolls to the newest');
    await waitFor(() => !deep(messageList(drawer), '[part=new-messages]'), 'button gone');
  });

  it('marks the room read only while the drawer is open, the newest message is in view and the page is visible', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createDirectRoom(bob, alice);
    await postMessage(bob, room.id, 'unread one');
    const drawer = await drawerFor(alice);
    assertEqual(await unreadFor(alice, room.id), 1, 'unread before opening');
    await openRoom(drawer, 'Bob');
    await waitFor(async () => (await unreadFor(alice, room.id)) === 0, 'read once shown');
    // The list decides after each render whether to mark the room read (read-marker.ts): record its calls.
    const client = drawer.activeClient!;
    const markRead = client.markRead.bind(client);
    let marks = 0;
    client.markRead = (...args: Parameters<typeof markRead>) => {
      marks++;
      return markRead(...args);
    };
    /** Reads asked for while one more message arrived and the list rendered it. */
    const marksWhile = async (text: string): Promise<number> => {
      const before = marks;
      await postMessage(bob, room.id, text);
      await waitFor(() => rowWithText(drawer, text), `"${text}" shown`);
      await (messageList(drawer) as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      return marks - before;
    };

    // A message that arrives while looking is read at once (and the record above sees it asked for).
    assert((await marksWhile('seen live')) >= 1, 'a read asked for while looking');
    await waitFor(async () => (await unreadFor(alice, room.id)) === 0, 'read while visible');

    // Page hidden: stays unread until it is visible again.
    setPageVisibility('hidden');
    assertEqual(await marksWhile('while hidden'), 0, 'no read asked for while the page is hidden');
    assertEqual(await unreadFor(alice, room.id), 1, 'not read while the page is hidden');
    setPageVisibility('visible');
    await waitFor(async () => (await unreadFor(alice, room.id)) === 0, 'read when the page is visible again');

    // Drawer closed: stays unread until it opens again.
    await drawer.hide();
    assertEqual(await marksWhile('while closed'), 0, 'no read asked for while the drawer is closed');
    assertEqual(await unreadFor(alice, room.id), 1, 'not read while the drawer is closed');
    await drawer.show();
    await waitFor(async () => (await unreadFor(alice, room.id)) === 0, 'read when opened again');
  });
});
