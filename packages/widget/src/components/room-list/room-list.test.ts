import '../drawer/drawer.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, deep, deepAll, drawerFor } from '../../test-support/fixture.js';
import {
  api,
  connectedClient,
  createDirectRoom,
  createGroupRoom,
  postMessage,
  testUser,
} from '../../test-support/parley.js';
import type { MessagingDrawer } from '../drawer/drawer.component.js';
import { avatarColor } from '../../base/avatar.js';

function roomButton(drawer: MessagingDrawer, name: string): HTMLElement | undefined {
  return deepAll(drawer, 'messaging-room-list', '[part~=room]').find(
    (b) => b.querySelector('[part=name]')?.textContent === name,
  );
}

function roomNames(drawer: MessagingDrawer): string[] {
  return deepAll(drawer, 'messaging-room-list', '[part=name]').map((n) => n.textContent ?? '');
}

describe('messaging-room-list', () => {
  afterEach(cleanup);

  it('lists rooms by latest activity, with preview, time and unread count, and re-sorts live', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const older = await createGroupRoom(alice, 'Older', [bob]);
    await postMessage(bob, older.id, 'old news');
    const newer = await createGroupRoom(alice, 'Newer', [bob]);
    await postMessage(alice, newer.id, 'line one\nline two');
    const drawer = await drawerFor(alice);
    await drawer.show();
    await waitFor(() => roomNames(drawer).join() === 'Newer,Older', 'newest activity first');

    const newerRow = roomButton(drawer, 'Newer')!;
    assertEqual(newerRow.querySelector('[part=preview]')?.textContent, 'You: line one', 'my message, first line');
    // The first paint does not wait for the date formats; the time follows a frame later.
    const time = () => newerRow.querySelector<HTMLTimeElement>('[part=room-time], [part=time]');
    await waitFor(() => time()?.textContent?.trim(), 'a time');
    assert(time()?.title, 'the full date and time on hover');
    assertEqual(newerRow.querySelector('[part=unread]'), null, 'no badge for my own message');
    const olderRow = roomButton(drawer, 'Older')!;
    assert(olderRow.part.contains('room--unread'), 'unread part');
    assertEqual(olderRow.querySelector('[part=unread]')?.textContent?.trim().startsWith('1'), true, 'unread badge 1');

    await postMessage(bob, older.id, 'fresh');
    await waitFor(() => roomNames(drawer).join() === 'Older,Newer', 'a new message moves the room to the top');
    await waitFor(
      () => roomButton(drawer, 'Older')?.querySelector('[part=preview]')?.textContent === 'Bob: fresh',
      'preview follows',
    );
  });

  it('renders system messages in the preview from their metadata', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const carol = await testUser('Carol');
    const room = await createGroupRoom(alice, 'Team', [bob]);
    await api(alice, 'POST', `/rooms/${room.id}/participants`, { user_ids: [carol.id] });
    const drawer = await drawerFor(alice);
    drawer.strings = { systemAdded: '{actor} a ajouté {name}' };
    await drawer.show();
    await waitFor(
      () => roomButton(drawer, 'Team')?.querySelector('[part=preview]')?.textContent === 'Alice a ajouté Carol',
      'localised system preview',
    );
  });

  it("shows the other person's avatar (http(s) only, no referrer) or initials, and a presence dot with last seen", async () => {
    const alice = await testUser('Alice');
    const pic = 'https://avatars.invalid/bob.png';
    const bob = await testUser('Bob Builder', { picture: pic });
    const mallory = await testUser('Mallory', { picture: 'javascript:window.__avatarXss=1' });
    const carol = await testUser('Carol');
    await createDirectRoom(alice, bob);
    await createDirectRoom(alice, mallory);
    await createDirectRoom(alice, carol);
    // Carol was online and left: offline with a last-seen time.
    const carolClient = await connectedClient(carol);
    carolClient.destroy();
    await connectedClient(bob);
    const drawer = await drawerFor(alice);
    await drawer.show();

    const bobRow = await waitFor(() => roomButton(drawer, 'Bob Builder'), 'Bob');
    const img = bobRow.querySelector('img')!;
    assertEqual(img.getAttribute('src'), pic);
    assertEqual(img.getAttribute('referrerpolicy'), 'no-referrer');
    assertEqual(img.alt, '', 'decorative: the name is next to it');
    assertEqual(bobRow.querySelector('[part=avatar]')!.textContent?.trim(), 'BB', 'initials under the picture');
    const malloryRow = roomButton(drawer, 'Mallory')!;
    assertEqual(malloryRow.querySelector('img'), null, 'no <img> for a javascript: avatar');
    assertEqual(malloryRow.querySelector('[part=avatar]')!.textContent?.trim(), 'M');

    await waitFor(() => bobRow.querySelector('[part=presence]')?.classList.contains('online'), 'Bob online (green)');
    assertEqual(bobRow.querySelector('[part=presence]')!.getAttribute('title'), 'Online');
    const carolDot = await waitFor(() => {
      const dot = roomButton(drawer, 'Carol')?.querySelector('[part=presence]');
      return dot?.getAttribute('title')?.startsWith('Offline, last seen') ? dot : null;
    }, 'Carol offline with last seen');
    assert(carolDot.classList.contains('offline'), 'grey dot');
    assertEqual(carolDot.getAttribute('role'), 'img');
    assertEqual(deepAll(drawer, 'messaging-room-list', '[part=presence]').length, 3, 'dots only for direct rooms');
    assertEqual((window as { __avatarXss?: unknown }).__avatarXss, undefined);
  });

  it('gives each avatar letters only, and a colour of its own that stays the same on every load', async () => {
    const alice = await testUser('Alice');
    const people = await Promise.all(['Bob', 'Carol', 'Dana', 'Erin', 'Frank', 'Grace'].map((n) => testUser(n)));
    for (const person of people) await createDirectRoom(alice, person);
    const group = await createGroupRoom(alice, 'Lunch crew (renamed)', [people[0]!]);
    await postMessage(people[0]!, group.id, 'pizza?');
    const colours = async () => {
      const drawer = await drawerFor(alice);
      await drawer.show();
      await waitFor(() => roomButton(drawer, 'Grace'), 'the rooms');
      const avatars = Object.fromEntries(
        [...people.map((p) => p.name), 'Lunch crew (renamed)'].map((name) => [
          name,
          roomButton(drawer, name)!.querySelector<HTMLElement>('[part=avatar]')!,
        ]),
      );
      const seen = Object.fromEntries(
        Object.entries(avatars).map(([n, a]) => [n, getComputedStyle(a).backgroundColor]),
      );
      const lunch = roomButton(drawer, 'Lunch crew (renamed)')!;
      assertEqual(avatars['Lunch crew (renamed)']!.textContent?.trim(), 'LR', 'letters only: no "(" in initials');
      assertEqual(
        lunch.querySelector('[part=preview]')?.textContent,
        'Bob: pizza?',
        'a group preview names its sender',
      );
      assertEqual(lunch.querySelector('[part=name]')?.getAttribute('dir'), 'auto', 'names are dir="auto"');
      drawer.remove();
      return seen;
    };
    const first = await colours();
    // As many colours as the ids hash to (no longer all one grey), the group's from its room id.
    const expected = new Set([...people.map((p) => avatarColor(p.id)), avatarColor(group.id)]).size;
    assertEqual(new Set(Object.values(first)).size, expected, `one colour per hashed id: ${JSON.stringify(first)}`);
    assert(expected > 1, 'ids spread over the palette');
    assertEqual(JSON.stringify(await colours()), JSON.stringify(first), 'the same colours on the next load');
  });

  it('shows an away status in yellow', async () => {
    const alice = await testUser('Alice');
    const dana = await testUser('Dana');
    await createDirectRoom(alice, dana);
    const danaClient = await connectedClient(dana);
    const drawer = await drawerFor(alice);
    await drawer.show();
    // Alice's drawer has Dana's current presence (so its socket is live) before Dana changes it.
    await waitFor(
      () => roomButton(drawer, 'Dana')?.querySelector('[part=presence]')?.classList.contains('online'),
      'Dana online first',
    );
    danaClient.setPresence('away');
    const dot = await waitFor(() => {
      const d = roomButton(drawer, 'Dana')?.querySelector('[part=presence]');
      return d?.classList.contains('away') ? d : null;
    }, 'Dana away');
    assert(dot.getAttribute('title')?.startsWith('Away'), 'tooltip says away');
    assert(
      getComputedStyle(dot).backgroundColor !== getComputedStyle(deep(drawer, '[part=button]')!).backgroundColor,
      'a distinct colour',
    );
  });
});
