import { createHash, timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import { ParleyError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import { bearerToken } from '../auth.js';

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * GET /metrics: Prometheus text, for `Authorization: Bearer <PARLEY_METRICS_TOKEN>` only. Without a
 * token configured there is no route (a 404 like any unknown path), so nothing is exposed by default.
 * Tokens are compared as SHA-256 digests in constant time: neither the length nor a prefix leaks.
 */
export function registerMetricsRoute(router: Router, token: string | null, metrics: Metrics): void {
  if (token === null) return;
  const expected = digest(token);
  router.get('/metrics', async (ctx) => {
    if (!timingSafeEqual(digest(bearerToken(ctx.get('Authorization') || undefined)), expected)) {
      throw new ParleyError('unauthorized', 'Send Authorization: Bearer <PARLEY_METRICS_TOKEN>');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.contentType;
    ctx.body = await metrics.text();
  });
}
