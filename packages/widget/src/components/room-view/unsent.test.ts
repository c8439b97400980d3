import '../drawer/drawer.js';
import type { MessagingDrawer } from '../drawer/drawer.component.js';
import { sendKeys } from '../../test-support/keys.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, deep, drawerFor, messageRows, openRoom, rowWithText } from '../../test-support/fixture.js';
import { createDirectRoom, createGroupRoom, listMessages, testUser } from '../../test-support/parley.js';

const textarea = (drawer: MessagingDrawer) =>
  deep<HTMLTextAreaElement>(drawer, 'messaging-room-view', 'messaging-composer', '[part=textarea]')!;
const counter = (drawer: MessagingDrawer) =>
  deep(drawer, 'messaging-room-view', 'messaging-composer', '[part=counter]')?.textContent?.trim();

/** Put text in the composer as typing would end up (one input event; 10,000 key presses would take minutes). */
function typeInto(drawer: MessagingDrawer, text: string): void {
  const box = textarea(drawer);
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

const unsentRow = (drawer: MessagingDrawer) => messageRows(drawer).find((row) => row.querySelector('[part~=unsent]'));
const unsentButton = (drawer: MessagingDrawer, part: string) =>
  unsentRow(drawer)?.querySelector<HTMLButtonElement>(`[part~=${part}]`);

/** Alice's drawer, open on her direct room with Bob, and the server's message limit. */
async function aliceTalkingToBob() {
  const alice = await testUser('Alice');
  const bob = await testUser('Bob');
  const room = await createDirectRoom(alice, bob);
  const drawer = await drawerFor(alice);
  await openRoom(drawer, 'Bob');
  return { alice, room, drawer, max: drawer.activeClient!.limits.message_max_length };
}

describe('an unsent message', () => {
  afterEach(cleanup);

  it('is counted before it is sent: near the limit how many are left, past it how many too many, and no send', async () => {
    const { alice, room, drawer, max } = await aliceTalkingToBob();

    typeInto(drawer, 'short');
    await drawer.updateComplete;
    await waitFor(() => counter(drawer) === undefined, 'no counter far from the limit');
    typeInto(drawer, 'x'.repeat(max - 5));
    await waitFor(() => counter(drawer) === '5 characters left', 'the characters left');
    typeInto(drawer, 'x'.repeat(max + 1));
    await waitFor(() => counter(drawer) === '1 character too many', 'the characters too many');
    const send = deep<HTMLButtonElement>(drawer, 'messaging-room-view', 'messaging-composer', '[part=send-button]')!;
    assert(send.disabled, 'send is disabled past the limit');
    assertEqual(textarea(drawer).getAttribute('aria-invalid'), 'true', 'the box says it is invalid');
    await sendKeys({ press: 'Enter' });
    // Nothing went out: the text is still in the box, and then a short message goes first.
    assertEqual(textarea(drawer).value.length, max + 1, 'the text stays in the box');
    typeInto(drawer, 'fits');
    await sendKeys({ press: 'Enter' });
    await waitFor(async () => (await listMessages(alice, room.id)).length === 1, 'the short message stored');
    assertEqual((await listMessages(alice, room.id))[0]!.content, 'fits', 'only the one that fits was sent');
  });

  it('says why a refused send failed, and can be edited and sent again, or copied, or discarded, also after a reload', async () => {
    const start = await aliceTalkingToBob();
    const { alice, room, max } = start;
    let drawer = start.drawer;

    // Code of the host's own (not the composer) sends more than the server takes: the server refuses it.
    const tooLong = 'y'.repeat(max + 100);
    void drawer.activeClient!.sendMessage(room.id, tooLong).catch(() => undefined);
    const status = await waitFor(() => unsentRow(drawer)?.querySelector('[part~=status]'), 'the failed message');
    assertEqual(status.textContent?.trim(), `Not sent: longer than ${max} characters.`, 'the reason, inline');
    for (const part of ['retry-button', 'edit-unsent-button', 'copy-button', 'discard-button']) {
      assert(unsentButton(drawer, part), `a ${part}`);
    }

    // Copy: to the clipboard, said in the live region.
    unsentButton(drawer, 'copy-button')!.click();
    await waitFor(
      () => deep(drawer, 'messaging-room-view', 'messaging-message-list', '[aria-live]')?.textContent === 'Copied',
      '"Copied" announced',
    );

    // Edit: the text is back in the composer, the failed copy gone; shortened, it is sent.
    unsentButton(drawer, 'edit-unsent-button')!.click();
    await waitFor(() => textarea(drawer).value === tooLong, 'the text in the composer');
    await waitFor(() => !unsentRow(drawer), 'the failed copy gone');
    assert(
      textarea(drawer).matches(':focus') ||
        deep(drawer, 'messaging-room-view', 'messaging-composer')!.matches(':focus-within'),
      'focus in the composer',
    );
    typeInto(drawer, 'the short version');
    await sendKeys({ press: 'Enter' });
    await waitFor(
      async () => (await listMessages(alice, room.id)).some((m) => m.content === 'the short version'),
      'sent',
    );

    // Another one fails, then the page reloads: it is still there, failed, with its reason.
    void drawer.activeClient!.sendMessage(room.id, `${tooLong}!`).catch(() => undefined);
    await waitFor(() => unsentRow(drawer), 'the second failed message');
    drawer.remove();
    drawer = await drawerFor(alice);
    await openRoom(drawer, 'Bob');
    const restored = await waitFor(() => unsentRow(drawer), 'the failed message after the reload');
    assert(
      restored.querySelector('[part~=status]')?.textContent?.includes('Not sent'),
      'still failed, with its reason',
    );
    const sent = await waitFor(() => rowWithText(drawer, 'the short version'), 'beside the messages that were sent');
    const rows = messageRows(drawer);
    assert(rows.indexOf(sent) < rows.indexOf(unsentRow(drawer)!), 'in its place in time: after the one sent before it');

    // Discard: gone, and gone after the next reload too; nothing was ever stored.
    unsentButton(drawer, 'discard-button')!.click();
    await waitFor(() => !unsentRow(drawer), 'discarded');
    drawer.remove();
    drawer = await drawerFor(alice);
    await openRoom(drawer, 'Bob');
    await waitFor(() => rowWithText(drawer, 'the short version'), 'the history after the second reload');
    assert(!unsentRow(drawer), 'the discarded message does not come back');
    assertEqual(
      (await listMessages(alice, room.id)).map((m) => m.content).join('|'),
      'the short version',
      'only the edited version was ever stored',
    );
  });

  it('keeps a draft per room across going back and forth and a reload, and forgets it once sent', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    await createGroupRoom(alice, 'Drafts one', [bob]);
    const two = await createGroupRoom(alice, 'Drafts two', [bob]);
    let drawer = await drawerFor(alice);
    const back = () => deep<HTMLButtonElement>(drawer, 'messaging-room-view', '[part=back-button]')!.click();

    await openRoom(drawer, 'Drafts one');
    typeInto(drawer, 'half a thought');
    back();
    await openRoom(drawer, 'Drafts two');
    await waitFor(() => textarea(drawer)?.value === '', 'the other room starts empty');
    typeInto(drawer, 'another draft');
    back();
    await openRoom(drawer, 'Drafts one');
    await waitFor(() => textarea(drawer)?.value === 'half a thought', 'the first draft back');

    drawer.remove();
    drawer = await drawerFor(alice);
    await openRoom(drawer, 'Drafts two');
    await waitFor(() => textarea(drawer)?.value === 'another draft', 'the draft survives a reload');
    await sendKeys({ press: 'Enter' });
    await waitFor(async () => (await listMessages(alice, two.id)).length === 1, 'the draft sent');
    drawer.remove();
    drawer = await drawerFor(alice);
    await openRoom(drawer, 'Drafts two');
    await waitFor(() => rowWithText(drawer, 'another draft'), 'the sent message shown');
    assertEqual(textarea(drawer).value, '', 'a sent draft is not kept');
  });
});
