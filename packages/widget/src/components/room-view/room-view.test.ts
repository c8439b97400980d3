import '../drawer/drawer.js';
import { sendKeys } from '../../test-support/keys.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import {
  cleanup,
  deep,
  deepAll,
  drawerFor,
  messageList,
  messageRows,
  openRoom,
  rowWithText,
} from '../../test-support/fixture.js';
import {
  api,
  connectedClient,
  createDirectRoom,
  createGroupRoom,
  postMessage,
  testUser,
} from '../../test-support/parley.js';

describe('messaging-room-view', () => {
  afterEach(() => {
    cleanup();
  });

  it('groups a run of messages by one sender under one name and avatar, after a day separator', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Runs', [bob]);
    await postMessage(bob, room.id, 'b1');
    await postMessage(bob, room.id, 'b2');
    await postMessage(alice, room.id, 'a1');
    await postMessage(bob, room.id, 'b3');
    const drawer = await drawerFor(alice);
    drawer.locale = 'en';
    await openRoom(drawer, 'Runs');
    await waitFor(() => messageRows(drawer).length === 4, 'four messages');

    const days = deepAll(drawer, 'messaging-room-view', 'messaging-message-list', '[part=day]');
    assertEqual(days.length, 1, 'one day separator');
    assertEqual(days[0]!.textContent?.trim(), 'today', 'the separator names the day');
    const senders = deepAll(drawer, 'messaging-room-view', 'messaging-message-list', '[part=sender]').map(
      (s) => s.textContent,
    );
    assertEqual(senders.join(','), 'Bob,Bob', "Bob's name heads each of his two runs, not each message");
    const [b1, b2, , b3] = messageRows(drawer);
    assert(
      b1!.querySelector('[part=avatar]') && !b2!.querySelector('[part=avatar]'),
      'avatar only on the first of a run',
    );
    assertEqual(b1!.querySelector('[part=avatar]')!.textContent?.trim(), 'B', 'initials');
    assert(b3!.querySelector('[part=avatar]'), 'a new run after my message gets the avatar again');
    // One timestamp per run, under its last message; the others show theirs only on hover or focus.
    assert(!b1!.querySelector('[part=meta] [part=time]') && b2!.querySelector('[part=meta] [part=time]'), 'run time');
    const hoverTime = b1!.querySelector<HTMLElement>('.hover-time')!;
    assertEqual(getComputedStyle(hoverTime).visibility, 'hidden', 'the first message hides its time');
    b1!.querySelector<HTMLButtonElement>('[part=actions-button]')!.focus();
    assertEqual(getComputedStyle(hoverTime).visibility, 'visible', '… and shows it when focus is in it');
    assert(hoverTime.getAttribute('title'), 'the exact time in its title');
  });

  it('shows 1–3 emoji alone large, and right-to-left text right to left', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Emoji and RTL', [bob]);
    await postMessage(bob, room.id, '🎉🎉');
    await postMessage(bob, room.id, 'great 🎉');
    await postMessage(bob, room.id, 'שלום, מה שלומך?');
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Emoji and RTL');
    await waitFor(() => messageRows(drawer).length === 3, 'three messages');
    const bubble = (text: string) => rowWithText(drawer, text)!.querySelector<HTMLElement>('[part~=bubble]')!;
    assert(bubble('🎉🎉').part.contains('jumbo'), 'two emoji alone are jumbo');
    assert(!bubble('great').part.contains('jumbo'), 'text with an emoji is not');
    const jumboSize = parseFloat(getComputedStyle(bubble('🎉🎉')).fontSize);
    assert(jumboSize > 2 * parseFloat(getComputedStyle(bubble('great')).fontSize), 'and much larger');
    const hebrew = bubble('שלום');
    assertEqual(hebrew.getAttribute('dir'), 'auto', 'dir="auto" on message text');
    assertEqual(getComputedStyle(hebrew).direction, 'rtl', 'Hebrew reads right to left');
    assertEqual(getComputedStyle(bubble('great')).direction, 'ltr', 'English left to right');
    const sender = rowWithText(drawer, '🎉🎉')!.querySelector('[part=sender]')!;
    assertEqual(sender.getAttribute('dir'), 'auto', 'and on names');
  });

  it('shows system messages from their metadata, ai_share cards with their source, and the assistant marker', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const carol = await testUser('Carol');
    const room = await createGroupRoom(alice, 'Kinds', [bob]);
    await api(alice, 'POST', `/rooms/${room.id}/participants`, { user_ids: [carol.id] });
    await postMessage(bob, room.id, 'The answer is 42', {
      type: 'ai_share',
      metadata: { source_conversation_id: 'conv-7', source_message_id: 'm-1', source_title: 'Deep Thought' },
    });
    await postMessage(bob, room.id, 'Booked the table', { metadata: { via: 'agent' } });
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Kinds');

    const system = await waitFor(
      () => messageRows(drawer).find((r) => r.part.contains('message--system')),
      'the system message',
    );
    assertEqual(system.textContent?.trim(), 'Alice added Carol');
    const card = await waitFor(() => deep(messageList(drawer), '[part~=ai-share]'), 'the ai_share card');
    assert(card.textContent?.includes('The answer is 42'), 'card text');
    assertEqual(card.querySelector('[part=ai-share-title]')?.textContent, 'Deep Thought', 'titled from metadata');
    assert(!card.textContent?.includes('conv-7') && !card.textContent?.includes('m-1'), 'no raw ids on the card');
    const agentRow = rowWithText(drawer, 'Booked the table')!;
    assertEqual(agentRow.querySelector('[part=agent]')?.textContent, 'Sent by assistant');
    assertEqual(rowWithText(drawer, 'The answer')!.querySelector('[part=agent]'), null, 'no marker without via=agent');
  });

  it('turns http(s) URLs into safe links and leaves every other scheme as text', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const room = await createGroupRoom(alice, 'Links', [bob]);
    await postMessage(
      bob,
      room.id,
      'See https://example.com/a?b=1. Or javascript:alert(1) and data:text/html,x (HTTPS://EXAMPLE.org)',
    );
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Links');
    const bubble = await waitFor(() => deep(messageList(drawer), '[part~=bubble]'), 'the message');
    const links = [...bubble.querySelectorAll('a')];
    assertEqual(
      links.map((a) => a.href).join(' '),
      'https://example.com/a?b=1 https://example.org/',
      'two http(s) links, trailing punctuation left out',
    );
    for (const a of links) {
      assertEqual(a.rel, 'noopener noreferrer');
      assertEqual(a.target, '_blank');
    }
    assertEqual(
      bubble.textContent,
      'See https://example.com/a?b=1. Or javascript:alert(1) and data:text/html,x (HTTPS://EXAMPLE.org)',
      'text intact',
    );
  });

  it('shows who is typing by name, and tells the others when I type', async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    const carol = await testUser('Carol');
    const room = await createGroupRoom(alice, 'Typing', [bob, carol]);
    const bobClient = await connectedClient(bob);
    const carolClient = await connectedClient(carol);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Typing');
    const typing = () => deep(drawer, 'messaging-room-view', '[part=typing]')?.textContent?.trim();

    bobClient.sendTyping(room.id, true);
    await waitFor(() => typing() === 'Bob is typing…', 'Bob is typing');
    carolClient.sendTyping(room.id, true);
    await waitFor(() => typing() === 'Bob and Carol are typing…', 'both named');
    bobClient.sendTyping(room.id, false);
    carolClient.sendTyping(room.id, false);
    await waitFor(() => typing() === '', 'cleared when they stop');

    deep(drawer, 'messaging-room-view', 'messaging-composer')!.focus();
    await sendKeys({ type: 'hel' });
    await waitFor(
      () => Object.keys(bobClient.stores.typing.getLatestValue().byRoom[room.id] ?? {}).includes(alice.id),
      'Bob sees Alice typing',
    );
  });

  it("shows the other person's presence in a direct room header", async () => {
    const alice = await testUser('Alice');
    const bob = await testUser('Bob');
    await createDirectRoom(alice, bob);
    await connectedClient(bob);
    const drawer = await drawerFor(alice);
    await openRoom(drawer, 'Bob');
    await waitFor(
      () => deep(drawer, 'messaging-room-view', '[part=subtitle]')?.textContent === 'Online',
      'Bob is online',
    );
  });
});
