import '../drawer/drawer.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { bubbles, cleanup, deep, deepAll, drawerFor, openRoom } from '../../test-support/fixture.js';
import { createGroupRoom, markRead, postMessage, testUser } from '../../test-support/parley.js';

declare global {
  interface Window {
    __xss?: unknown;
  }
}

describe('messaging-message-list', () => {
  afterEach(cleanup);

  it('shows the room history, and a message another user sends appears live', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Live', [bob]);
    await postMessage(alice, room.id, 'first from alice');
    await postMessage(bob, room.id, 'reply from bob');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Live');

    await waitFor(() => bubbles(drawer).length === 2, 'two messages');
    assertEqual(deep(drawer, 'messaging-room-view', '[part=title]')?.textContent, 'Live', 'header shows the name');
    const [own, other] = deep(drawer, 'messaging-room-view', 'messaging-message-list')!.shadowRoot!.querySelectorAll(
      '[part~=message]',
    );
    assert(own?.getAttribute('part')?.includes('message--own'), 'own message is marked own');
    assert(!other?.getAttribute('part')?.includes('message--own'), "bob's message is not own");
    assertEqual(other?.querySelector('[part=sender]')?.textContent, 'Bob', 'sender name');
    assert(other?.querySelector('time')?.textContent, 'a formatted time');

    await postMessage(bob, room.id, 'live from bob');
    await waitFor(() => bubbles(drawer).some((b) => b.textContent === 'live from bob'), 'the live message');
  });

  it('renders markup in a message as literal text', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'XSS', [bob]);
    const payload = '<img src=x onerror="window.__xss=1">';
    await postMessage(bob, room.id, payload);
    const drawer = await drawerFor(alice);
    // The room list preview is text too: no element, so no handler that could run later.
    const preview = await waitFor(
      () => deepAll(drawer, 'messaging-room-list', '[part=preview]').find((p) => p.textContent?.includes(payload)),
      'the preview',
    );
    assertEqual(preview.querySelector('img'), null, 'no element in the preview');
    await openRoom(drawer, 'XSS');

    const bubble = await waitFor(() => bubbles(drawer)[0], 'the message');
    assertEqual(bubble.textContent, payload, 'shown as text');
    assertEqual(bubble.querySelector('img'), null, 'no element was created');
    assertEqual(window.__xss, undefined, 'nothing ran');
  });

  it('loads older messages when scrolled to the top, keeping the reading position', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'History', [bob]);
    for (let i = 1; i <= 60; i++) await postMessage(i % 2 ? bob : alice, room.id, `message ${i}`);
    await markRead(alice, room.id);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'History');

    // The SDK loads the newest page (50) first, and the list starts at the bottom.
    await waitFor(() => bubbles(drawer).length === 50, 'the newest 50');
    const scroller = deep(drawer, 'messaging-room-view', 'messaging-message-list', '[part=base]')!;
    await waitFor(
      () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 2,
      'scrolled to the bottom',
    );
    const anchor = bubbles(drawer)[0]!;
    const offset = () => anchor.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    scroller.scrollTop = 0;
    // Where the first visible message is on screen once the scroll lands (the load starts on that scroll).
    const before = offset();
    await waitFor(() => bubbles(drawer).length === 60, 'all 60 after scrolling up');
    assertEqual(bubbles(drawer)[0]!.textContent, 'message 1', 'oldest first');
    // The message that was at the top stays where it was on screen: the list does not jump.
    await waitFor(() => !deep(drawer, 'messaging-room-view', 'messaging-message-list', '[part=notice]'), 'loaded');
    assert(Math.abs(offset() - before) <= 3, `the first visible message stayed in place (${before} → ${offset()})`);
  });
});
