import type Router from '@koa/router';
import { API_PREFIX } from '@parley/sdk/protocol';
import { buildOpenApiDocument } from '../openapi/document.js';
import { serverVersion } from '../openapi/version.js';

/** GET /api/v1/openapi.json: the API description, public (no token) and served even with messaging disabled. */
export function registerOpenApiRoute(router: Router): void {
  let document: Promise<Record<string, unknown>> | undefined;
  router.get(`${API_PREFIX}/openapi.json`, async (ctx) => {
    ctx.body = await (document ??= serverVersion().then(buildOpenApiDocument));
    ctx.set('Cache-Control', 'public, max-age=300');
  });
}
