import { describe, expect, it } from 'vitest';
import { type ParleyError } from '../errors.js';
import { createAgentWriteGuard, isAgentWrite } from './agent-actions.js';
import { RateLimitedError, TokenBucketLimiter } from './rate-limit.js';

describe('agent write guard', () => {
  it('recognises only metadata.via === "agent" as an assistant write', () => {
    expect(isAgentWrite({ via: 'agent' })).toBe(true);
    expect(isAgentWrite({ via: 'Agent' })).toBe(false);
    expect(isAgentWrite({})).toBe(false);
    expect(isAgentWrite(undefined)).toBe(false);
  });

  it('throws rate_limited for assistant writes over the limit and ignores plain writes', async () => {
    // One unit per minute, the clock standing still.
    const guard = createAgentWriteGuard(new TokenBucketLimiter({ capacity: 1, refillPerSecond: 1 / 60, now: () => 0 }));
    await guard.check('alice', { via: 'agent' });
    for (let i = 0; i < 5; i++) await guard.check('alice', {});
    const thrown = await guard.check('alice', { via: 'agent' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(RateLimitedError);
    expect((thrown as ParleyError).code).toBe('rate_limited');
    expect((thrown as ParleyError).status).toBe(429);
    expect((thrown as RateLimitedError).retryAfterMs).toBe(60_000);
    await guard.check('bob', { via: 'agent' }); // another user's bucket
  });
});
