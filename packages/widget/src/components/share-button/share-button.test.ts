import '../drawer/drawer.js';
import './share-button.js';
import type { Message } from '@parley/sdk';
import type { MessagingShareButton } from './share-button.component.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { sendKeys } from '../../test-support/keys.js';
import { cleanup, deep, deepAll, drawerFor } from '../../test-support/fixture.js';
import {
  api,
  connectedClient,
  createDirectRoom,
  createGroupRoom,
  listMessages,
  testUser,
  uniqueName,
  type TestUser,
} from '../../test-support/parley.js';

const mounted = new Set<Element>();

function shareButton(attrs: { content: string; conversation?: string; message?: string }): MessagingShareButton {
  const button = document.createElement('messaging-share-button');
  button.content = attrs.content;
  button.setAttribute('source-conversation-id', attrs.conversation ?? 'conv-1');
  button.setAttribute('source-message-id', attrs.message ?? 'msg-1');
  document.body.append(button);
  mounted.add(button);
  return button;
}

/** The picker's choice buttons (`room` or `person` part) by visible name. */
function choice(button: Element, part: 'room' | 'person', name: string): HTMLButtonElement | undefined {
  return deepAll<HTMLButtonElement>(button, `[part~=${part}]`).find((b) => b.textContent?.trim() === name);
}

async function openPicker(button: MessagingShareButton): Promise<void> {
  await button.updateComplete;
  deep<HTMLButtonElement>(button, '[part=button]')!.click();
  await waitFor(() => deep<HTMLDialogElement>(button, '[part=dialog]')?.open, 'the picker is open');
}

async function sharedMessage(reader: TestUser, roomId: string, content: string): Promise<Message> {
  return waitFor(
    async () => (await listMessages(reader, roomId)).find((m) => m.content === content),
    `"${content}" stored`,
  );
}

describe('messaging-share-button', () => {
  afterEach(() => {
    for (const el of mounted) el.remove();
    mounted.clear();
    cleanup();
  });

  it('shares into a recent room through the page’s drawer client, as an ai_share with its source', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Design', [bob]);
    await drawerFor(alice);
    const button = shareButton({
      content: 'Use 8px spacing <b>everywhere</b>',
      conversation: 'conv-7',
      message: 'answer-3',
    });
    const shared: CustomEvent[] = [];
    button.addEventListener('messaging-share', (e) => shared.push(e));
    await openPicker(button);

    // The text shows as text, never as HTML.
    assertEqual(
      deep(button, '[part=preview]')!.textContent,
      'Use 8px spacing <b>everywhere</b>',
      'preview is literal text',
    );
    assert(!deep(button, '[part=preview] b'), 'no element made from the content');
    (await waitFor(() => choice(button, 'room', 'Design'), 'Design among the recent rooms')).click();
    await waitFor(() => deep(button, '[part=status]')?.textContent?.includes('Sent to Design'), 'success shown');

    const stored = await sharedMessage(bob, room.id, 'Use 8px spacing <b>everywhere</b>');
    assertEqual(stored.type, 'ai_share', 'an ai_share message');
    assertEqual(stored.sender_id, alice.id, 'sent as the user');
    assertEqual(stored.metadata['source_conversation_id'], 'conv-7', 'source conversation');
    assertEqual(stored.metadata['source_message_id'], 'answer-3', 'source message');
    assertEqual(shared.length, 1, 'one messaging-share event');
    assertEqual(shared[0]!.detail.roomId, room.id, 'event names the room');

    deep<HTMLButtonElement>(button, '[part=done-button]')!.click();
    await waitFor(() => !deep<HTMLDialogElement>(button, '[part=dialog]')!.open, 'closed after Done');
    const violations = (window as unknown as { __cspViolations: string[] }).__cspViolations;
    assertEqual(violations.length, 0, `no CSP violations (${violations.join('; ')})`);
  });

  it('offers the 7 most recent rooms, and finds older rooms and people by search', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const zed = await testUser(uniqueName('Zed'));
    const old = await createGroupRoom(alice, 'Archive', [bob]);
    for (let i = 1; i <= 7; i++) await createGroupRoom(alice, `Room ${i}`, [bob]);
    const client = await connectedClient(alice);
    const button = shareButton({ content: 'from the assistant' });
    button.client = client;
    await openPicker(button);

    await waitFor(() => deepAll(button, '[part~=room]').length === 7, 'seven recent rooms');
    assert(!choice(button, 'room', 'Archive'), 'the eighth most recent is not offered until searched');

    const search = deep<HTMLInputElement>(button, '[part=search]')!;
    search.value = 'arch';
    search.dispatchEvent(new Event('input'));
    (await waitFor(() => choice(button, 'room', 'Archive'), 'Archive found by name')).click();
    await sharedMessage(bob, old.id, 'from the assistant');

    // A person: choosing them opens the direct room and shares there.
    await openPicker(button);
    const search2 = deep<HTMLInputElement>(button, '[part=search]')!;
    search2.value = zed.name.slice(0, 6);
    search2.dispatchEvent(new Event('input'));
    (await waitFor(() => choice(button, 'person', zed.name), 'Zed found in the directory')).click();
    await waitFor(() => deep(button, '[part=status]')?.textContent?.includes(`Sent to ${zed.name}`), 'success shown');
    const direct = await createDirectRoom(zed, alice); // the existing room, from Zed's side
    const stored = await sharedMessage(zed, direct.id, 'from the assistant');
    assertEqual(stored.type, 'ai_share', 'an ai_share in the direct room');
  });

  it('shows the failure and emits messaging-share-error when the room refuses the share', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(bob, 'Leaving', [alice]);
    const client = await connectedClient(alice);
    const button = shareButton({ content: 'too late' });
    button.client = client;
    const errors: CustomEvent[] = [];
    button.addEventListener('messaging-share-error', (e) => errors.push(e));
    await openPicker(button);
    const target = await waitFor(() => choice(button, 'room', 'Leaving'), 'the room is offered');
    // Bob removes Alice after the picker listed the room.
    await api(bob, 'DELETE', `/rooms/${room.id}/participants/${alice.id}`);
    target.click();

    await waitFor(
      () => deep(button, '[part=error]')?.textContent?.includes('Could not send to Leaving'),
      'failure shown',
    );
    assertEqual(errors.length, 1, 'one messaging-share-error event');
    assertEqual(errors[0]!.detail.roomId, room.id, 'names the room');
    assertEqual(
      (await listMessages(bob, room.id)).some((m) => m.content === 'too late'),
      false,
      'nothing stored',
    );
  });

  it('window.Parley.share opens the same picker and resolves with the sent message', async () => {
    await import('../../embed.js');
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Ops', [bob]);
    await drawerFor(alice);
    const result = window.Parley!.share({
      content: 'Deploy checklist',
      source_conversation_id: 'c-9',
      source_message_id: 'm-9',
    });
    const picker = await waitFor(
      () => document.querySelector('messaging-share-button[hide-button]'),
      'a picker on the page',
    );
    assert(!deep(picker, '[part=button]'), 'no button of its own');
    (await waitFor(() => choice(picker, 'room', 'Ops'), 'Ops offered')).click();
    await waitFor(() => deep(picker, '[part=done-button]'), 'sent');
    deep<HTMLButtonElement>(picker, '[part=done-button]')!.click();

    const message = await result;
    assert(message, 'resolved with the message');
    assertEqual(message.room_id, room.id, 'in Ops');
    assertEqual(message.metadata['source_message_id'], 'm-9', 'with its source');
    assertEqual(document.querySelector('messaging-share-button[hide-button]'), null, 'the picker is removed');
  });

  it('window.Parley.share resolves null when closed with Escape', async () => {
    await import('../../embed.js');
    const alice = await testUser('Alice');
    await drawerFor(alice);
    const result = window.Parley!.share({ content: 'never mind', source_conversation_id: 'c', source_message_id: 'm' });
    const picker = await waitFor(
      () => document.querySelector('messaging-share-button[hide-button]'),
      'a picker on the page',
    );
    const dialog = deep<HTMLDialogElement>(picker, '[part=dialog]')!;
    await waitFor(() => dialog.open, 'open');
    await sendKeys({ press: 'Escape' }); // a real key press: the modal dialog closes itself
    assertEqual(await result, null, 'nothing sent');
  });
});
