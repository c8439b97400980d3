/** A scenario's figures over its runs: every run's metrics and their medians. */

export type Metrics = Record<string, number>;

/** Per target: every run's metrics and their median (runs flagged as load-generator-saturated are left out when others exist). */
export interface Measured {
  median: Metrics;
  runs: Array<Metrics & { flagged?: number }>;
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function measured(runs: Array<Metrics & { flagged?: number }>): Measured {
  const clean = runs.filter((r) => !r.flagged);
  const use = clean.length > 0 ? clean : runs;
  const keys = Object.keys(use[0] ?? {});
  return { median: Object.fromEntries(keys.map((k) => [k, median(use.map((r) => r[k]!))])), runs };
}
