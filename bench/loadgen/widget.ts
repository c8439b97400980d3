/**
 * Widget time to first message: headless Chromium loads a host page with Parley's script tag (drawer
 * open, the user's one room has a message from someone else) and we take `performance.now()` (ms since
 * navigation start) at the first animation frame where that message's text is on screen, in any shadow
 * root. The baseline is a bare page that opens a WebSocket to the `ws` baseline, sends one message and
 * renders the echo. Each load uses a fresh browser context (empty cache).
 */
import { createServer } from 'node:http';
import { launchChromium } from '../../examples/host-page/chromium.js';
import { mintToken, parleyRequest, signInUsers } from '../clients/fixtures.js';
import { answer, loadgenInput, progress } from '../lib/processes.js';

export interface WidgetInput {
  parleyUrl: string;
  parleySecret: string;
  wsUrl: string;
  wsSecret: string;
  loads: number;
}

export interface WidgetResult {
  parley_ms: number[];
  bare_ws_ms: number[];
}

const input = loadgenInput<WidgetInput>();
const alice = `w-alice-${Date.now().toString(36)}`;
const bob = `${alice}-bob`;
const marker = `fm${Date.now().toString(36)}`;
await signInUsers(input.parleyUrl, input.parleySecret, [alice, bob]);
const room = await parleyRequest<{ id: string }>(
  input.parleyUrl,
  mintToken(input.parleySecret, bob),
  'POST',
  '/rooms',
  { type: 'direct', user_ids: [alice] },
);
await parleyRequest(input.parleyUrl, mintToken(input.parleySecret, bob), 'POST', `/rooms/${room.id}/messages`, {
  content: marker,
});

const parleyPage = `<!doctype html><html><head><meta charset="utf-8"><title>host</title></head><body>
<script src="${input.parleyUrl}/widget.js" data-auto-mount="false"></script>
<script>Parley.mount({ server: ${JSON.stringify(input.parleyUrl)}, tokenUrl: '/token', open: true });</script>
</body></html>`;
// The marker comes from the URL, so the page source never contains the text it waits for.
const barePage = `<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head><body>
<script>
const ws = new WebSocket(${JSON.stringify(input.wsUrl.replace(/^http/, 'ws') + '/api/v1/ws')});
ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: ${JSON.stringify(mintToken(input.wsSecret, alice))}, rooms: ['r'] }));
ws.onmessage = (e) => {
  const frame = JSON.parse(e.data);
  if (frame.type === 'ready') ws.send(JSON.stringify({ type: 'send', room_id: 'r', content: location.hash.slice(1), ref: '1' }));
  if (frame.type === 'event') { const p = document.createElement('p'); p.textContent = frame.data.message.content; document.body.append(p); }
};
</script></body></html>`;

const host = createServer((req, res) => {
  if (req.url === '/token')
    return void res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token: mintToken(input.parleySecret, alice) }));
  if (req.url === '/parley.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(parleyPage);
  if (req.url === '/bare.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(barePage);
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
const hostUrl = `http://127.0.0.1:${(host.address() as { port: number }).port}`;

/**
 * In-page check: ms from navigation start to the first frame showing `text` (light DOM or any open
 * shadow root), else false. A string, not a function: tsx would wrap a function with helpers that do
 * not exist in the page.
 */
const SHOWN_AT = `(text) => {
  const contains = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot && contains(el.shadowRoot)) return true;
      if (el.tagName !== 'SCRIPT' && Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.includes(text))) return true;
    }
    return false;
  };
  return contains(document) ? performance.now() : false;
}`;

const browser = await launchChromium();
const measure = async (url: string): Promise<number> => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(`(${SHOWN_AT})(${JSON.stringify(marker)})`, undefined, {
    polling: 'raf',
    timeout: 30_000,
  });
  const ms = (await handle.jsonValue()) as number;
  await context.close();
  return Math.round(ms * 10) / 10;
};

const result: WidgetResult = { parley_ms: [], bare_ws_ms: [] };
try {
  await measure(`${hostUrl}/bare.html#${marker}`); // warm the browser process itself, not the pages
  for (let i = 0; i < input.loads; i++) {
    result.parley_ms.push(await measure(`${hostUrl}/parley.html`));
    result.bare_ws_ms.push(await measure(`${hostUrl}/bare.html#${marker}`));
  }
} finally {
  await browser.close();
  host.close();
}
progress(`widget: parley ${result.parley_ms.join(', ')} ms; bare ${result.bare_ws_ms.join(', ')} ms`);
answer(result);
process.exit(0);
