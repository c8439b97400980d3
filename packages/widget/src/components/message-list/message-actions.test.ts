import '../drawer/drawer.js';
import { sendKeys } from '../../test-support/keys.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, deep, drawerFor, messageList, openRoom, rowWithText } from '../../test-support/fixture.js';
import { createGroupRoom, listMessages, postMessage, react, testUser } from '../../test-support/parley.js';

/** Open a message's actions menu. */
async function openActions(row: HTMLElement): Promise<HTMLElement> {
  row.querySelector<HTMLButtonElement>('[part=actions-button]')!.click();
  return waitFor(() => row.querySelector<HTMLElement>('[part=actions]'), 'the actions menu');
}

describe('message actions: reactions, edit, delete', () => {
  afterEach(cleanup);

  it('reacts from the picker, shows counts, toggles my reaction off, and follows others live', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Reactions', [bob]);
    const message = await postMessage(bob, room.id, 'react to me');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Reactions');
    const row = await waitFor(() => rowWithText(drawer, 'react to me'), 'the message');

    const menu = await openActions(row);
    const options = [...menu.querySelectorAll<HTMLButtonElement>('[part=reaction-option]')];
    assert(options.length >= 6, 'a picker of common emoji');
    assertEqual(
      document.activeElement === drawer && drawer.shadowRoot!.activeElement !== null,
      true,
      'focus moved into the widget',
    );
    options.find((o) => o.textContent?.trim() === '👍')!.click();

    const chip = await waitFor(() => row.querySelector<HTMLButtonElement>('[part~=reaction]'), 'a reaction chip');
    assertEqual(chip.getAttribute('aria-pressed'), 'true', 'mine is pressed');
    assertEqual(chip.getAttribute('aria-label'), '👍: 1 reaction');
    await waitFor(async () => (await listMessages(bob, room.id))[0]?.reactions[0]?.count === 1, 'stored on the server');
    assertEqual(row.querySelector('[part=actions]'), null, 'the menu closed after picking');

    // Bob reacts with the same emoji: the count follows live.
    await react(bob, room.id, message.id, '👍');
    await waitFor(
      () => row.querySelector('[part~=reaction]')?.getAttribute('aria-label') === '👍: 2 reactions',
      'count 2, live',
    );

    // Clicking my chip takes my reaction back.
    row.querySelector<HTMLButtonElement>('[part~=reaction]')!.click();
    await waitFor(
      () => row.querySelector('[part~=reaction]')?.getAttribute('aria-pressed') === 'false',
      'no longer mine',
    );
    assertEqual(row.querySelector('[part~=reaction]')!.getAttribute('aria-label'), '👍: 1 reaction');
    const stored = (await listMessages(alice, room.id))[0]!;
    assertEqual(stored.reactions.find((r) => r.emoji === '👍')?.me, false, 'removed on the server');
  });

  it('Esc closes the actions menu without closing the drawer, and focus returns to its button', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Esc', [bob]);
    await postMessage(bob, room.id, 'menu here');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Esc');
    const row = await waitFor(() => rowWithText(drawer, 'menu here'), 'the message');
    await openActions(row);
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !row.querySelector('[part=actions]'), 'menu closed');
    assertEqual(drawer.open, true, 'drawer still open');
    assertEqual(
      messageList(drawer).shadowRoot!.activeElement,
      row.querySelector('[part=actions-button]'),
      'focus back on the actions button',
    );
  });

  it('edits my message inline (Enter saves) and marks it edited; others cannot edit mine', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Edit', [bob]);
    await postMessage(alice, room.id, 'helo');
    await postMessage(bob, room.id, 'not yours');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Edit');
    const mine = await waitFor(() => rowWithText(drawer, 'helo'), 'my message');
    const menu = await openActions(mine);
    const editButton = [...menu.querySelectorAll<HTMLButtonElement>('[part=action]')].find(
      (b) => b.textContent?.trim() === 'Edit',
    )!;
    editButton.click();
    const box = await waitFor(() => mine.querySelector<HTMLTextAreaElement>('[part=edit-textarea]'), 'the edit box');
    assertEqual(box.value, 'helo', 'prefilled');
    await waitFor(() => messageList(drawer).shadowRoot!.activeElement === box, 'focus in the edit box');
    await sendKeys({ type: 'hello' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => rowWithText(drawer, 'hello')?.querySelector('[part=edited]'), 'edited text and marker');
    await waitFor(
      async () => (await listMessages(bob, room.id)).some((m) => m.content === 'hello' && m.edited_at),
      'stored',
    );

    const theirs = rowWithText(drawer, 'not yours')!;
    const theirMenu = await openActions(theirs);
    const labels = [...theirMenu.querySelectorAll('[part=action]')].map((b) => b.textContent?.trim());
    assertEqual(labels.length, 0, "no edit/delete on someone else's message");
  });

  it('deletes my message only after confirming, leaving a "Message deleted" tombstone', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Delete', [bob]);
    await postMessage(alice, room.id, 'regret this');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Delete');
    const row = await waitFor(() => rowWithText(drawer, 'regret this'), 'my message');

    const clickAction = async (label: string) => {
      const button = await waitFor(
        () =>
          [...row.querySelectorAll<HTMLButtonElement>('[part=action]')].find((b) => b.textContent?.trim() === label),
        `the ${label} button`,
      );
      button.click();
    };
    await openActions(row);
    await clickAction('Delete');
    const confirm = await waitFor(() => row.querySelector('[part=confirm]'), 'a confirmation');
    assert(confirm.textContent?.includes('Delete this message?'), 'asks first');
    await clickAction('Cancel');
    await waitFor(() => !row.querySelector('[part=confirm]'), 'cancelled');
    assertEqual((await listMessages(alice, room.id))[0]!.deleted_at, null, 'still there');

    await openActions(row);
    await clickAction('Delete');
    await waitFor(() => row.querySelector('[part=confirm]'), 'a confirmation');
    await clickAction('Delete');
    await waitFor(() => row.querySelector('[part~=bubble]')?.textContent === 'Message deleted', 'tombstone');
    assert(row.part.contains('message--deleted'), 'deleted part');
    await waitFor(async () => (await listMessages(bob, room.id))[0]!.deleted_at !== null, 'deleted on the server');
    const preview = await (async () => {
      await drawer.updateComplete;
      deep(drawer, 'messaging-room-view', '[part=back-button]')!.click();
      return waitFor(() => deep(drawer, 'messaging-room-list', '[part=preview]')?.textContent, 'the preview');
    })();
    assertEqual(preview, 'Message deleted', 'the room list preview says so too');
  });
});
