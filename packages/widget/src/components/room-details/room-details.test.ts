import '../drawer/drawer.js';
import type { MessagingDrawer } from '../drawer/drawer.component.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, deep, deepAll, drawerFor, openRoom } from '../../test-support/fixture.js';
import { connectedClient, createGroupRoom, testUser, uniqueName } from '../../test-support/parley.js';

const details = (drawer: MessagingDrawer, ...selectors: string[]) =>
  deep(drawer, 'messaging-room-details', ...selectors);
const memberNames = (drawer: MessagingDrawer) =>
  deepAll(drawer, 'messaging-room-details', '[part=member-name]').map((n) => n.textContent?.trim());

async function openDetails(drawer: MessagingDrawer, room: string): Promise<void> {
  await openRoom(drawer, room);
  (
    await waitFor(
      () => deep<HTMLButtonElement>(drawer, 'messaging-room-view', '[part=details-button]'),
      'details button',
    )
  ).click();
  await waitFor(() => details(drawer, '[part=members]'), 'the details panel');
}

describe('messaging-room-details', () => {
  afterEach(cleanup);

  it('renames, adds and removes people and mutes through the UI, seen live by another member; the creator alone removes', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const carol = await testUser(uniqueName('Carol'));
    const room = await createGroupRoom(alice, 'Crew', [bob]);
    const bobsClient = await connectedClient(bob);
    await bobsClient.loadRooms();
    const bobsRoom = () => bobsClient.stores.rooms.getLatestValue().byId[room.id];

    const drawer = await drawerFor(alice);
    await openDetails(drawer, 'Crew');
    await waitFor(
      () => memberNames(drawer).join() === 'Alice (you),Bob',
      'the members: me first, marked, then by name',
    );
    assert(details(drawer, '[part=member-presence]')?.textContent, 'with their presence');

    // Rename.
    const name = details(drawer, '[part=room-name]') as HTMLInputElement;
    name.value = 'Crew, renamed';
    details(drawer, '[part=rename-button]')!.click();
    await waitFor(() => bobsRoom()?.display_name === 'Crew, renamed', 'Bob sees the new name live');
    await waitFor(() => details(drawer, '[part=title]')?.textContent === 'Crew, renamed', 'and so does the panel');

    // Add Carol by searching the directory.
    const search = details(drawer, '[part=add-people]') as HTMLInputElement;
    search.value = carol.name;
    search.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    (await waitFor(() => details(drawer, '[part=candidate]'), 'Carol found')).click();
    await waitFor(() => bobsRoom()?.participants.some((p) => p.id === carol.id), 'Bob sees Carol join');
    await waitFor(() => memberNames(drawer).includes(carol.name), 'Carol in the member list');
    assertEqual(
      deepAll(drawer, 'messaging-room-details', '[part=remove-button]').length,
      2,
      'the creator may remove everyone but herself',
    );

    // Remove Carol: asked first.
    const carolRow = deepAll(drawer, 'messaging-room-details', '[part=member]').find((m) =>
      m.textContent?.includes(carol.name),
    )!;
    carolRow.querySelector<HTMLButtonElement>('[part=remove-button]')!.click();
    const confirm = await waitFor(() => carolRow.querySelector('[part=confirm]'), 'the confirmation');
    confirm.querySelector<HTMLButtonElement>('.danger')!.click();
    await waitFor(() => !bobsRoom()?.participants.some((p) => p.id === carol.id), 'Bob sees Carol removed');

    // Mute: for Alice only.
    const mute = details(drawer, '[part=mute]')!;
    assertEqual(mute.getAttribute('aria-checked'), 'false', 'not muted at first');
    mute.click();
    await waitFor(() => details(drawer, '[part=mute]')?.getAttribute('aria-checked') === 'true', 'muted');
    assertEqual(drawer.activeClient!.stores.rooms.getLatestValue().byId[room.id]?.muted, true, 'in the store');
    assertEqual(bobsRoom()?.muted, false, 'Bob has not muted it');

    // Bob is not the creator: his panel offers no removal.
    const bobsDrawer = await drawerFor(bob);
    await openDetails(bobsDrawer, 'Crew, renamed');
    await waitFor(() => memberNames(bobsDrawer).length === 2, "Bob's panel");
    assertEqual(deepAll(bobsDrawer, 'messaging-room-details', '[part=remove-button]').length, 0, 'no remove for Bob');
  });

  it('leaves the room through the UI: back to the list without it, and the others see the member go', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(bob, 'Leavers', [alice]);
    const bobsClient = await connectedClient(bob);
    await bobsClient.loadRooms();

    const drawer = await drawerFor(alice);
    await openDetails(drawer, 'Leavers');
    details(drawer, '[part=leave-button]')!.click();
    const confirm = await waitFor(() => details(drawer, '[part=confirm]'), 'asked first');
    confirm.querySelector<HTMLButtonElement>('.danger')!.click();
    await waitFor(
      () => deep(drawer, 'messaging-room-list') && !deep(drawer, 'messaging-room-details'),
      'back at the list',
    );
    await waitFor(
      () => !deepAll(drawer, 'messaging-room-list', '[part=name]').some((n) => n.textContent === 'Leavers'),
      'the room is gone from the list',
    );
    await waitFor(
      () => !bobsClient.stores.rooms.getLatestValue().byId[room.id]?.participants.some((p) => p.id === alice.id),
      'Bob sees Alice leave',
    );
  });
});
