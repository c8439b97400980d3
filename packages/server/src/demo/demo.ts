import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import type { Knex } from 'knex';
import { z } from 'zod';
import { signToken } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { queryAs } from '../db/database.js';
import * as users from '../db/users.js';
import type { Services } from '../domain/services.js';
import { parse } from '../http/validation.js';

/** The seeded demo people. Their ids are also the `?as=` values. */
export const DEMO_USERS = [
  { id: 'alice', name: 'Alice', avatar_url: null },
  { id: 'bob', name: 'Bob', avatar_url: null },
  { id: 'carol', name: 'Carol', avatar_url: null },
] as const;

export const DEMO_ROOM_NAME = 'Demo team';

type DemoUserId = (typeof DEMO_USERS)[number]['id'];

/** examples/host-page at the repository root (same depth from src/demo and dist/demo). */
const HOST_PAGE_DIR = new URL('../../../../examples/host-page/', import.meta.url);

const asQuery = z.object({ as: z.enum(['alice', 'bob', 'carol']).default('alice') });

/** Makes sure the directory has the demo users and that they share a group room. */
export async function seedDemo(db: Knex, services: Services): Promise<void> {
  // Each demo user signs up as a real one would (one statement each, as that user).
  for (const user of DEMO_USERS) await users.signInUser(db, { ...user });
  const existing = await queryAs<{ id: string } | undefined>(
    db('chat_rooms').where({ type: 'group', name: DEMO_ROOM_NAME, created_by: 'alice' }).first('id'),
  );
  if (!existing) {
    await services.rooms.create('alice', { type: 'group', name: DEMO_ROOM_NAME, user_ids: ['bob', 'carol'] });
  }
}

/**
 * Demo-only routes: the host page, its stylesheet and a token endpoint that
 * hands anyone a token for a demo user. Registered only when PARLEY_DEMO is on.
 */
export function registerDemoRoutes(router: Router, config: Config): void {
  // The page is strict-CSP clean: one external script, one external stylesheet.
  const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

  router.get('/', async (ctx) => {
    const { as } = parse(asQuery, ctx.query);
    const template = await readFile(fileURLToPath(new URL('index.html', HOST_PAGE_DIR)), 'utf8');
    // `as` is one of three known ids, so substituting it cannot inject markup.
    ctx.body = template.replace('/demo/token?as=alice', `/demo/token?as=${as satisfies DemoUserId}`);
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', csp);
    ctx.set('Cache-Control', 'no-store');
  });

  router.get('/demo.css', async (ctx) => {
    ctx.body = await readFile(fileURLToPath(new URL('demo.css', HOST_PAGE_DIR)));
    ctx.type = 'text/css; charset=utf-8';
  });

  router.get('/demo/token', (ctx) => {
    const { as } = parse(asQuery, ctx.query);
    const user = DEMO_USERS.find((u) => u.id === as)!;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      token: signToken(config.jwt, { sub: user.id, name: user.name }, { ttlSeconds: 3600 }),
      user: { id: user.id, name: user.name },
    };
  });
}
