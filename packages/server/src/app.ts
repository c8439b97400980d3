import Koa from 'koa';
import Router from '@koa/router';
import cors from '@koa/cors';
import { bodyParser } from '@koa/bodyparser';
import type { Knex } from 'knex';
import { API_PREFIX } from '@parley/sdk/protocol';
import type { EventBus } from './bus/bus.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { registerDemoRoutes } from './demo/demo.js';
import { createServices, type Services } from './domain/services.js';
import { ParleyError } from './errors.js';
import { authMiddleware, type AuthState } from './http/auth.js';
import { errorMiddleware } from './http/errors.js';
import { requestIds } from './http/request-id.js';
import { registerAgentActionRoutes } from './http/routes/agent-actions.js';
import { registerHealthRoutes } from './http/routes/health.js';
import { registerMessageRoutes } from './http/routes/messages.js';
import { registerMetricsRoute } from './http/routes/metrics.js';
import { registerOpenApiRoute } from './http/routes/openapi.js';
import { registerPresenceRoutes } from './http/routes/presence.js';
import { registerReactionRoutes } from './http/routes/reactions.js';
import { registerReadRoutes } from './http/routes/reads.js';
import { registerRoomRoutes } from './http/routes/rooms.js';
import { registerUserRoutes } from './http/routes/users.js';
import { registerWidgetRoute } from './http/routes/widget.js';
import { isOriginAllowed } from './http/origins.js';

/** What the app is built from: nothing global, so tests build their own. */
export interface AppDeps {
  config: Config;
  db: Knex;
  bus: EventBus;
  logger: Logger;
  /** Built from the other deps when omitted; pass them to share with the socket gateway. */
  services?: Services;
}

/** Builds the Koa app: REST under /api/v1, health checks, the widget bundle, demo pages. */
export function createApp(deps: AppDeps): Koa {
  const { config, logger } = deps;
  const services = deps.services ?? createServices(deps);
  const app = new Koa();
  app.proxy = false;
  // Errors are answered by errorMiddleware; stop Koa printing them again.
  app.silent = true;

  app.use(requestIds(app, logger));
  app.use(errorMiddleware());
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  });
  app.use(
    cors({
      // Same origin only unless configured; '*' opens it. Bearer tokens, not
      // cookies, so credentials are never allowed.
      origin: (ctx) => {
        const origin = ctx.get('Origin');
        if (config.allowedOrigins.includes('*')) return '*';
        return origin && isOriginAllowed(config.allowedOrigins, origin, null) ? origin : '';
      },
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 600,
    }),
  );

  const root = new Router();
  registerHealthRoutes(root, deps);
  registerWidgetRoute(root);
  registerOpenApiRoute(root);
  registerMetricsRoute(root, config.metricsToken, services.metrics);
  if (config.demo) registerDemoRoutes(root, config, services);
  app.use(root.routes());
  app.use(root.allowedMethods());

  const api = new Router<AuthState>({ prefix: API_PREFIX });
  api.use(async (ctx, next) => {
    if (!config.messagingEnabled) throw new ParleyError('messaging_disabled', 'Messaging is disabled');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  api.use(bodyParser({ enableTypes: ['json'], jsonLimit: '256kb', jsonStrict: true }));
  api.use(authMiddleware(config.jwt, services.users));
  registerUserRoutes(api, services);
  registerRoomRoutes(api, services);
  registerMessageRoutes(api, services);
  registerReactionRoutes(api, services);
  registerReadRoutes(api, services);
  registerPresenceRoutes(api, services);
  registerAgentActionRoutes(api, services.agentActions);
  app.use(api.routes());
  app.use(api.allowedMethods());

  // Anything unmatched: a JSON 404 like every other error.
  app.use(() => {
    throw new ParleyError('not_found', 'Not found');
  });
  return app;
}
