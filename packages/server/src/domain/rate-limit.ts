import { ParleyError } from '../errors.js';

/** The answer of a limiter: go ahead, or wait this long before the next try. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts actions per key (e.g. `send:<userId>`). Async so that a shared
 * implementation (Redis, for several nodes) fits the same interface.
 */
export interface RateLimiter {
  take(key: string): Promise<RateDecision>;
  /** Takes refused so far (parley_rate_limit_refusals_total). */
  readonly refused: number;
}

export interface TokenBucketOptions {
  /** Burst size: how many actions may happen at once after a quiet period. */
  capacity: number;
  /** Sustained rate: tokens regained per second. */
  refillPerSecond: number;
  now?: () => number;
}

/** Buckets idle long enough to be full again carry no information; past this many keys they are dropped. */
const PRUNE_AT_KEYS = 10_000;

/**
 * In-memory token bucket per key (one node). Each action takes a token; tokens
 * come back at `refillPerSecond` up to `capacity`.
 */
export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;
  refused = 0;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
  }

  async take(key: string): Promise<RateDecision> {
    return this.takeNow(key);
  }

  /** Synchronous core (tests and callers on this node). */
  takeNow(key: string): RateDecision {
    const now = this.now();
    const { capacity, refillPerSecond } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * refillPerSecond);
    bucket.at = now;
    if (this.buckets.size >= PRUNE_AT_KEYS && !this.buckets.has(key)) this.prune(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    this.refused++;
    return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / refillPerSecond) * 1000) };
  }

  private prune(now: number): void {
    const { capacity, refillPerSecond } = this.options;
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * refillPerSecond >= capacity) this.buckets.delete(key);
    }
  }
}

/** `rate_limited` (429) that says when to try again; socket error frames carry it as `retry_after_ms`. */
export class RateLimitedError extends ParleyError {
  constructor(retryAfterMs: number, what: string) {
    super('rate_limited', `Too many ${what}; retry in ${Math.ceil(retryAfterMs / 1000)} s`, { retryAfterMs });
  }

  declare readonly retryAfterMs: number;
}

/** Throws {@link RateLimitedError} when `key` is over its limit. */
export async function enforceRate(limiter: RateLimiter, key: string, what: string): Promise<void> {
  const decision = await limiter.take(key);
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterMs, what);
}
