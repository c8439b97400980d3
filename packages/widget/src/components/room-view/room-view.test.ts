import '../drawer/drawer.js';
import { sendKeys } from '../../test-support/keys.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import {
  cleanup,
  deep,
  deepAll,
  drawerFor,
  messageList,
  messageRows,
  openRoom,
  rowWithText,
} from '../../test-support/fixture.js';
import {
  api,
  connectedClient,
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

describe('messaging-room-view', () => {
  afterEach(() => {
    setPageVisibility('visible');
    cleanup();
  });

  it('groups a run of messages by one sender under one name and avatar, after a day separator', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Runs', [bob]);
    await postMessage(bob, room.id, 'b1');
    await postMessage(bob, room.id, 'b2');
    await postMessage(alice, room.id, 'a1');
    await postMessage(bob, room.id, 'b3');
    const drawer = await drawerFor(alice);
    drawer.locale = 'en';
    await openRoom(drawer, 'Runs');
    await waitFor(() => messageRows(drawer).length === 4, 'four messages');

    const days = deepAll(drawer, 'messaging-room-view', 'messaging-message-list', '[part=day]');
    assertEqual(days.length, 1, 'one day separator');
    assertEqual(days[0]!.textContent?.trim(), 'today', 'the separator names the day');
    const senders = deepAll(drawer, 'messaging-room-view', 'messaging-message-list', '[part=sender]').map(
      (s) => s.textContent,
    );
    assertEqual(senders.join(','), 'Bob,Bob', "Bob's name heads each of his two runs, not each message");
    const [b1, b2, , b3] = messageRows(drawer);
    assert(
      b1!.querySelector('[part=avatar]') && !b2!.querySelector('[part=avatar]'),
      'avatar only on the first of a run',
    );
    assertEqual(b1!.querySelector('[part=avatar]')!.textContent?.trim(), 'B', 'initials');
    assert(b3!.querySelector('[part=avatar]'), 'a new run after my message gets the avatar again');
    // One timestamp per run, under its last message; the others show theirs only on hover or focus.
    assert(!b1!.querySelector('[part=meta] [part=time]') && b2!.querySelector('[part=meta] [part=time]'), 'run time');
    const hoverTime = b1!.querySelector<HTMLElement>('.hover-time')!;
    assertEqual(getComputedStyle(hoverTime).visibility, 'hidden', 'the first message hides its time');
    b1!.querySelector<HTMLButtonElement>('[part=actions-button]')!.focus();
    assertEqual(getComputedStyle(hoverTime).visibility, 'visible', '… and shows it when focus is in it');
    assert(hoverTime.getAttribute('title'), 'the exact time in its title');
  });

  it('shows 1–3 emoji alone large, and right-to-left text right to left', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Emoji and RTL', [bob]);
    await postMessage(bob, room.id, '🎉🎉');
    await postMessage(bob, room.id, 'great 🎉');
    await postMessage(bob, room.id, 'שלום, מה שלומך?');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Emoji and RTL');
    await waitFor(() => messageRows(drawer).length === 3, 'three messages');
    const bubble = (text: string) => rowWithText(drawer, text)!.querySelector<HTMLElement>('[part~=bubble]')!;
    assert(bubble('🎉🎉').part.contains('jumbo'), 'two emoji alone are jumbo');
    assert(!bubble('great').part.contains('jumbo'), 'text with an emoji is not');
    const jumboSize = parseFloat(getComputedStyle(bubble('🎉🎉')).fontSize);
    assert(jumboSize > 2 * parseFloat(getComputedStyle(bubble('great')).fontSize), 'and much larger');
    const hebrew = bubble('שלום');
    assertEqual(hebrew.getAttribute('dir'), 'auto', 'dir="auto" on message text');
    assertEqual(getComputedStyle(hebrew).direction, 'rtl', 'Hebrew reads right to left');
    assertEqual(getComputedStyle(bubble('great')).direction, 'ltr', 'English left to right');
    const sender = rowWithText(drawer, '🎉🎉')!.querySelector('[part=sender]')!;
    assertEqual(sender.getAttribute('dir'), 'auto', 'and on names');
  });

  it('shows system messages from their metadata, ai_share cards with their source, and the assistant marker', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const carol = await testUser('Carol');
    const room = await createGroupRoom(alice, 'Kinds', [bob]);
    await api(alice, 'POST', `/rooms/${room.id}/participants`, { user_ids: [carol.id] });
    await postMessage(bob, room.id, 'The answer is 42', {
      type: 'ai_share',
      metadata: { source_conversation_id: 'conv-7', source_message_id: 'm-1', source_title: 'Deep Thought' },
    });
    await postMessage(bob, room.id, 'Booked the table', { metadata: { via: 'agent' } });
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Kinds');

    const system = await waitFor(
      () => messageRows(drawer).find((r) => r.part.contains('message--system')),
      'the system message',
    );
    assertEqual(system.textContent?.trim(), 'Alice added Carol');
    const card = await waitFor(() => deep(messageList(drawer), '[part~=ai-share]'), 'the ai_share card');
    assert(card.textContent?.includes('The answer is 42'), 'card text');
    assertEqual(card.querySelector('[part=ai-share-title]')?.textContent, 'Deep Thought', 'titled from metadata');
    assert(!card.textContent?.includes('conv-7') && !card.textContent?.includes('m-1'), 'no raw ids on the card');
    const agentRow = rowWithText(drawer, 'Booked the table')!;
    assertEqual(agentRow.querySelector('[part=agent]')?.textContent, 'Sent by assistant');
    assertEqual(rowWithText(drawer, 'The answer')!.querySelector('[part=agent]'), null, 'no marker without via=agent');
  });

  it('turns http(s) URLs into safe links and leaves every other scheme as text', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Links', [bob]);
    await postMessage(
      bob,
      room.id,
      'See https://example.com/a?b=1. Or javascript:alert(1) and data:text/html,x (HTTPS://EXAMPLE.org)',
    );
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Links');
    const bubble = await waitFor(() => deep(messageList(drawer), '[part~=bubble]'), 'the message');
    const links = [...bubble.querySelectorAll('a')];
    assertEqual(
      links.map((a) => a.href).join(' '),
      'https://example.com/a?b=1 https://example.org/',
      'two http(s) links, trailing punctuation left out',
    );
    for (const a of links) {
      assertEqual(a.rel, 'noopener noreferrer');
      assertEqual(a.target, '_blank');
    }
    assertEqual(
      bubble.textContent,
      'See https://example.com/a?b=1. Or javascript:alert(1) and data:text/html,x (HTTPS://EXAMPLE.org)',
      'text intact',
    );
  });

  it('shows who is typing by name, and tells the others when I type', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const carol = await testUser('Carol');
    const room = await createGroupRoom(alice, 'Typing', [bob, carol]);
    const bobClient = await connectedClient(bob);
    const carolClient = await connectedClient(carol);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Typing');
    const typing = () => deep(drawer, 'messaging-room-view', '[part=typing]')?.textContent?.trim();

    bobClient.sendTyping(room.id, true);
    await waitFor(() => typing() === 'Bob is typing…', 'Bob is typing');
    carolClient.sendTyping(room.id, true);
    await waitFor(() => typing() === 'Bob and Carol are typing…', 'both named');
    bobClient.sendTyping(room.id, false);
    carolClient.sendTyping(room.id, false);
    await waitFor(() => typing() === '', 'cleared when they stop');

    deep(drawer, 'messaging-room-view', 'messaging-composer')!.focus();
    await sendKeys({ type: 'hel' });
    await waitFor(
      () => Object.keys(bobClient.stores.typing.getLatestValue().byRoom[room.id] ?? {}).includes(alice.id),
      'Bob sees Alice typing',
    );
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

    scroller.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 50));
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

  it("shows the other person's presence in a direct room header", async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    await createDirectRoom(alice, bob);
    await connectedClient(bob);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Bob');
    await waitFor(
      () => deep(drawer, 'messaging-room-view', '[part=subtitle]')?.textContent === 'Online',
      'Bob is online',
    );
  });
});
