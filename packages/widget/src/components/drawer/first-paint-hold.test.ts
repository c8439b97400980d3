// The drawer's first paint waits for its first page of rooms (up to FIRST_PAINT_HOLD_MS), on the
// stub server, whose REST answers the test can hold back like a slow server.
import './drawer.js';
import type { MessagingDrawer } from './drawer.component.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { deep, deepAll } from '../../test-support/fixture.js';
import { groupRoom, user } from '../../test-support/fixture-data.js';
import { StubParley } from '../../test-support/stub-client.js';

const alice = user('Alice');
const bob = user('Bob');

let stub: StubParley;
let drawer: MessagingDrawer | undefined;

/** An open drawer on a client of the stub, on the page; `watch` sees its shadow root from its first render. */
function openDrawer(watch?: (root: ShadowRoot) => void): MessagingDrawer {
  const el = document.createElement('messaging-drawer');
  el.client = stub.client();
  el.open = true;
  document.body.append(el);
  watch?.(el.shadowRoot!);
  drawer = el;
  return el;
}

const roomNames = (el: Element) => deepAll(el, 'messaging-room-list', '[part~=name]').map((n) => n.textContent);
const loadingNotice = (el: Element) => deep(el, 'messaging-room-list', '[part=notice]');

describe('the drawer’s first paint', () => {
  beforeEach(() => {
    stub = new StubParley({ me: alice, rooms: [groupRoom('r1', 'Design', [alice, bob])] });
  });

  afterEach(() => {
    drawer?.remove();
    drawer = undefined;
    stub.destroy();
  });

  it('waits for the first page of rooms: the list paints once, never "Loading…" before it', async () => {
    const release = stub.holdRest();
    // Every room list the drawer ever renders, as it is added, with what its client knew then.
    const listsAdded: boolean[] = [];
    const el = openDrawer((root) =>
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.addedNodes) {
            if (!(node instanceof Element)) continue;
            const lists =
              node.localName === 'messaging-room-list' ? [node] : node.querySelectorAll('messaging-room-list');
            const { loaded } = el.activeClient!.stores.rooms.getLatestValue();
            listsAdded.push(...Array.from(lists, () => loaded));
          }
      }).observe(root, { childList: true, subtree: true }),
    );
    await el.updateComplete;
    assertEqual(el.shadowRoot!.querySelector('.fab, .panel'), null, 'its first render, before the rooms, is empty');
    release(); // a fast server: the rooms come well within the hold
    await waitFor(() => stub.requests.some((r) => r.startsWith('GET /rooms')), 'the rooms asked for');
    await waitFor(() => roomNames(el).join() === 'Design', 'the list');
    assertEqual(listsAdded.join(), 'true', 'one room list, added with its rooms already there');
  });

  it('shows the loading state when the rooms take longer than the hold', async () => {
    const release = stub.holdRest();
    const el = openDrawer();
    await waitFor(() => loadingNotice(el)?.textContent?.includes('Loading'), '"Loading…" once the hold is over');
    assert(deep(el, '[part=panel]') !== null && deep(el, '[part=button]') !== null, 'the panel and its button');
    release();
    await waitFor(() => roomNames(el).join() === 'Design', 'then the list');
  });

  it('renders at once when show() is called during the hold, and puts focus inside', async () => {
    const release = stub.holdRest();
    const el = document.createElement('messaging-drawer');
    el.client = stub.client();
    document.body.append(el);
    drawer = el;
    await el.show();
    assert(deep(el, '[part=panel]') !== null, 'the panel, rendered for show() to put focus in');
    assert(loadingNotice(el)?.textContent?.includes('Loading'), 'its loading state');
    // No room to focus yet: the header's first button (New conversation) has it.
    assertEqual(el.shadowRoot!.activeElement?.getAttribute('part'), 'new-conversation-button', 'focus inside');
    release();
    await waitFor(() => roomNames(el).join() === 'Design', 'then the list');
  });
});
