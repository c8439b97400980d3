import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { TokenBucketLimiter, type RateDecision, type RateLimiter, type TokenBucketOptions } from './rate-limit.js';

/**
 * The in-memory token bucket, as one atomic script on Redis's clock.
 * KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens regained per ms → { allowed 0|1, retry after ms }.
 * The hash expires once it would be full again: an idle user costs nothing.
 */
const TAKE = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or capacity
local at = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed, wait = 0, 0
if tokens >= 1 then tokens = tokens - 1 allowed = 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
return { allowed, wait }`;

type BucketRedis = Redis & { rateTake(key: string, capacity: number, perMs: number): Promise<[number, number]> };

export interface RedisRateLimiterOptions extends TokenBucketOptions {
  /** Key namespace, e.g. `parley:`. */
  prefix: string;
  logger: Logger;
}

/**
 * A per-user limit shared by every node: the same token bucket as
 * {@link TokenBucketLimiter} (burst `capacity`, steady `refillPerSecond`), kept
 * in Redis and updated by one Lua script, so concurrent nodes cannot both spend
 * the last token. A token bucket rather than a fixed INCR window: it is what
 * one node enforces already (same answers, same `retryAfterMs`), and a fixed
 * window lets twice the limit through around each window boundary.
 *
 * Redis down: fail open to this node's own bucket. A user spread over N nodes
 * may then send up to N times the limit for the length of the outage; refusing
 * every message instead would turn a cache outage into a messaging outage.
 */
export class RedisTokenBucketLimiter implements RateLimiter {
  private readonly redis: BucketRedis;
  private readonly fallback: TokenBucketLimiter;
  private readonly perMs: number;
  private refusedHere = 0;

  constructor(
    redis: Redis,
    private readonly options: RedisRateLimiterOptions,
  ) {
    if (!('rateTake' in redis)) redis.defineCommand('rateTake', { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as BucketRedis;
    this.fallback = new TokenBucketLimiter(options);
    this.perMs = options.refillPerSecond / 1000;
  }

  /** Refusals by Redis, and by this node's bucket while Redis was down. */
  get refused(): number {
    return this.refusedHere + this.fallback.refused;
  }

  async take(key: string): Promise<RateDecision> {
    try {
      const [allowed, wait] = await this.redis.rateTake(
        `${this.options.prefix}rate:${key}`,
        this.options.capacity,
        this.perMs,
      );
      if (allowed === 1) return { allowed: true };
      this.refusedHere++;
      return { allowed: false, retryAfterMs: Math.max(1, Number(wait)) };
    } catch (err) {
      this.options.logger.debug({ err, key }, "rate limit: redis unavailable, using this node's bucket");
      return this.fallback.takeNow(key);
    }
  }
}
