import './components/drawer/drawer.js';
import { assert, assertEqual, waitFor } from './test-support/assert.js';
import {
  cleanup,
  deep,
  deepAll,
  drawerFor,
  messageList,
  messageRows,
  openRoom,
  searchDirectory,
} from './test-support/fixture.js';
import {
  api,
  connectedClient,
  createGroupRoom,
  markRead,
  postMessage,
  testUser,
  type TestUser,
} from './test-support/parley.js';
import { XSS_PAYLOADS } from './test-support/xss-payloads.js';
import type { MessagingDrawer } from './components/drawer/drawer.component.js';

// Every payload calls `__xss(n)` if it ever runs (also as `parent.__xss` / `top.__xss` from frames).
const hits: number[] = [];
(window as unknown as { __xss: (n: number) => void }).__xss = (n: number) => hits.push(n);

/** Whatever a payload might trigger (onerror, onload, timers) has had time to run. */
const settle = () => new Promise((r) => setTimeout(r, 400));

/** Every element under `root`, through shadow roots: none may be one a payload created. */
function allElements(root: Element): Element[] {
  const out: Element[] = [];
  const visit = (scope: ParentNode) => {
    for (const el of scope.querySelectorAll('*')) {
      out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(root.shadowRoot ?? root);
  return out;
}

/** The only elements a payload may turn into are safe links (http/https). */
function assertNoInjectedElements(drawer: MessagingDrawer): void {
  const forbidden = new Set([
    'script',
    'iframe',
    'object',
    'embed',
    'img',
    'style',
    'link',
    'meta',
    'base',
    'form',
    'input',
    'math',
    'template',
    'video',
    'audio',
    'marquee',
    'details',
    'x',
    'isindex',
    'noscript',
    'select',
    'body',
  ]);
  for (const el of allElements(drawer)) {
    const tag = el.localName;
    if (tag === 'img') {
      assert(/^https?:/.test(el.getAttribute('src') ?? ''), `an <img> with src ${el.getAttribute('src')}`);
      continue;
    }
    // The widget's own form and inputs carry a class or part; a payload's would not.
    const ours = (tag === 'form' || tag === 'input') && (el.hasAttribute('part') || el.classList.contains('form'));
    assert(ours || !forbidden.has(tag), `a <${tag}> element was created`);
    for (const attr of el.getAttributeNames()) assert(!attr.startsWith('on'), `<${tag}> has an ${attr} attribute`);
    if (tag === 'a')
      assert(/^https?:/.test((el as HTMLAnchorElement).href), `a link to ${(el as HTMLAnchorElement).href}`);
  }
}

/** Scroll the open room up until `count` messages are loaded (history comes in pages of 50). */
async function loadHistory(drawer: MessagingDrawer, count: number): Promise<void> {
  const scroller = deep(messageList(drawer), '[part=base]')!;
  await waitFor(
    () => {
      scroller.scrollTop = 0;
      scroller.dispatchEvent(new Event('scroll'));
      return messageRows(drawer).length >= count;
    },
    `${count} messages`,
    10_000,
  );
}

/** Scroll the room list down until `count` rooms are loaded (rooms come in pages of 50). */
async function loadRooms(drawer: MessagingDrawer, count: number): Promise<string[]> {
  const list = deep(drawer, 'messaging-room-list')!;
  return waitFor(
    () => {
      list.scrollTop = list.scrollHeight;
      list.dispatchEvent(new Event('scroll'));
      const shown = deepAll(drawer, 'messaging-room-list', '[part=name]').map((n) => n.textContent ?? '');
      return shown.length >= count ? shown : null;
    },
    `${count} rooms`,
    10_000,
  );
}

async function usersNamed(names: readonly string[]): Promise<TestUser[]> {
  return Promise.all(names.map((name) => testUser(name)));
}

describe(`XSS corpus (${XSS_PAYLOADS.length} payloads)`, () => {
  afterEach(cleanup);

  it('has at least 50 payloads', () => {
    assert(XSS_PAYLOADS.length >= 50, `only ${XSS_PAYLOADS.length}`);
  });

  it('as messages: shown literally, nothing runs, no element is created', async function () {
    this.timeout(60_000);
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Corpus', [bob]);
    for (const payload of XSS_PAYLOADS) await postMessage(bob, room.id, payload);
    // One as an ai_share card too, with a hostile source.
    await postMessage(bob, room.id, XSS_PAYLOADS[1]!, {
      type: 'ai_share',
      metadata: { source_conversation_id: XSS_PAYLOADS[0]!, source_title: XSS_PAYLOADS[2]! },
    });
    const drawer = await drawerFor(alice);
    await drawer.show();
    const preview = await waitFor(() => deep(drawer, 'messaging-room-list', '[part=preview]'), 'the preview');
    assertEqual(preview.textContent, `Bob: ${XSS_PAYLOADS[1]}`, 'room list preview is text (its sender named)');
    await openRoom(drawer, 'Corpus');
    await loadHistory(drawer, XSS_PAYLOADS.length + 1);
    const bubbles = messageRows(drawer).map((row) => row.querySelector('[part~=bubble]')!);
    XSS_PAYLOADS.forEach((payload, i) =>
      assertEqual(bubbles[i]!.textContent, payload, `payload ${i + 1} shown literally`),
    );
    assertEqual(
      bubbles.at(-1)!.querySelector('[part=ai-share-title]')?.textContent,
      XSS_PAYLOADS[2],
      'hostile source title shown as text',
    );

    // A live one, announced through the live region.
    await postMessage(bob, room.id, XSS_PAYLOADS[4]!);
    await waitFor(
      () => deep(messageList(drawer), '[aria-live=polite]')?.textContent?.endsWith(XSS_PAYLOADS[4]!),
      'announced as text',
    );
    await settle();
    assertNoInjectedElements(drawer);
    assertEqual(hits.join(','), '', 'no payload ran');
  });

  it('as room names: list, header and labels show them literally', async function () {
    this.timeout(60_000);
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    for (const payload of XSS_PAYLOADS) await createGroupRoom(alice, payload, [bob]);
    const drawer = await drawerFor(alice);
    await drawer.show();
    await waitFor(() => deep(drawer, 'messaging-room-list', '[part=name]'), 'the first page');
    const names = await loadRooms(drawer, XSS_PAYLOADS.length);
    assertEqual([...names].sort().join('\n'), [...XSS_PAYLOADS].sort().join('\n'), 'names shown literally');

    for (const payload of XSS_PAYLOADS.slice(0, 10)) {
      await openRoom(drawer, payload);
      await waitFor(
        () => deep(drawer, 'messaging-room-view', '[part=title]')?.textContent === payload,
        'header shows the name',
      );
      assertEqual(deep(messageList(drawer), '[part=base]')!.getAttribute('aria-label'), `Messages in ${payload}`);
      deep(drawer, 'messaging-room-view', '[part=back-button]')!.click();
      await waitFor(() => deep(drawer, 'messaging-room-list'), 'back to the list');
    }
    await settle();
    assertNoInjectedElements(drawer);
    assertEqual(hits.join(','), '', 'no payload ran');
  });

  it('as user names (hostile token claims): senders, avatars, typing, receipts, system messages, directory', async function () {
    this.timeout(90_000);
    const alice = await testUser('Alice');
    const hostile = await usersNamed(XSS_PAYLOADS);
    const room = await createGroupRoom(alice, 'Names', hostile.slice(0, 40));
    // The rest join later: each join is a system message naming them.
    await api(alice, 'POST', `/rooms/${room.id}/participants`, { user_ids: hostile.slice(40).map((u) => u.id) });
    for (const user of hostile.slice(0, 40)) await postMessage(user, room.id, 'hi');
    await postMessage(alice, room.id, 'mine');
    for (const user of hostile.slice(0, 3)) await markRead(user, room.id);
    const typist = await connectedClient(hostile[5]!);

    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Names');
    await waitFor(() => messageRows(drawer).length > 0, 'messages');
    await loadHistory(drawer, 41 + (XSS_PAYLOADS.length - 40));
    const senders = deepAll(drawer, 'messaging-room-view', 'messaging-message-list', '[part=sender]').map(
      (s) => s.textContent,
    );
    assertEqual(senders.join('\n'), XSS_PAYLOADS.slice(0, 40).join('\n'), 'sender names literal');
    const systems = messageRows(drawer)
      .filter((r) => r.part.contains('message--system'))
      .map((r) => r.textContent?.trim());
    for (const name of XSS_PAYLOADS.slice(40))
      assert(systems.includes(`Alice added ${name}`), `system message names ${name}`);
    const receipt = await waitFor(() => deep(messageList(drawer), '[part=receipt]'), 'receipt');
    // A group's receipt shows readers' avatars, and names them (as an attribute, never markup).
    assert(receipt.getAttribute('aria-label')?.includes(XSS_PAYLOADS[0]!), 'receipt names literal');
    assertEqual(receipt.querySelector('img, script, iframe, svg image'), null, 'no element from a name in it');
    typist.sendTyping(room.id, true);
    await waitFor(
      () => deep(drawer, 'messaging-room-view', '[part=typing]')?.textContent === `${XSS_PAYLOADS[5]} is typing…`,
      'typing literal',
    );

    // The directory: search the prefix every payload with "<img" shares.
    await searchDirectory(drawer, '<img');
    const people = await waitFor(() => {
      // The search's results, not the suggestions shown before it.
      if (deep(drawer, 'messaging-new-conversation', '.suggested')) return null;
      const found = deepAll(drawer, 'messaging-new-conversation', '[part=person]');
      return found.length > 0 ? found : null;
    }, 'directory results');
    for (const person of people) assert(person.textContent.toLowerCase().includes('<img'), 'result names literal');
    await settle();
    assertNoInjectedElements(drawer);
    assertEqual(hits.join(','), '', 'no payload ran');
  });
});
