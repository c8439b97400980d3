import './components/drawer/drawer.js';
import { assert, assertEqual, waitFor } from './test-support/assert.js';
import { cleanup, deep, drawerFor, messageList, openRoom, rowWithText } from './test-support/fixture.js';
import { createGroupRoom, postMessage, testUser } from './test-support/parley.js';
import { defaultStrings, plural, type MessagingStrings } from './i18n.js';

/** Every text node, aria-label, title and placeholder under `root`, through shadow roots. */
function visibleStrings(root: Element | ShadowRoot, out: string[] = []): string[] {
  const scope = root instanceof Element && root.shadowRoot ? root.shadowRoot : root;
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent?.trim();
      if (text) out.push(text);
      continue;
    }
    const el = node as Element;
    for (const attr of ['aria-label', 'title', 'placeholder']) {
      const value = el.getAttribute(attr);
      if (value) out.push(value);
    }
    if (el.shadowRoot) visibleStrings(el.shadowRoot, out);
  }
  return out;
}

describe('i18n', () => {
  afterEach(cleanup);

  it('plural forms follow the count and the locale', () => {
    const forms = { one: '{count} Nachricht', other: '{count} Nachrichten' };
    assertEqual(plural(forms, 1, 'de'), '1 Nachricht');
    assertEqual(plural(forms, 3, 'de'), '3 Nachrichten');
    // Polish has a "few" form; a missing one falls back to "other".
    const pl = { one: '{count} wiadomość', few: '{count} wiadomości (few)', other: '{count} wiadomości' };
    assertEqual(plural(pl, 3, 'pl'), '3 wiadomości (few)');
    assertEqual(plural(pl, 5, 'pl'), '5 wiadomości');
  });

  it('replaces every user-visible string, and formats dates with Intl in the given locale', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Raum', [bob]);
    await postMessage(bob, room.id, 'hallo');
    await postMessage(alice, room.id, 'servus');
    // Every key replaced by a marker; plural keys by plural forms.
    const strings = Object.fromEntries(
      Object.entries(defaultStrings).map(([key, value]) => [
        key,
        typeof value === 'string' ? `«${key}»` : { one: `«${key}:one»`, other: `«${key}:other»` },
      ]),
    ) as unknown as MessagingStrings;
    const drawer = await drawerFor(alice);
    drawer.strings = strings;
    drawer.locale = 'de';
    await openRoom(drawer, 'Raum');
    const row = await waitFor(() => rowWithText(drawer, 'servus'), 'messages');
    row.querySelector<HTMLElement>('[part=actions-button]')!.click();
    await waitFor(() => row.querySelector('[part=actions]'), 'the actions menu');

    assertEqual(deep(messageList(drawer), '[part=day]')?.textContent?.trim(), 'heute', 'day separator in German');
    const seen: string[] = [];
    visibleStrings(drawer, seen);
    deep(drawer, 'messaging-room-view', '[part=back-button]')!.click();
    await waitFor(() => deep(drawer, 'messaging-room-list', '[part~=room]'), 'the list');
    visibleStrings(drawer, seen);
    deep(drawer, '[part=new-conversation-button]')!.click();
    await waitFor(() => deep(drawer, 'messaging-new-conversation', '[part=search]'), 'new conversation');
    visibleStrings(drawer, seen);

    const english = new Set(
      Object.values(defaultStrings).filter((v): v is string => typeof v === 'string' && !v.includes('{')),
    );
    const leftovers = seen.filter((text) => english.has(text));
    assertEqual(leftovers.join(' | '), '', 'no English string left');
    assert(seen.includes('«newConversation»'), 'markers shown');
    assert(seen.includes('«you»'), 'hidden labels too');
  });

  it('uses the plural form for the unread count', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const one = await createGroupRoom(bob, 'One', [alice]);
    const two = await createGroupRoom(bob, 'Two', [alice]);
    await postMessage(bob, one.id, 'a');
    await postMessage(bob, two.id, 'b');
    await postMessage(bob, two.id, 'c');
    const drawer = await drawerFor(alice);
    drawer.strings = { unread: { one: 'ein ungelesen', other: '{count} ungelesen' } };
    await drawer.show();
    const labels = await waitFor(() => {
      const found = [
        ...deep(drawer, 'messaging-room-list')!.shadowRoot!.querySelectorAll('[part=unread] .visually-hidden'),
      ].map((e) => e.textContent);
      return found.length === 2 ? found : null;
    }, 'two badges');
    assertEqual(labels.sort().join(','), '2 ungelesen,ein ungelesen');
  });
});
