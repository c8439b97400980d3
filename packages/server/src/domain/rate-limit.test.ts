import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './rate-limit.js';

describe('TokenBucketLimiter', () => {
  it('allows a burst of `capacity`, then refills at the sustained rate', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ capacity: 3, refillPerSecond: 1, now: () => now });
    expect([1, 2, 3].map(() => limiter.takeNow('u').allowed)).toEqual([true, true, true]);
    const refused = limiter.takeNow('u');
    expect(refused).toEqual({ allowed: false, retryAfterMs: 1000 });
    now = 999;
    expect(limiter.takeNow('u').allowed).toBe(false);
    now = 2000;
    expect(limiter.takeNow('u').allowed).toBe(true);
  });

  it('keeps one bucket per key', () => {
    const limiter = new TokenBucketLimiter({ capacity: 1, refillPerSecond: 0.1, now: () => 0 });
    expect(limiter.takeNow('alice').allowed).toBe(true);
    expect(limiter.takeNow('alice').allowed).toBe(false);
    expect(limiter.takeNow('bob').allowed).toBe(true);
  });
});
