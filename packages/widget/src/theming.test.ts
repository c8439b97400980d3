import './components/drawer/drawer.js';
import { emulateMedia } from '@web/test-runner-commands';
import { assert, assertEqual, waitFor } from './test-support/assert.js';
import { bubbles, cleanup, deep, drawerFor, openRoom } from './test-support/fixture.js';
import { createGroupRoom, postMessage, testUser } from './test-support/parley.js';

/** A page stylesheet, as a host would ship it (constructable: the test page's CSP allows no inline styles). */
function pageStyles(cssText: string): () => void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(cssText);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return () => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}

const surface = (drawer: Element) => getComputedStyle(deep(drawer, '[part=panel]')!).backgroundColor;
const LIGHT_SURFACE = 'rgb(255, 255, 255)';
const DARK_SURFACE = 'rgb(23, 25, 30)';

describe('theming', () => {
  const undo: Array<() => void> = [];
  afterEach(async () => {
    for (const fn of undo.splice(0)) fn();
    await emulateMedia({ colorScheme: 'light' });
    cleanup();
  });

  it('takes --messaging-* custom properties and ::part() rules from the host page', async () => {
    const drawer = await drawerFor(await testUser('Alice'));
    undo.push(
      pageStyles(`
        messaging-drawer { --messaging-color-primary: rgb(1, 2, 3); --messaging-fab-size: 64px; }
        messaging-drawer::part(button) { border-radius: 8px; }
      `),
    );
    const fab = deep(drawer, '[part=button]')!;
    assertEqual(getComputedStyle(fab).backgroundColor, 'rgb(1, 2, 3)', 'primary colour');
    assertEqual(getComputedStyle(fab).width, '64px', 'fab size');
    assertEqual(getComputedStyle(fab).borderTopLeftRadius, '8px', '::part(button)');
  });

  it("lets the host page style the room view's parts through the drawer, under their exported names", async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Parts', [bob]);
    await postMessage(bob, room.id, 'styled from outside');
    const drawer = await drawerFor(alice);
    undo.push(
      pageStyles(`
        messaging-drawer::part(room-header) { border-top-width: 3px; border-top-style: solid; }
        messaging-drawer::part(bubble) { outline: 2px solid rgb(4, 5, 6); }
        messaging-drawer::part(sender-avatar) { outline: 2px solid rgb(7, 8, 9); }
        messaging-drawer::part(textarea) { outline: 2px solid rgb(10, 11, 12); }
      `),
    );
    await openRoom(drawer, 'Parts');
    const bubble = await waitFor(() => bubbles(drawer)[0], 'the message');
    const roomView = deep(drawer, 'messaging-room-view')!;
    const list = deep(drawer, 'messaging-room-view', 'messaging-message-list')!;
    assertEqual(getComputedStyle(deep(roomView, '[part=header]')!).borderTopWidth, '3px', 'header as room-header');
    assertEqual(getComputedStyle(bubble).outlineColor, 'rgb(4, 5, 6)', 'bubble, two levels down');
    const avatar = deep(list, '[part~=avatar]')!;
    assertEqual(getComputedStyle(avatar).outlineColor, 'rgb(7, 8, 9)', 'avatar as sender-avatar');
    const textarea = deep(roomView, 'messaging-composer', '[part=textarea]')!;
    assertEqual(getComputedStyle(textarea).outlineColor, 'rgb(10, 11, 12)', "the composer's textarea");
  });

  it('is light by default, dark under prefers-color-scheme: dark, and the theme attribute wins over both', async () => {
    const drawer = await drawerFor(await testUser('Alice'));
    await drawer.show();
    assertEqual(surface(drawer), LIGHT_SURFACE, 'light by default');
    await emulateMedia({ colorScheme: 'dark' });
    await waitFor(() => surface(drawer) === DARK_SURFACE, 'follows the system dark mode');
    drawer.theme = 'light';
    await drawer.updateComplete;
    assertEqual(surface(drawer), LIGHT_SURFACE, 'theme="light" overrides the system');
    await emulateMedia({ colorScheme: 'light' });
    drawer.theme = 'dark';
    await drawer.updateComplete;
    assertEqual(drawer.getAttribute('theme'), 'dark', 'reflected');
    assertEqual(surface(drawer), DARK_SURFACE, 'theme="dark" overrides the system');
  });

  it('isolates styles both ways: hostile page rules do not reach inside, and its rules do not leak out', async () => {
    undo.push(
      pageStyles(`
        * { color: rgb(0, 255, 0) !important; font-family: serif !important; }
        button { font-size: 40px !important; background: rgb(255, 0, 0) !important; position: static !important; }
        div { display: none !important; }
        .fab, .panel, .badge { display: none !important; }
      `),
    );
    const outsider = document.createElement('button');
    outsider.className = 'fab';
    document.body.append(outsider);
    undo.push(() => outsider.remove());
    const drawer = await drawerFor(await testUser('Alice'));
    const fab = deep(drawer, '[part=button]')!;
    const style = getComputedStyle(fab);
    assertEqual(style.position, 'fixed', "the page's button rule does not apply inside");
    assertEqual(style.fontSize, '14px', 'font size untouched');
    assert(style.backgroundColor !== 'rgb(255, 0, 0)', 'background untouched');
    assert(style.display !== 'none', '.fab class in the page does not hide it');
    const rect = fab.getBoundingClientRect();
    assert(rect.width > 40 && rect.height > 40, 'still a visible button');
    assertEqual(
      getComputedStyle(outsider).borderRadius,
      '0px',
      "the widget's .fab rule does not style the page's .fab",
    );
    await drawer.show();
    assertEqual(getComputedStyle(deep(drawer, '[part=panel]')!).visibility, 'visible', 'the drawer opens');
  });
});
