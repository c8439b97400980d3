import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import { ParleyError } from '../../errors.js';

/** Where the widget bundle lives: `@parley/widget`'s `widget.js` export, or undefined if not installed/built. */
function resolveWidgetPath(): string | undefined {
  try {
    return fileURLToPath(import.meta.resolve('@parley/widget/widget.js'));
  } catch {
    return undefined;
  }
}

/**
 * GET /widget.js: the embeddable bundle for `<script src=…/widget.js>`.
 * The URL is unversioned, so it is cached briefly and revalidated by ETag.
 * The file is re-read when it changes (a rebuild during development).
 */
export function registerWidgetRoute(router: Router): void {
  let cached: { path: string; mtimeMs: number; body: Buffer; etag: string } | undefined;

  router.get('/widget.js', async (ctx) => {
    const path = resolveWidgetPath();
    const info = path ? await stat(path).catch(() => undefined) : undefined;
    if (!path || !info) {
      throw new ParleyError('unavailable', 'The widget bundle is not built yet: run `npm run build -w @parley/widget`');
    }
    if (!cached || cached.path !== path || cached.mtimeMs !== info.mtimeMs) {
      const body = await readFile(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      cached = { path, mtimeMs: info.mtimeMs, body, etag };
    }
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.set('ETag', cached.etag);
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = cached.body;
  });
}
