import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Router from '@koa/router';
import { z } from 'zod';
import { assetDir } from '../assets.js';
import { signToken } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Services } from '../domain/services.js';
import { parse } from '../http/validation.js';
import { demoAvatar, FAVICON } from './avatars.js';
import { DEMO_USERS, type DemoUserId } from './seed.js';

export { DEMO_ROOM_NAME, DEMO_USERS, seedDemo } from './seed.js';

/** examples/host-page at the repository root, or the copy inside an installed package. */
const HOST_PAGE_DIR = assetDir('demo-page', 'examples/host-page');

const asQuery = z.object({ as: z.enum(['alice', 'bob', 'carol']).default('alice') });
const avatarParams = z.object({ id: z.enum(['alice', 'bob', 'carol']) });

/** "You are Alice — switch to Bob · Carol": the page says who the visitor is, with links to be the others. */
function whoAmI(as: DemoUserId): string {
  const me = DEMO_USERS.find((u) => u.id === as)!;
  const others = DEMO_USERS.filter((u) => u.id !== as).map((u) => `<a href="/?as=${u.id}">${u.name}</a>`);
  return `You are <strong>${me.name}</strong> — switch to ${others.join(' · ')}`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function trustedOrigin(origin: string, allowed: readonly string[]): string | null {
  try {
    return LOOPBACK.has(new URL(origin).hostname) || allowed.includes(origin) ? origin : null;
  } catch {
    return null;
  }
}

/**
 * Demo-only routes: the host page, its stylesheet, favicon and avatars, and a token endpoint that
 * hands anyone a token for a demo user. Registered only when PARLEY_DEMO is on.
 */
export function registerDemoRoutes(router: Router, config: Config, services: Services): void {
  // The page is strict-CSP clean: one external script, one external stylesheet.
  const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

  router.get('/', async (ctx) => {
    const { as } = parse(asQuery, ctx.query);
    const template = await readFile(path.join(HOST_PAGE_DIR, 'index.html'), 'utf8');
    // `as` is one of three known ids and the names are constants, so substituting them cannot inject markup.
    ctx.body = template
      .replace('/demo/token?as=alice', `/demo/token?as=${as}`)
      .replace('<!-- who-am-i -->', whoAmI(as));
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', csp);
    ctx.set('Cache-Control', 'no-store');
  });

  router.get('/demo.css', async (ctx) => {
    ctx.body = await readFile(path.join(HOST_PAGE_DIR, 'demo.css'));
    ctx.type = 'text/css; charset=utf-8';
  });

  router.get('/favicon.svg', (ctx) => {
    ctx.body = FAVICON;
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
  });

  router.get('/demo/avatars/:id.svg', (ctx) => {
    const { id } = parse(avatarParams, ctx.params);
    ctx.body = demoAvatar(id);
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
  });

  router.get('/demo/token', async (ctx) => {
    const { as } = parse(asQuery, ctx.query);
    const user = DEMO_USERS.find((u) => u.id === as)!;
    // Avatars are absolute URLs (the widget shows only http(s) ones) on the origin the page was opened on,
    // so its CSP (img-src 'self') allows them; every demo person's is set, not only the visitor's. The
    // origin comes from the Host header, so only a loopback or allowed one is written for everyone to load.
    const origin = trustedOrigin(`${ctx.protocol}://${ctx.host}`, config.allowedOrigins);
    const picture = (id: string) => (origin ? `${origin}/demo/avatars/${id}.svg` : null);
    for (const other of origin ? DEMO_USERS : []) {
      if (other.id !== as)
        await services.users.signIn({ sub: other.id, name: other.name, picture: picture(other.id), exp: 0 });
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      token: signToken(config.jwt, { sub: user.id, name: user.name, picture: picture(user.id) }, { ttlSeconds: 3600 }),
      user: { id: user.id, name: user.name },
    };
  });
}
