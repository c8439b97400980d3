import './drawer.js';
import { afterNextPaint } from '../../base/after-paint.js';
import { sendKeys } from '../../test-support/keys.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, deep, deepAll, drawerFor } from '../../test-support/fixture.js';
import { createGroupRoom, postMessage, testUser } from '../../test-support/parley.js';

/** Every shadow root under `root`, recursively. */
function shadowRoots(root: Element): ShadowRoot[] {
  const found: ShadowRoot[] = [];
  const visit = (node: ParentNode) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.shadowRoot) {
        found.push(el.shadowRoot);
        visit(el.shadowRoot);
      }
    }
  };
  if (root.shadowRoot) {
    found.push(root.shadowRoot);
    visit(root.shadowRoot);
  }
  return found;
}

describe('messaging-drawer', () => {
  afterEach(cleanup);

  it('renders the button, and clicking it opens the room list with a room made over REST', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    await createGroupRoom(alice, 'Ops', [bob]);
    const drawer = await drawerFor(alice);

    const button = deep(drawer, '[part=button]');
    assert(button, 'the floating button renders');
    assertEqual(button.getAttribute('aria-expanded'), 'false');
    assertEqual(deep(drawer, '[part=panel]')!.hasAttribute('inert'), true, 'closed panel is inert');

    button.click();
    await drawer.updateComplete;
    assertEqual(drawer.open, true, 'drawer opened');
    assertEqual(button.getAttribute('aria-expanded'), 'true');
    const names = await waitFor(
      () => deepAll(drawer, 'messaging-room-list', '[part=name]').map((n) => n.textContent),
      'room names',
    );
    assert(names.includes('Ops'), `room list shows Ops (got ${names.join(', ')})`);
  });

  it('shows the total unread count on the button', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(bob, 'Standup', [alice]);
    await postMessage(bob, room.id, 'one');
    await postMessage(bob, room.id, 'two');
    const drawer = await drawerFor(alice);
    const badge = deep(drawer, '[part=badge]')!;
    await waitFor(() => badge.textContent?.trim() === '2' && !badge.hidden, 'badge shows 2');
    const unread = deep(drawer, 'messaging-room-list', '[part=unread]');
    assert(unread?.textContent?.includes('2'), 'room row shows its unread count');
    // A live message from someone else raises the badge.
    await postMessage(bob, room.id, 'three');
    await waitFor(() => badge.textContent?.trim() === '3', 'badge shows 3 after a live message');
  });

  it('tells the host page: messaging-unread-change with the total, messaging-open/close, messaging-room-select', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(bob, 'Events', [alice]);
    await postMessage(bob, room.id, 'one');
    const seen: string[] = [];
    const totals: number[] = [];
    const listen = (name: keyof GlobalEventHandlersEventMap) => document.addEventListener(name, () => seen.push(name));
    for (const name of ['messaging-open', 'messaging-close', 'messaging-room-select'] as const) listen(name);
    document.addEventListener('messaging-unread-change', (e) => totals.push(e.detail.total));
    const drawer = await drawerFor(alice);
    await waitFor(() => totals.at(-1) === 1, 'first total');
    await postMessage(bob, room.id, 'two');
    await waitFor(() => totals.at(-1) === 2, 'a new message raises it');
    await drawer.show();
    deep<HTMLButtonElement>(drawer, 'messaging-room-list', '[part~=room]')!.click();
    await waitFor(() => totals.at(-1) === 0, 'reading the room brings it to 0');
    await drawer.hide();
    assertEqual(seen.join(','), 'messaging-open,messaging-room-select,messaging-close');
  });

  it('closes on Escape and gives focus back to the button', async () => {
    const alice = await testUser('Alice');
    const drawer = await drawerFor(alice);
    await drawer.show();
    deep(drawer, '[part=close-button]')!.focus();
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !drawer.open, 'drawer closed');
    await drawer.updateComplete;
    assertEqual(drawer.shadowRoot!.activeElement, deep(drawer, '[part=button]'), 'focus is back on the button');
  });

  it("works under CSP style-src 'self': no violations, no style attributes or <style> elements in its shadow roots", async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Styles', [bob]);
    await postMessage(bob, room.id, 'hi');
    const drawer = await drawerFor(alice);
    await drawer.show();
    deep<HTMLButtonElement>(drawer, 'messaging-room-list', '[part~=room]')!.click();
    await waitFor(() => deep(drawer, 'messaging-room-view', 'messaging-message-list', '[part~=bubble]'), 'a message');
    const violations = (window as unknown as { __cspViolations: string[] }).__cspViolations;
    assert(Array.isArray(violations), 'the test page enforces a CSP');
    assertEqual(violations.length, 0, `CSP violations: ${violations.join('; ')}`);
    for (const root of shadowRoots(drawer)) {
      assertEqual(root.querySelectorAll('style').length, 0, `<style> in ${root.host.localName}`);
      assertEqual(root.querySelectorAll('[style]').length, 0, `style attribute in ${root.host.localName}`);
      assert(root.adoptedStyleSheets.length > 0, `${root.host.localName} uses constructable stylesheets`);
    }
  });

  it('shows the rooms it last listed at once on the next mount, before (here: without) the server', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    await createGroupRoom(alice, 'Remembered', [bob]);
    const first = await drawerFor(alice);
    const names = (drawer: Element) => deepAll(drawer, 'messaging-room-list', '[part~=name]').map((n) => n.textContent);
    await waitFor(() => names(first).join() === 'Remembered', 'the room listed');
    const key = `parley:rooms:v1:${alice.server}|${alice.id}`;
    await waitFor(() => sessionStorage.getItem(key)?.includes('Remembered'), 'the list kept in sessionStorage');
    first.remove();

    // The same cache entry for a server that answers nothing: only the cache can fill this list.
    const nowhere = 'http://127.0.0.1:9';
    sessionStorage.setItem(`parley:rooms:v1:${nowhere}|${alice.id}`, sessionStorage.getItem(key)!);
    const second = document.createElement('messaging-drawer');
    second.server = nowhere;
    second.getToken = () => alice.token;
    second.open = true;
    document.body.append(second);
    try {
      await waitFor(() => names(second).join() === 'Remembered', 'the remembered room, from the cache');
    } finally {
      second.remove();
    }
  });

  it('preconnects to a server of another origin (for its CORS requests), once per page', async () => {
    const alice = await testUser('Alice');
    const origin = new URL(alice.server).origin;
    assert(origin !== location.origin, 'the test server is another origin than the test page');
    const links = () => [...document.head.querySelectorAll<HTMLLinkElement>('link[rel=preconnect]')];
    const drawer = await drawerFor(alice);
    await waitFor(() => links().some((l) => l.href.startsWith(origin)), 'a preconnect link to the server');
    const link = links().find((l) => l.href.startsWith(origin))!;
    assertEqual(link.crossOrigin, 'anonymous', 'for the CORS requests (REST, the lazy chunks)');
    drawer.remove();
    const again = await drawerFor(alice);
    await again.updateComplete;
    await afterNextPaint(); // registered after the drawer's own, so it runs after it
    assertEqual(links().filter((l) => l.href.startsWith(origin)).length, 1, 'not added twice');
  });

  it('registering twice does not throw', async () => {
    const { MessagingDrawer } = await import('./drawer.component.js');
    MessagingDrawer.define('messaging-drawer');
    MessagingDrawer.define('messaging-drawer');
    assert(customElements.get('messaging-drawer'), 'still registered');
  });
});
