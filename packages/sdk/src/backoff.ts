export interface BackoffOptions {
  /** Delay cap for the first retry, in ms. */
  baseMs: number;
  /** No delay ever exceeds this, in ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, base·2^attempt)].
 * Full jitter spreads a reconnect storm evenly instead of in synchronized waves
 * (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function fullJitterDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
