import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type { Logger } from '../logger.js';

declare module 'koa' {
  interface DefaultContext {
    /** This request's id: a sane incoming `X-Request-Id`, else a new UUID; echoed in the response. */
    requestId: string;
    /** The server's logger with `req_id` bound: every line logged for the request carries it. */
    readonly log: Logger;
  }
}

/** What an incoming `X-Request-Id` may be to be kept (a proxy's or a client's id); anything else is replaced. */
const SANE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Gives every request an id (`ctx.requestId`, the `X-Request-Id` response header) and a logger
 * that carries it (`ctx.log`). The child logger is made on first use, so a request that logs
 * nothing costs no logger. At `debug`, one line per request says how it ended.
 */
export function requestIds(app: Koa, logger: Logger): Koa.Middleware {
  Object.defineProperty(app.context, 'log', {
    get(this: Koa.DefaultContext & { requestLog?: Logger }): Logger {
      return (this.requestLog ??= logger.child({ req_id: this.requestId }));
    },
  });
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    ctx.requestId = SANE_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.requestId);
    if (!logger.isLevelEnabled('debug')) {
      await next();
      return;
    }
    const startedAt = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - startedAt) * 10) / 10;
      ctx.log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
    }
  };
}
