import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
 * `widget.js`, or one of the chunks it loads on first use (`widget-share-<hash>.js`): a name, no
 * dots or slashes, so nothing outside the widget's dist/ folder can be asked for.
 */
const WIDGET_FILE = /^\/(widget(?:-[\w-]+)?\.js)$/;

/**
 * GET /widget.js: the embeddable bundle for `<script src=…/widget.js>`.
 * The URL is unversioned, so it is cached briefly and revalidated by ETag.
 * GET /widget-<name>-<hash>.js: the parts widget.js loads lazily, next to it (as ES modules, so
 * a host page on another origin fetches them with CORS, which the app's CORS middleware answers
 * for allowed origins). Their names carry a content hash: cached for a year.
 * Files are re-read when they change (a rebuild during development).
 */
export function registerWidgetRoute(router: Router): void {
  const cache = new Map<string, { path: string; mtimeMs: number; body: Buffer; etag: string }>();

  router.get(WIDGET_FILE, async (ctx) => {
    const name = WIDGET_FILE.exec(ctx.path)?.[1];
    if (!name) throw new ParleyError('not_found', 'Not found'); // matched only once decoded
    const widgetPath = resolveWidgetPath();
    const path = widgetPath && join(dirname(widgetPath), name);
    const info = path ? await stat(path).catch(() => undefined) : undefined;
    if (!path || !info?.isFile()) {
      if (name !== 'widget.js') throw new ParleyError('not_found', 'Not found');
      throw new ParleyError('unavailable', 'The widget bundle is not built yet: run `npm run build -w @parley/widget`');
    }
    let cached = cache.get(name);
    if (!cached || cached.path !== path || cached.mtimeMs !== info.mtimeMs) {
      const body = await readFile(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      cached = { path, mtimeMs: info.mtimeMs, body, etag };
      cache.set(name, cached);
    }
    ctx.set('Cache-Control', name === 'widget.js' ? 'public, max-age=300' : 'public, max-age=31536000, immutable');
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
