import '../drawer/drawer.js';
import { sendKeys } from '../../test-support/keys.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, deep, deepAll, drawerFor } from '../../test-support/fixture.js';
import { api, connectedClient, createDirectRoom, testUser, uniqueName } from '../../test-support/parley.js';
import type { Room } from '@parley/sdk';
import type { MessagingDrawer } from '../drawer/drawer.component.js';

const flow = (drawer: MessagingDrawer) => deep(drawer, 'messaging-new-conversation')!;

async function startFlow(drawer: MessagingDrawer): Promise<HTMLElement> {
  await drawer.show();
  deep(drawer, '[part=new-conversation-button]')!.click();
  const input = await waitFor(() => deep(drawer, 'messaging-new-conversation', '[part=search]'), 'the search box');
  await waitFor(() => flow(drawer).shadowRoot!.activeElement === input, 'focus in the search box');
  return input;
}

function people(drawer: MessagingDrawer): HTMLButtonElement[] {
  return deepAll<HTMLButtonElement>(drawer, 'messaging-new-conversation', '[part=person]');
}

async function pick(drawer: MessagingDrawer, name: string): Promise<void> {
  const input = deep<HTMLInputElement>(drawer, 'messaging-new-conversation', '[part=search]')!;
  input.focus();
  input.select();
  await sendKeys({ type: name.slice(0, -2) });
  const person = await waitFor(
    () => people(drawer).find((p) => p.textContent?.includes(name)),
    `${name} in the results`,
  );
  person.click();
  await waitFor(() => person.getAttribute('aria-pressed') === 'true', `${name} chosen`);
}

describe('messaging-new-conversation', () => {
  afterEach(cleanup);

  it('opens with suggestions: the people of recent conversations, those online first', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser(uniqueName('Bob'));
    const carol = await testUser(uniqueName('Carol'));
    const dana = await testUser(uniqueName('Dana'));
    // Most recent last: Dana's room, then Carol's; Bob's is the oldest, but Bob is online.
    await createDirectRoom(alice, bob);
    await createDirectRoom(alice, carol);
    await createDirectRoom(alice, dana);
    await connectedClient(bob);
    const drawer = await drawerFor(alice);
    await drawer.show();
    await waitFor(
      () => deep(drawer, 'messaging-room-list', '[part=presence].online'),
      "Bob's presence known to the drawer",
    );
    await startFlow(drawer);
    const names = () => people(drawer).map((p) => p.querySelector('.name')?.textContent);
    await waitFor(() => names().length === 3, 'three suggestions before typing');
    assertEqual(names().join(), [bob.name, dana.name, carol.name].join(), 'online first, then the most recent');
    assertEqual(deep(drawer, 'messaging-new-conversation', '.suggested')?.textContent, 'Recent and online');
    people(drawer)[0]!.click();
    await waitFor(() => people(drawer)[0]!.getAttribute('aria-pressed') === 'true', 'a suggestion can be picked');
  });

  it('searches the directory as I type (debounced) and opens a direct room with the person I pick', async () => {
    const alice = await testUser('Alice');
    const zed = await testUser(uniqueName('Zed'));
    const drawer = await drawerFor(alice);
    const calls: string[] = [];
    const client = drawer.activeClient!;
    const search = client.searchUsers.bind(client);
    client.searchUsers = (q, limit) => {
      calls.push(q);
      return search(q, limit);
    };
    await startFlow(drawer);
    await pick(drawer, zed.name);
    assertEqual(calls.length, 1, `one search for the whole word typed quickly (got ${calls.join(' | ')})`);

    const create = deep<HTMLButtonElement>(drawer, 'messaging-new-conversation', '[part=create-button]')!;
    assertEqual(create.textContent?.trim(), 'Start chat');
    create.click();
    await waitFor(
      () => deep(drawer, 'messaging-room-view', '[part=title]')?.textContent === zed.name,
      'the direct room opens',
    );
    const rooms = (await api<{ rooms: Room[] }>(alice, 'GET', '/rooms')).rooms;
    assertEqual(rooms.length, 1);
    assertEqual(rooms[0]!.type, 'direct');
    assert(
      rooms[0]!.participants.some((p) => p.id === zed.id),
      'with Zed',
    );
  });

  it('reuses an existing direct room', async () => {
    const alice = await testUser('Alice');
    const yan = await testUser(uniqueName('Yan'));
    const existing = await createDirectRoom(alice, yan);
    const drawer = await drawerFor(alice);
    await startFlow(drawer);
    await pick(drawer, yan.name);
    deep(drawer, 'messaging-new-conversation', '[part=create-button]')!.click();
    await waitFor(() => drawer.roomId === existing.id, 'the existing room opens');
  });

  it('creates a named group with several people', async () => {
    const alice = await testUser('Alice');
    const xia = await testUser(uniqueName('Xia'));
    const wim = await testUser(uniqueName('Wim'));
    const drawer = await drawerFor(alice);
    const created: string[] = [];
    drawer.addEventListener('messaging-room-create', (e) => created.push(e.detail.roomId));
    await startFlow(drawer);
    await pick(drawer, xia.name);
    await pick(drawer, wim.name);
    const chips = deepAll(drawer, 'messaging-new-conversation', '[part=chosen-person]');
    assertEqual(chips.length, 2, 'both chosen');
    assertEqual(chips[0]!.getAttribute('aria-label'), `Remove ${xia.name}`);
    const name = deep<HTMLInputElement>(drawer, 'messaging-new-conversation', '[part=group-name]')!;
    name.focus();
    await sendKeys({ type: 'Launch crew' });
    const create = deep<HTMLButtonElement>(drawer, 'messaging-new-conversation', '[part=create-button]')!;
    assertEqual(create.textContent?.trim(), 'Create group');
    create.click();
    await waitFor(
      () => deep(drawer, 'messaging-room-view', '[part=title]')?.textContent === 'Launch crew',
      'the group opens',
    );
    assertEqual(created.length, 1, 'messaging-room-create fired');
    const room = await api<Room>(alice, 'GET', `/rooms/${created[0]}`);
    assertEqual(room.type, 'group');
    assertEqual(
      room.participants
        .map((p) => p.id)
        .sort()
        .join(),
      [alice.id, xia.id, wim.id].sort().join(),
    );
  });

  it('says when nobody matches, and Back returns to the list with focus on the button', async () => {
    const alice = await testUser('Alice');
    const drawer = await drawerFor(alice);
    await startFlow(drawer);
    await sendKeys({ type: 'nobody-by-this-name-' + crypto.randomUUID() });
    await waitFor(
      () => deep(drawer, 'messaging-new-conversation', '[part=notice]')?.textContent === 'No one found.',
      'no matches',
    );
    assert(
      deep<HTMLButtonElement>(drawer, 'messaging-new-conversation', '[part=create-button]')!.disabled,
      'nothing to create',
    );
    deep(drawer, 'messaging-new-conversation', '[part=back-button]')!.click();
    await waitFor(() => deep(drawer, 'messaging-room-list'), 'the list again');
    await waitFor(
      () => drawer.shadowRoot!.activeElement === deep(drawer, '[part=new-conversation-button]'),
      'focus on the button',
    );
  });
});
