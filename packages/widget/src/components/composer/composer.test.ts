import '../drawer/drawer.js';
import './composer.js';
import { sendKeys, shiftEnter } from '../../test-support/keys.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { bubbles, cleanup, deep, drawerFor, openRoom } from '../../test-support/fixture.js';
import { createGroupRoom, listMessages, testUser } from '../../test-support/parley.js';

describe('messaging-composer', () => {
  afterEach(cleanup);

  it('Shift+Enter inserts a newline and Enter emits the trimmed text', async () => {
    const composer = document.createElement('messaging-composer');
    document.body.append(composer);
    try {
      await composer.updateComplete;
      const sent: string[] = [];
      composer.addEventListener('messaging-send', (e) => sent.push(e.detail.content));
      composer.focus();
      await sendKeys({ type: 'line one' });
      await shiftEnter();
      await sendKeys({ type: 'line two ' });
      assertEqual(composer.value, 'line one\nline two ', 'Shift+Enter added a newline');
      assertEqual(sent.length, 0, 'nothing sent yet');
      await sendKeys({ press: 'Enter' });
      assertEqual(sent.join('|'), 'line one\nline two', 'Enter sent the trimmed text');
      assertEqual(composer.value, '', 'the box is cleared');
      await sendKeys({ press: 'Enter' });
      assertEqual(sent.length, 1, 'an empty box sends nothing');
    } finally {
      composer.remove();
    }
  });

  it('sends through the SDK: the message shows and the server stores it', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Send', [bob]);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Send');
    const composer = deep(drawer, 'messaging-room-view', 'messaging-composer')!;
    await waitFor(
      () => deep(drawer, 'messaging-room-view', 'messaging-message-list', '[part=notice]'),
      'empty room loaded',
    );
    composer.focus();
    await sendKeys({ type: 'hello from the widget' });
    await shiftEnter();
    await sendKeys({ type: 'second line' });
    await sendKeys({ press: 'Enter' });

    const text = 'hello from the widget\nsecond line';
    await waitFor(() => bubbles(drawer).some((b) => b.textContent === text), 'the message shows');
    const stored = await waitFor(
      async () => (await listMessages(bob, room.id)).find((m) => m.content === text),
      'the server has it',
    );
    assertEqual(stored.sender_id, alice.id);
    // Once acknowledged, the optimistic copy becomes the stored one (no duplicate, not pending).
    await waitFor(() => {
      const rows = deep(drawer, 'messaging-room-view', 'messaging-message-list')!.shadowRoot!.querySelectorAll(
        '[part~=message]',
      );
      return rows.length === 1 && rows[0]!.getAttribute('data-status') === 'sent';
    }, 'one sent message');
    assert(bubbles(drawer).length === 1, 'no duplicate');
  });
});
