// Browser tests in real Chromium against a real Parley server (one per run, PGlite in memory).
//
// Tests learn the server and get tokens from a dev-server route served here in Node:
//   GET /__parley/token?sub=alice&name=Alice[&picture=…]  →  { token, server }
// (the user is upserted on the server first, so other users can add them to rooms).
// axe-core (accessibility checks) is served as a classic script at /__axe.js.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** The server's test harness: its build when there is one, else its source through tsx. */
async function loadServerTesting() {
  const built = here('../server/dist/testing.js');
  if (existsSync(built)) return import(pathToFileURL(built).href);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(here('../server/src/testing.ts'), import.meta.url);
}

/** A free port, chosen now so the server can allow the test page's exact origin. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

const port = Number(process.env.WTR_PORT) || (await freePort());
const hostname = 'localhost';
let parley;

function parleyServerPlugin() {
  return {
    name: 'parley-test-server',
    async serverStart() {
      const { startTestServer } = await loadServerTesting();
      parley = await startTestServer({ allowedOrigins: [`http://${hostname}:${port}`] });
      console.log(`Parley test server at ${parley.url} (${parley.backend})`);
    },
    async serverStop() {
      await parley?.close();
    },
  };
}

/** Koa middleware for the dev server: mints tokens in Node, where the secret lives. */
async function tokenRoute(ctx, next) {
  if (ctx.path !== '/__parley/token') return next();
  const sub = String(ctx.query.sub ?? '');
  if (!sub || !parley) {
    ctx.status = sub ? 503 : 400;
    ctx.body = { error: sub ? 'server not started' : 'sub is required' };
    return;
  }
  const claims = { sub, name: String(ctx.query.name ?? sub) };
  // Hostile or odd pictures are the point of some tests: pass them through untouched.
  if (typeof ctx.query.picture === 'string') claims.picture = ctx.query.picture;
  const token = parley.mintToken(claims);
  // Upsert the user now: rooms can only name users the server has seen.
  const me = await parley.request('GET', '/api/v1/me', { token });
  if (me.status !== 200) throw new Error(`GET /me for ${sub} answered ${me.status}`);
  ctx.body = { token, server: parley.url };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core as a classic script (it is UMD, not an ES module). */
async function axeRoute(ctx, next) {
  if (ctx.path !== '/__axe.js') return next();
  ctx.type = 'application/javascript';
  ctx.body = axeSource;
}

// Every test page runs under the CSP a strict host would set for styles; violations are
// collected so tests can assert there were none (see drawer.test.ts).
const testRunnerHtml = (testFramework) => `<!doctype html>
<html>
  <head>
    <meta http-equiv="Content-Security-Policy" content="style-src 'self'">
    <script>
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.sample));
    </script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`;

export default {
  testRunnerHtml,
  files: ['src/**/*.test.ts'],
  port,
  hostname,
  concurrency: 1,
  nodeResolve: { exportConditions: ['browser', 'development'] },
  middleware: [tokenRoute, axeRoute],
  plugins: [esbuildPlugin({ ts: true, tsconfig: here('./tsconfig.json') }), parleyServerPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  testFramework: {
    config: { timeout: 15000 },
  },
};
