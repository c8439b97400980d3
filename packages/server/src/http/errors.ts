import type { Middleware } from 'koa';
import type { ErrorBody, ErrorCode } from '@parley/sdk/protocol';
import { ParleyError, toParleyError } from '../errors.js';

/** Koa/co-body errors carry an HTTP status; map the ones clients can cause. */
function fromHttpError(err: unknown): ParleyError | null {
  if (err instanceof ParleyError) return null;
  const status = (err as { status?: unknown })?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 404 ? 'not_found' : 'bad_request';
  const message = status === 413 ? 'Request body too large' : status === 415 ? 'Send JSON' : 'Malformed request';
  return new ParleyError(code, message, { cause: err });
}

/** Turns every thrown error into `{ error: { code, message } }` with the code's status; logs 5xx with the request id. */
export function errorMiddleware(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      const err = fromHttpError(thrown) ?? toParleyError(thrown);
      if (err.status >= 500)
        ctx.log.error({ err: err.cause ?? err, method: ctx.method, path: ctx.path }, 'request failed');
      const body: ErrorBody = { error: { code: err.code, message: err.expose ? err.message : 'Internal error' } };
      ctx.status = err.status;
      ctx.body = body;
      // RFC 9110 §10.2.3: when to try again, in whole seconds.
      if (err.retryAfterMs !== undefined)
        ctx.set('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
      if (err.code === 'unauthorized' || err.code === 'token_expired') {
        ctx.set('WWW-Authenticate', `Bearer error="invalid_token"`);
      }
    }
  };
}
