import './components/drawer/drawer.js';
import { emulateMedia } from '@web/test-runner-commands';
import { sendKeys } from './test-support/keys.js';
import { assert, assertEqual, waitFor } from './test-support/assert.js';
import {
  cleanup,
  deep,
  drawerFor,
  messageList,
  openRoom,
  rowWithText,
  searchDirectory,
} from './test-support/fixture.js';
import {
  createDirectRoom,
  createGroupRoom,
  markRead,
  postMessage,
  react,
  testUser,
  uniqueName,
} from './test-support/parley.js';
import type { MessagingDrawer } from './components/drawer/drawer.component.js';

interface AxeResult {
  violations: Array<{
    id: string;
    impact: string | null;
    help: string;
    nodes: Array<{ target: unknown; failureSummary?: string }>;
  }>;
}
declare global {
  interface Window {
    axe?: { run(context: Element, options: object): Promise<AxeResult> };
  }
}

async function loadAxe(): Promise<NonNullable<Window['axe']>> {
  if (!window.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/__axe.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('could not load axe-core'));
      document.head.append(script);
    });
  }
  return window.axe!;
}

/** Run axe on the drawer (open shadow roots included); fail on serious or critical violations. */
async function expectAccessible(drawer: MessagingDrawer, what: string): Promise<void> {
  const axe = await loadAxe();
  // Let transitions finish so colours are measured in their final state (shadow trees included).
  await Promise.all(document.getAnimations().map((animation) => animation.finished));
  const result = await axe.run(drawer, { resultTypes: ['violations'] });
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target) + ' ' + (n.failureSummary ?? '')).join('; ')}`,
  );
  assertEqual(report.join('\n'), '', `${what}: axe found serious/critical violations`);
}

/** The focused element inside the drawer's nested shadow roots. */
function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('accessibility', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    cleanup();
  });

  it('the axe check sees inside the shadow roots (an unnamed button there fails it)', async () => {
    const drawer = await drawerFor(await testUser('Alice'));
    await drawer.show();
    const broken = document.createElement('button');
    deep(drawer, '[part=panel]')!.append(broken);
    let failed = false;
    try {
      await expectAccessible(drawer, 'broken');
    } catch (error) {
      failed = String(error).includes('button-name');
    } finally {
      broken.remove();
    }
    assert(failed, 'axe reported the unnamed button');
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`axe: no serious or critical violation in the list, a room, the reaction picker and the new-conversation flow (${theme})`, async function () {
      this.timeout(30_000);
      await emulateMedia({ colorScheme: theme });
      const alice = await testUser('Alice');
      const bob = await testUser(uniqueName('Bob'));
      const carol = await testUser('Carol');
      const room = await createGroupRoom(alice, 'Accessible', [bob, carol]);
      const direct = await createDirectRoom(bob, alice);
      await postMessage(bob, direct.id, 'unread direct');
      const first = await postMessage(bob, room.id, 'Hello https://example.com');
      await react(carol, room.id, first.id, '🎉');
      await postMessage(bob, room.id, 'AI says hi', {
        type: 'ai_share',
        metadata: { source_conversation_id: 'c1', source_title: 'Assistant' },
      });
      await postMessage(bob, room.id, 'by the bot', { metadata: { via: 'agent' } });
      await postMessage(alice, room.id, 'my reply');
      await markRead(bob, room.id);
      const drawer = await drawerFor(alice);
      drawer.theme = theme;

      await drawer.show();
      await waitFor(() => deep(drawer, 'messaging-room-list', '[part~=room--unread]'), 'the list');
      await expectAccessible(drawer, 'room list');

      await openRoom(drawer, 'Accessible');
      await waitFor(() => deep(messageList(drawer), '[part=receipt]'), 'the room with a receipt');
      await expectAccessible(drawer, 'room view');

      const row = rowWithText(drawer, 'my reply')!;
      row.querySelector<HTMLElement>('[part=actions-button]')!.click();
      await waitFor(() => row.querySelector('[part=reaction-picker]'), 'the picker');
      await expectAccessible(drawer, 'reaction picker');

      deep(drawer, 'messaging-room-view', '[part=details-button]')!.click();
      await waitFor(() => deep(drawer, 'messaging-room-details', '[part=members] [part=member-presence]'), 'details');
      deep(drawer, 'messaging-room-details', '[part=leave-button]')!.click();
      await waitFor(() => deep(drawer, 'messaging-room-details', '[part=confirm]'), 'the leave confirmation');
      await expectAccessible(drawer, 'conversation details');
      deep(drawer, 'messaging-room-details', '[part=back-button]')!.click();
      await waitFor(() => deep(drawer, 'messaging-room-view', '[part=back-button]'), 'back in the room');

      await searchDirectory(drawer, bob.name);
      const person = await waitFor(() => deep(drawer, 'messaging-new-conversation', '[part=person]'), 'a result');
      person.click();
      await expectAccessible(drawer, 'new conversation');
    });
  }

  it('works by keyboard alone: Enter opens, Tab moves in a logical order, Esc closes and focus returns to the button', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Keys', [bob]);
    await postMessage(bob, room.id, 'one');
    const drawer = await drawerFor(alice);
    const fab = deep(drawer, '[part=button]')!;
    fab.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(
      () => drawer.open && deepActive()?.getAttribute('part')?.includes('room'),
      'open with focus on the first room',
    );
    assertEqual(deep(drawer, '[part=panel]')!.getAttribute('role'), 'dialog');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => deepActive()?.getAttribute('part') === 'textarea', 'the room opens with focus in the composer');
    await waitFor(() => rowWithText(drawer, 'one')?.querySelector('[part=actions-button]'), 'the message is shown');

    // Walk backwards from the composer: the message's actions, the message (the list's one tab stop), close, details.
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      order.push(deepActive()?.getAttribute('part') ?? deepActive()?.localName ?? '');
    }
    assertEqual(order.join(' < '), 'actions-button < message < close-button < details-button');

    await sendKeys({ press: 'Escape' });
    await waitFor(() => !drawer.open, 'closed');
    assertEqual(deepActive(), fab, 'focus back on the button');
    assert(fab.getAttribute('aria-expanded') === 'false', 'collapsed');
  });
});
