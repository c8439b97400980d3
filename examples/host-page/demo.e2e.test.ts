// End to end through every layer: the demo host page (one script tag) in real Chromium,
// the widget bundle the server serves, the SDK's socket, the server and its database.
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../packages/server/src/testing.js';
import { launchChromium } from './chromium.js';

describe('demo page: Alice and Bob chat through the embedded widget', () => {
  let server: TestServer;
  let browser: Browser;
  const problems: string[] = [];

  async function openAs(user: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`${user}: ${error.message}`));
    page.on('console', (message: ConsoleMessage) => {
      // The page runs under a strict CSP: any violation is a bug in the widget.
      // So is any console error (a missing favicon, an avatar that does not load).
      if (/Content Security Policy|Refused to/i.test(message.text()) || message.type() === 'error') {
        problems.push(`${user}: ${message.text()}`);
      }
    });
    await page.goto(`${server.url}/?as=${user}`);
    await page.locator('messaging-drawer [part=button]').click();
    await page.locator('messaging-room-list [part~=room]', { hasText: 'Demo team' }).click();
    await page.locator('messaging-composer [part=textarea]').waitFor();
    return page;
  }

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says who you are and opens on the seeded rooms, with avatars', async () => {
    const page = await browser.newPage();
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') problems.push(`carol: ${message.text()}`);
    });
    await page.goto(`${server.url}/?as=carol`);
    expect(await page.locator('.who-am-i').innerText()).toBe('You are Carol — switch to Alice · Bob');
    await page.locator('messaging-drawer [part=button]').click();
    const rooms = page.locator('messaging-room-list [part~=room]');
    await expect.poll(() => rooms.count(), { timeout: 10_000 }).toBe(2);
    expect(await rooms.first().innerText()).toContain('Demo team');
    // The direct room with Alice shows her picture, loaded from the demo server.
    const avatar = page.locator('messaging-room-list [part~=room]', { hasText: 'Alice' }).locator('[part=avatar] img');
    await expect
      .poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    await page.close();
    expect(problems).toEqual([]);
  });

  it("shows what Alice types on Bob's page, live, and nothing breaks the CSP", async () => {
    const alice = await openAs('alice');
    const bob = await openAs('bob');

    const text = `Hi Bob, it is ${new Date().toISOString()}`;
    await alice.locator('messaging-composer [part=textarea]').fill(text);
    await alice.locator('messaging-composer [part=textarea]').press('Enter');

    await expect
      .poll(() => bob.locator('messaging-message-list [part~=bubble]', { hasText: text }).count(), { timeout: 10_000 })
      .toBe(1);
    await expect
      .poll(() => alice.locator('messaging-message-list [part~=bubble]', { hasText: text }).count(), {
        timeout: 10_000,
      })
      .toBe(1);

    // Bob answers; Alice sees it too.
    await bob.locator('messaging-composer [part=textarea]').fill('Hi Alice!');
    await bob.locator('messaging-composer [part=textarea]').press('Enter');
    await expect
      .poll(() => alice.locator('messaging-message-list [part~=bubble]', { hasText: 'Hi Alice!' }).count(), {
        timeout: 10_000,
      })
      .toBe(1);

    expect(problems).toEqual([]);
  });
});
