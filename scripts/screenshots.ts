// Takes the README's screenshots of the demo in headless Chromium:
//   npx tsx scripts/screenshots.ts
//     docs/demo.png            desktop: the room list (presence dots, unread counts, previews)
//     docs/drawer-desktop.png  desktop: a room with reactions, an AI share card, "seen by" and typing
//     docs/drawer-mobile.png   phone, dark: the same room as a full-screen sheet
// Needs the SDK, widget and server built (`npm run build`), and an emoji font for the reactions
// (Debian: `apt-get install fonts-noto-color-emoji`).
import { fileURLToPath } from 'node:url';
import { ParleyClient, type Message, type Room } from '@parley/sdk';
import { launchChromium } from '../examples/host-page/chromium.js';
import { startTestServer } from '../packages/server/src/testing.js';

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

const server = await startTestServer({ demo: true, backend: 'pglite' });
const browser = await launchChromium();
const clients: ParleyClient[] = [];
try {
  const tokens = new Map<string, string>();
  const token = (id: string, name: string) => {
    if (!tokens.has(id)) tokens.set(id, server.mintToken({ sub: id, name }));
    return tokens.get(id)!;
  };
  const as = (id: string) => token(id, id[0]!.toUpperCase() + id.slice(1));
  const call = async <T>(user: string, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await server.request(method, `/api/v1${path}`, {
      token: as(user),
      ...(body === undefined ? {} : { body }),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${path} as ${user}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as T;
  };
  const say = (user: string, roomId: string, content: string, extra: object = {}) =>
    call<Message>(user, 'POST', `/rooms/${roomId}/messages`, { content, ...extra });
  const react = (user: string, roomId: string, messageId: string, emoji: string) =>
    call(user, 'POST', `/rooms/${roomId}/messages/${messageId}/reactions`, { emoji });
  const connect = async (id: string, name: string) => {
    const client = new ParleyClient({ url: server.url, getToken: () => token(id, name) });
    clients.push(client);
    await client.connect();
    return client;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // Someone who was here a while ago: offline, with a "last seen".
  token('dmitri', 'Dmitri Ivanov');
  await call('dmitri', 'GET', '/me');
  const dmitriRoom = await call<Room>('dmitri', 'POST', '/rooms', { type: 'direct', user_ids: ['alice'] });
  await say('dmitri', dmitriRoom.id, 'Thanks for the review!');
  (await connect('dmitri', 'Dmitri Ivanov')).destroy();

  const design = await call<Room>('bob', 'POST', '/rooms', {
    type: 'group',
    name: 'Design review',
    user_ids: ['alice'],
  });
  await say('bob', design.id, 'New mock-ups are in the shared folder');
  await call('bob', 'POST', `/rooms/${design.id}/participants`, { user_ids: ['carol'] });
  await say('carol', design.id, 'Love the new colours');
  await say('carol', design.id, 'Can we try a darker header?');

  const carolDirect = await call<Room>('carol', 'POST', '/rooms', { type: 'direct', user_ids: ['alice'] });
  await say('alice', carolDirect.id, 'Sending the release notes in a minute');

  const rooms = await call<{ rooms: Room[] }>('alice', 'GET', '/rooms');
  const team = rooms.rooms.find((r) => r.display_name === 'Demo team')!;
  const m1 = await say('bob', team.id, 'Morning! Shall we ship the widget today? 🚀');
  const m2 = await say('carol', team.id, 'Docs are ready: https://example.com/parley/docs');
  const m3 = await say('alice', team.id, 'Tests are green on PGlite and PostgreSQL.');
  await say('carol', team.id, 'Release checklist: tag v0.1, publish the SDK, deploy the server, announce.', {
    type: 'ai_share',
    metadata: { source_conversation_id: 'release-42', source_title: 'Release assistant' },
  });
  const m5 = await say('alice', team.id, "Great, let's do it at 3 pm 🎉");
  await react('alice', team.id, m1.id, '👍');
  await react('carol', team.id, m1.id, '👍');
  await react('alice', team.id, m2.id, '❤️');
  await react('bob', team.id, m3.id, '🎉');
  await react('bob', team.id, m5.id, '🎉');
  await react('carol', team.id, m5.id, '🙌');
  await call('bob', 'POST', `/rooms/${team.id}/read`, {});
  await call('carol', 'POST', `/rooms/${team.id}/read`, {});

  const bobDirect = await call<Room>('bob', 'POST', '/rooms', { type: 'direct', user_ids: ['alice'] });
  await say('bob', bobDirect.id, 'Lunch at 12?');

  // Bob is online, Carol is away.
  const bob = await connect('bob', 'Bob');
  const carol = await connect('carol', 'Carol');
  carol.setPresence('away');

  const open = async (viewport: { width: number; height: number }, colorScheme: 'light' | 'dark') => {
    const page = await browser.newPage({ viewport, colorScheme, deviceScaleFactor: 2 });
    await page.goto(`${server.url}/?as=alice`);
    await page.locator('messaging-drawer [part=button]').click();
    await page.locator('messaging-room-list [part~=room]', { hasText: 'Demo team' }).waitFor();
    return page;
  };
  const openTeam = async (page: Awaited<ReturnType<typeof open>>) => {
    await page.locator('messaging-room-list [part~=room]', { hasText: 'Demo team' }).click();
    await page.locator('messaging-message-list [part=receipt]').waitFor();
    bob.sendTyping(team.id, true);
    await page.locator('messaging-room-view [part=typing]', { hasText: 'typing' }).waitFor();
    // No hover state (the actions button) in the picture.
    await page.mouse.move(5, 5);
    await pause(400);
  };

  const desktop = await open({ width: 1100, height: 760 }, 'light');
  await desktop.locator('messaging-room-list [part=presence].away').waitFor();
  await pause(400);
  await desktop.screenshot({ path: docs('demo.png') });
  await openTeam(desktop);
  await desktop.screenshot({ path: docs('drawer-desktop.png') });

  const phone = await open({ width: 390, height: 780 }, 'dark');
  bob.sendTyping(team.id, false);
  await pause(3_100); // the SDK throttles repeated "typing" hints to one per 3 s
  await openTeam(phone);
  await phone.screenshot({ path: docs('drawer-mobile.png') });
  console.log('wrote docs/demo.png, docs/drawer-desktop.png, docs/drawer-mobile.png');
} finally {
  for (const client of clients) client.destroy();
  await browser.close();
  await server.close();
}
