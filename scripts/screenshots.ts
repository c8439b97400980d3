// Takes the README's screenshots of the demo in headless Chromium:
//   npx tsx scripts/screenshots.ts
//     docs/demo.png            desktop: the room list (presence dots, unread counts, previews)
//     docs/drawer-desktop.png  desktop: a room with runs, reactions, an AI share card, readers and typing
//     docs/drawer-details.png  desktop: the room's details (members with presence, mute, add, leave)
//     docs/drawer-mobile.png   phone, dark: the same room as a full-screen sheet
// Needs the SDK, widget and server built (`npm run build`), and an emoji font for the reactions
// (Debian: `apt-get install fonts-noto-color-emoji`).
import { fileURLToPath } from 'node:url';
import { ParleyClient } from '@parley/sdk';
import { launchChromium } from '../examples/host-page/chromium.js';
import { startTestServer } from '../packages/server/src/testing.js';

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

const server = await startTestServer({ demo: true, backend: 'pglite' });
const browser = await launchChromium();
const clients: ParleyClient[] = [];
try {
  // Tokens from the demo's own endpoint, as the page gets them: they carry the demo avatars.
  const demoToken = async (id: string) => {
    const response = await fetch(`${server.url}/demo/token?as=${id}`);
    if (!response.ok) throw new Error(`GET /demo/token?as=${id}: ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  };
  const connect = async (id: string) => {
    const client = new ParleyClient({ url: server.url, getToken: () => demoToken(id) });
    clients.push(client);
    await client.connect();
    return client;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // The pictures show the demo exactly as a fresh `npm start` seeds it (demo/seed.ts); only the live
  // parts are added: Bob is online, Carol away, and Bob types in the team room.
  const bob = await connect('bob');
  const carol = await connect('carol');
  carol.setPresence('away');
  const team = (await bob.loadRooms()).find((r) => r.display_name === 'Demo team')!;

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
  await desktop.locator('messaging-room-view [part=details-button]').click();
  await desktop.locator('messaging-room-details [part=member-presence]', { hasText: 'Online' }).first().waitFor();
  await desktop.mouse.move(5, 5);
  await pause(300);
  await desktop.screenshot({ path: docs('drawer-details.png') });

  const phone = await open({ width: 390, height: 780 }, 'dark');
  bob.sendTyping(team.id, false);
  await pause(3_100); // the SDK throttles repeated "typing" hints to one per 3 s
  await openTeam(phone);
  await phone.screenshot({ path: docs('drawer-mobile.png') });
  console.log('wrote docs/demo.png, docs/drawer-desktop.png, docs/drawer-details.png, docs/drawer-mobile.png');
} finally {
  for (const client of clients) client.destroy();
  await browser.close();
  await server.close();
}
