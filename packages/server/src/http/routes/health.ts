import type Router from '@koa/router';
import type { Knex } from 'knex';
import type { EventBus } from '../../bus/bus.js';

/** Liveness (the process answers) and readiness (database and bus answer). */
export function registerHealthRoutes(router: Router, deps: { db: Knex; bus: EventBus }): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const [database, bus] = await Promise.all([
      deps.db.raw('select 1').then(
        () => true,
        () => false,
      ),
      deps.bus.isHealthy().catch(() => false),
    ]);
    const ready = database && bus;
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ok' : 'unavailable', checks: { database, bus } };
  });
}
