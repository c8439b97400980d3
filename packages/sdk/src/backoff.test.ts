import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from './backoff.js';

describe('fullJitterDelay', () => {
  const options = { baseMs: 100, maxMs: 5_000 };

  it('stays within [0, min(max, base·2^attempt)) for every attempt', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const delay = fullJitterDelay(attempt, options, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('grows exponentially until the cap', () => {
    const top = (attempt: number) => fullJitterDelay(attempt, options, () => 0.999999);
    expect(top(0)).toBe(99);
    expect(top(1)).toBe(199);
    expect(top(3)).toBe(799);
    expect(top(10)).toBe(4999);
    expect(top(50)).toBe(4999);
  });

  it('spreads delays across the whole window instead of clustering', () => {
    const attempt = 6; // window [0, 5000)
    const samples = Array.from({ length: 4_000 }, () => fullJitterDelay(attempt, options));
    const buckets = new Array(10).fill(0);
    for (const d of samples) buckets[Math.floor(d / 500)]++;
    // Uniform: each tenth of the window gets about 400 samples; none is empty or dominant.
    for (const count of buckets) {
      expect(count).toBeGreaterThan(250);
      expect(count).toBeLessThan(550);
    }
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(2_200);
    expect(mean).toBeLessThan(2_800);
  });
});
