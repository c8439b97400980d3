import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors.js';
import { createAgentWriteGuard, isAgentWrite, TokenBucketLimiter } from './agent-actions.js';

describe('TokenBucketLimiter', () => {
  it('allows a burst of capacity, then refuses with the time until one unit is back', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.take('alice').allowed)).toEqual([true, true, true]);
    expect(limiter.take('alice')).toEqual({ allowed: false, retryAfterMs: 20_000 });
    now = 19_999;
    expect(limiter.take('alice').allowed).toBe(false);
    now = 20_000;
    expect(limiter.take('alice').allowed).toBe(true);
  });

  it('keeps one bucket per key', () => {
    const limiter = new TokenBucketLimiter(1, 60_000, () => 0);
    expect(limiter.take('alice').allowed).toBe(true);
    expect(limiter.take('alice').allowed).toBe(false);
    expect(limiter.take('bob').allowed).toBe(true);
  });

  it('never refills above capacity after a long idle time', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(2, 1_000, () => now);
    now = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('alice').allowed)).toEqual([true, true, false]);
  });
});

describe('agent write guard', () => {
  it('recognises only metadata.via === "agent" as an assistant write', () => {
    expect(isAgentWrite({ via: 'agent' })).toBe(true);
    expect(isAgentWrite({ via: 'Agent' })).toBe(false);
    expect(isAgentWrite({})).toBe(false);
    expect(isAgentWrite(undefined)).toBe(false);
  });

  it('throws rate_limited for assistant writes over the limit and ignores plain writes', () => {
    const guard = createAgentWriteGuard(new TokenBucketLimiter(1, 60_000, () => 0));
    guard.check('alice', { via: 'agent' });
    for (let i = 0; i < 5; i++) guard.check('alice', {});
    let thrown: unknown;
    try {
      guard.check('alice', { via: 'agent' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ParleyError);
    expect((thrown as ParleyError).code).toBe('rate_limited');
    expect((thrown as ParleyError).status).toBe(429);
  });
});
