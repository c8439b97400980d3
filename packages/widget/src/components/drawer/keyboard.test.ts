import './drawer.js';
import type { MessagingDrawer } from './drawer.component.js';
import { sendKeys } from '../../test-support/keys.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, deep, deepAll, drawerFor, messageRows, openRoom } from '../../test-support/fixture.js';
import { createGroupRoom, postMessage, testUser } from '../../test-support/parley.js';

/** The element that has focus, through every shadow root. */
function focused(): Element | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

/** Whether `element` is inside `host`, across shadow boundaries. */
function within(host: Element, element: Element | null): boolean {
  for (let node: Node | null = element; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    if (node === host) return true;
  }
  return false;
}

const shiftTab = async () => {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
};

const roomButtons = (drawer: MessagingDrawer) => deepAll(drawer, 'messaging-room-list', '[part~=room]');

describe('the drawer with the keyboard', () => {
  let outside: HTMLButtonElement;
  beforeEach(() => {
    // Something focusable on the host page, behind the drawer.
    outside = document.createElement('button');
    outside.textContent = 'host page button';
    document.body.prepend(outside);
  });
  afterEach(() => {
    outside.remove();
    cleanup();
  });

  it('keeps Tab and Shift+Tab inside the open drawer, in the list and in a room', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    await createGroupRoom(alice, 'Trap', [bob]);
    const drawer = await drawerFor(alice);
    await drawer.show();
    await waitFor(() => roomButtons(drawer).length === 1, 'the room');
    for (let i = 0; i < 8; i++) {
      await sendKeys({ press: 'Tab' });
      assert(within(drawer, focused()), `Tab ${i + 1} stays in the drawer (got ${focused()?.outerHTML.slice(0, 60)})`);
    }
    for (let i = 0; i < 8; i++) {
      await shiftTab();
      assert(within(drawer, focused()), `Shift+Tab ${i + 1} stays in the drawer`);
    }
    await openRoom(drawer, 'Trap');
    await waitFor(() => deep(drawer, 'messaging-room-view', 'messaging-composer', 'textarea'), 'the composer');
    for (let i = 0; i < 8; i++) {
      await sendKeys({ press: 'Tab' });
      assert(within(drawer, focused()), `Tab ${i + 1} stays in the room view`);
    }
    assert(focused() !== outside, 'never the host page behind');
  });

  it('makes the room list one tab stop: arrows move between rooms, Tab leaves, coming back lands where you were', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    for (const name of ['Roving one', 'Roving two', 'Roving three']) await createGroupRoom(alice, name, [bob]);
    const drawer = await drawerFor(alice);
    await drawer.show();
    await waitFor(() => roomButtons(drawer).length === 3, 'three rooms');
    const buttons = () => roomButtons(drawer);
    assertEqual(focused(), buttons()[0], 'the first room has focus when the drawer opens');
    assertEqual(buttons().filter((b) => b.tabIndex === 0).length, 1, 'one tab stop');

    await sendKeys({ press: 'ArrowDown' });
    assertEqual(focused(), buttons()[1], 'ArrowDown: the next room');
    // The focus ring is drawn inside the row, so the list (which scrolls, and so clips) shows all of it.
    const ring = getComputedStyle(buttons()[1]!);
    assert(ring.outlineStyle !== 'none' && parseFloat(ring.outlineWidth) > 0, 'a focus ring on the focused room');
    const ringOutside = parseFloat(ring.outlineWidth) + parseFloat(ring.outlineOffset);
    const row = buttons()[1]!.getBoundingClientRect();
    const list = deep(drawer, 'messaging-room-list')!.getBoundingClientRect();
    assert(
      row.left - ringOutside >= list.left && row.right + ringOutside <= list.right,
      `the ring fits inside the list (it reaches ${ringOutside}px beyond the row)`,
    );
    await sendKeys({ press: 'End' });
    assertEqual(focused(), buttons()[2], 'End: the last');
    await sendKeys({ press: 'ArrowUp' });
    assertEqual(focused(), buttons()[1], 'ArrowUp: back one');
    await waitFor(() => buttons()[1]!.tabIndex === 0 && buttons()[0]!.tabIndex === -1, 'the tab stop moved along');

    await sendKeys({ press: 'Tab' });
    assert(!buttons().includes(focused() as HTMLElement), 'Tab leaves the list at once');
    await shiftTab();
    assertEqual(focused(), buttons()[1], 'Shift+Tab comes back to the room focused last');
  });

  it('makes the message list one tab stop: Shift+Tab from the composer does not walk every message', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Many', [bob]);
    for (let i = 1; i <= 12; i++) await postMessage(bob, room.id, `message ${i}`);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Many');
    await waitFor(() => messageRows(drawer).length === 12, 'twelve messages');
    deep(drawer, 'messaging-room-view', 'messaging-composer')!.focus();

    // Back from the composer: the newest message's controls, the message itself, then out of the list.
    const visited: string[] = [];
    for (let i = 0; i < 6 && !within(deep(drawer, 'messaging-room-view', 'header')!, focused()); i++) {
      await shiftTab();
      visited.push(focused()?.getAttribute('part') ?? focused()?.tagName ?? '');
    }
    const rows = messageRows(drawer);
    assert(visited.length < 6, `the header reached in a few steps, not through 12 messages: ${visited.join(', ')}`);
    assert(visited.includes('message'), 'one stop on a message row');

    // On the row: the arrow keys move between messages, Enter opens the actions.
    rows.at(-1)!.focus();
    await sendKeys({ press: 'ArrowUp' });
    assertEqual(focused(), rows.at(-2), 'ArrowUp: the message before');
    await sendKeys({ press: 'Home' });
    assertEqual(focused(), rows[0], 'Home: the oldest loaded');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => rows[0]!.querySelector('[part=actions]'), 'Enter opens its actions');
    assertEqual(rows.filter((r) => r.tabIndex === 0).length, 1, 'still one tab stop among the rows');
  });
});
