// Takes the README's screenshots of the demo in headless Chromium:
//   npx tsx scripts/screenshots.ts        → docs/demo.png, docs/drawer-desktop.png, docs/drawer-mobile.png
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../examples/host-page/chromium.js';
import { startTestServer } from '../packages/server/src/testing.js';

const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

const server = await startTestServer({ demo: true, backend: 'pglite' });
const browser = await launchChromium();
try {
  const open = async (user: string, viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light') => {
    const page = await browser.newPage({ viewport, colorScheme, deviceScaleFactor: 1 });
    await page.goto(`${server.url}/?as=${user}`);
    await page.locator('messaging-drawer [part=button]').click();
    await page.locator('messaging-room-list [part~=room]', { hasText: 'Demo team' }).click();
    await page.locator('messaging-composer [part=textarea]').waitFor();
    return page;
  };
  const say = async (page: Awaited<ReturnType<typeof open>>, text: string) => {
    await page.locator('messaging-composer [part=textarea]').fill(text);
    await page.locator('messaging-composer [part=textarea]').press('Enter');
    await page.locator('messaging-message-list [part~=bubble]', { hasText: text }).first().waitFor();
  };

  const alice = await open('alice', { width: 1100, height: 720 });
  const bob = await open('bob', { width: 1100, height: 720 });
  await say(alice, 'Hi Bob! Lunch at 12?');
  await say(bob, 'Sure, the usual place?');
  await say(alice, 'Yes. See you there.');
  await bob.locator('messaging-message-list [part~=bubble]', { hasText: 'See you there' }).waitFor();
  await alice.waitForTimeout(300);
  await alice.screenshot({ path: docs('demo.png') });
  await bob.screenshot({ path: docs('drawer-desktop.png') });

  const phone = await open('carol', { width: 390, height: 760 }, 'dark');
  await phone.locator('messaging-message-list [part~=bubble]', { hasText: 'See you there' }).waitFor();
  await phone.waitForTimeout(300);
  await phone.screenshot({ path: docs('drawer-mobile.png') });
  console.log('wrote docs/demo.png, docs/drawer-desktop.png, docs/drawer-mobile.png');
} finally {
  await browser.close();
  await server.close();
}
