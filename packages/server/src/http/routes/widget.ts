import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
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

/** One version of one file, and its compressed forms (made once per version, at the highest levels). */
interface WidgetFile {
  path: string;
  mtimeMs: number;
  etag: string;
  encodings: Promise<Record<'br' | 'gzip' | 'identity', Buffer>>;
}

async function compressed(body: Buffer): Promise<Record<'br' | 'gzip' | 'identity', Buffer>> {
  const [br, gz] = await Promise.all([
    promisify(brotliCompress)(body, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    promisify(gzip)(body, { level: 9 }),
  ]);
  return { br, gzip: gz, identity: body };
}

/**
 * GET /widget.js: the embeddable bundle for `<script src=…/widget.js>`.
 * The URL is unversioned, so it is cached briefly and revalidated by ETag.
 * GET /widget-<name>-<hash>.js: the parts widget.js loads lazily, next to it (as ES modules, so
 * a host page on another origin fetches them with CORS, which the app's CORS middleware answers
 * for allowed origins). Their names carry a content hash: cached for a year.
 * Files are re-read when they change (a rebuild during development).
 */
export function registerWidgetRoute(router: Router): void {
  const cache = new Map<string, WidgetFile>();

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
      cached = { path, mtimeMs: info.mtimeMs, etag, encodings: compressed(body) };
      cache.set(name, cached);
    }
    // Every host page loads widget.js: brotli makes its ~84 KiB about a quarter (RFC 7932), gzip a third
    // (RFC 1952), for a browser that says it takes them (RFC 9110 §12.5.3); a proxy in front may do it too.
    // Ours is the preference (the smallest the browser takes), not the header's order of listing.
    const encoding = ctx.acceptsEncodings('br') ? 'br' : ctx.acceptsEncodings('gzip') ? 'gzip' : 'identity';
    ctx.vary('Accept-Encoding');
    ctx.set('Cache-Control', name === 'widget.js' ? 'public, max-age=300' : 'public, max-age=31536000, immutable');
    // A strong ETag names one representation (RFC 9110 §8.8.3): each encoding has its own.
    ctx.set('ETag', encoding === 'identity' ? cached.etag : `${cached.etag.slice(0, -1)}-${encoding}"`);
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
    ctx.body = (await cached.encodings)[encoding];
  });
}
