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
    // Without the database nothing works: 503 takes the node out of the load balancer. Without
    // the bus (Redis) the node still serves REST and its own sockets, and every node is cut off
    // alike, so 200 `degraded` keeps it in: taking all nodes out would turn a partial outage
    // into a full one (docs/architecture.md, "Several nodes").
    ctx.status = database ? 200 : 503;
    ctx.body = { status: !database ? 'unavailable' : bus ? 'ok' : 'degraded', checks: { database, bus } };
  });
}
