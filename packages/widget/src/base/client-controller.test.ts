// The client controller as its two users see it, on the in-memory stub server: the drawer
// prepares a client it is given, the share button borrows the drawer's and connects it only when
// sending. (Building an own client from `server` + token is covered against the real server by
// every test that uses fixture.ts's drawerFor.)
import '../components/drawer/drawer.js';
import '../components/share-button/share-button.js';
import type { MessagingDrawer } from '../components/drawer/drawer.component.js';
import { assert, assertEqual, waitFor } from '../test-support/assert.js';
import { deep, deepAll } from '../test-support/fixture.js';
import { at, groupRoom, message, user } from '../test-support/fixture-data.js';
import { StubParley } from '../test-support/stub-client.js';

const alice = user('Alice');
const bob = user('Bob');

let stub: StubParley;
const mounted = new Set<Element>();

function mount<K extends 'messaging-drawer' | 'messaging-share-button'>(tag: K): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  mounted.add(el);
  return el;
}

function roomNames(drawer: MessagingDrawer): string[] {
  return deepAll(drawer, 'messaging-room-list', '[part=name]').map((n) => n.textContent ?? '');
}

describe('client controller (drawer and share button)', () => {
  beforeEach(() => {
    stub = new StubParley({
      me: alice,
      rooms: [groupRoom('r1', 'Design', [alice, bob]), groupRoom('r2', 'Ops', [alice, bob])],
      messages: { r2: [message('r2', bob, 'deploy done', at(2024, 3, 5, 9, 0))] },
    });
  });

  afterEach(() => {
    for (const el of mounted) el.remove();
    mounted.clear();
    stub.destroy();
  });

  it('the drawer connects a given idle client and loads its rooms, and never destroys it', async () => {
    const client = stub.client();
    const drawer = mount('messaging-drawer');
    const ready: Event[] = [];
    drawer.addEventListener('messaging-ready', (e) => ready.push(e));
    drawer.client = client;
    document.body.append(drawer);

    await waitFor(() => roomNames(drawer).join() === 'Ops,Design', 'the rooms, most recent first');
    await waitFor(() => client.connectionState === 'open', 'connected by the drawer');
    assertEqual(drawer.activeClient, client, 'the given client is the one in use');
    assertEqual(drawer.status, 'ready');
    assertEqual(stub.requests.filter((r) => r.startsWith('GET /rooms?')).length, 1, 'the rooms loaded once');
    assert(
      stub.frames.some((f) => f.type === 'auth'),
      'it authenticated on the socket',
    );

    drawer.remove();
    // The controller drops an own client in a microtask after removal; this one runs after it.
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    assertEqual(client.connectionState, 'open', "the host's client stays open");
    assertEqual(ready.length, 0, 'messaging-ready is for an own client only');
  });

  it("the share button borrows the drawer's client when it has none of its own", async () => {
    const client = stub.client();
    const drawer = mount('messaging-drawer');
    drawer.client = client;
    document.body.append(drawer);
    const button = mount('messaging-share-button');
    document.body.append(button);
    assertEqual(button.activeClient, client, "the drawer's");
    const own = stub.client();
    button.client = own;
    assertEqual(button.activeClient, own, 'its own client wins');
  });

  it('the share button connects an idle given client only when it sends', async () => {
    const client = stub.client();
    const button = mount('messaging-share-button');
    button.client = client;
    button.content = 'Use 8px spacing';
    button.sourceConversationId = 'conv-1';
    button.sourceMessageId = 'answer-1';
    document.body.append(button);
    await button.updateComplete;
    deep<HTMLButtonElement>(button, '[part=button]')!.click();
    const design = await waitFor(
      () => deepAll<HTMLButtonElement>(button, '[part~=room]').find((b) => b.textContent?.trim() === 'Design'),
      'Design offered (over REST)',
    );
    assertEqual(client.connectionState, 'idle', 'opening the picker does not connect');

    design.click();
    await waitFor(() => deep(button, '[part=status]')?.textContent?.includes('Sent to Design'), 'sent');
    assertEqual(client.connectionState, 'open', 'connected to send');
    const send = stub.frames.find((f) => f.type === 'send');
    assert(send?.type === 'send', 'sent over the socket');
    assertEqual(send.message_type, 'ai_share');
    assertEqual(send.metadata?.['source_message_id'], 'answer-1', 'with its source');
  });
});
