import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

/** Latencies in milliseconds, kept as microseconds in an HDR histogram (1 µs – 10 min, 3 digits). */
export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  summary(): LatencySummary {
    const h = this.histogram;
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: h.totalCount,
      p50_ms: ms(h.getValueAtPercentile(50)),
      p95_ms: ms(h.getValueAtPercentile(95)),
      p99_ms: ms(h.getValueAtPercentile(99)),
      max_ms: ms(h.maxValue),
    };
  }
}
