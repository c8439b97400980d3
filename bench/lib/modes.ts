/**
 * How big each scenario is per mode. `full` is the headline (`npm run bench`), `quick` finishes in
 * about three minutes on 2 cores (`npm run bench:quick`; under two before sections 7–9), `smoke`
 * only proves the harness runs (CI).
 */
export type Mode = 'smoke' | 'quick' | 'full';

export interface StepUp {
  startSendsPerSecond: number;
  factor: number;
  maxSendsPerSecond: number;
  stepSeconds: number;
  warmupSeconds: number;
}

export interface Sizes {
  /** Repetitions of each measured scenario; the median is reported. */
  runs: number;
  /** Message content length in characters, the same for every target. */
  contentLength: number;
  /**
   * The p99 a step-up step may reach and still pass (the max-rate and throughput gates). 100 ms when
   * measuring; in smoke mode far looser, as smoke runs beside the rest of CI on shared cores and proves
   * the harness and its correctness counts, not a speed.
   */
  p99LimitMs: number;
  fanout: { rooms: number; members: number; sendsPerSecond: number; seconds: number; warmupSeconds: number };
  /** The max-rate step-up; the readers variant and the two-node variant use it too, with the `fanout` rooms × members. */
  maxRate: StepUp;
  /** Persisted write throughput: `rooms` direct rooms of 2 users, every user a sender on its own socket; gated by send→ack p99. */
  throughput: StepUp & { rooms: number };
  /** `settleMs`: quiet time before each RSS reading. */
  idle: { sockets: number; settleMs: number };
  storm: { rooms: number; membersPerRoom: number; sendsPerSecond: number; sendSeconds: number };
  /** Bystander rooms, their sends/s together, and the length of each phase (quiet, flooded). */
  fairness: { rooms: number; sendsPerSecond: number; seconds: number };
  rest: { rooms: number; messages: number; seconds: number; connections: number };
  widget: { loads: number };
  pgbench: { seconds: number };
  profile: { seconds: number };
}

export const SIZES: Record<Mode, Sizes> = {
  smoke: {
    runs: 1,
    contentLength: 100,
    p99LimitMs: 5_000,
    fanout: { rooms: 2, members: 3, sendsPerSecond: 20, seconds: 1, warmupSeconds: 0.3 },
    maxRate: { startSendsPerSecond: 20, factor: 2, maxSendsPerSecond: 40, stepSeconds: 0.5, warmupSeconds: 0.5 },
    throughput: {
      rooms: 10,
      startSendsPerSecond: 20,
      factor: 2,
      maxSendsPerSecond: 40,
      stepSeconds: 0.5,
      warmupSeconds: 0.5,
    },
    idle: { sockets: 30, settleMs: 300 },
    storm: { rooms: 2, membersPerRoom: 5, sendsPerSecond: 20, sendSeconds: 0.5 },
    fairness: { rooms: 2, sendsPerSecond: 20, seconds: 0.5 },
    rest: { rooms: 10, messages: 60, seconds: 1, connections: 4 },
    widget: { loads: 1 },
    pgbench: { seconds: 1 },
    profile: { seconds: 1 },
  },
  quick: {
    runs: 1,
    contentLength: 100,
    p99LimitMs: 100,
    fanout: { rooms: 20, members: 10, sendsPerSecond: 100, seconds: 3, warmupSeconds: 1 },
    maxRate: { startSendsPerSecond: 50, factor: 2, maxSendsPerSecond: 3200, stepSeconds: 1, warmupSeconds: 1 },
    throughput: {
      rooms: 100,
      startSendsPerSecond: 100,
      factor: 2,
      maxSendsPerSecond: 12_800,
      stepSeconds: 1,
      warmupSeconds: 1,
    },
    idle: { sockets: 1000, settleMs: 600 },
    storm: { rooms: 10, membersPerRoom: 20, sendsPerSecond: 100, sendSeconds: 1 },
    fairness: { rooms: 10, sendsPerSecond: 100, seconds: 3 },
    rest: { rooms: 100, messages: 50, seconds: 1.5, connections: 10 },
    widget: { loads: 2 },
    pgbench: { seconds: 1 },
    profile: { seconds: 2 },
  },
  full: {
    runs: 3,
    contentLength: 100,
    p99LimitMs: 100,
    fanout: { rooms: 50, members: 20, sendsPerSecond: 100, seconds: 10, warmupSeconds: 2 },
    maxRate: { startSendsPerSecond: 25, factor: 2, maxSendsPerSecond: 12_800, stepSeconds: 3, warmupSeconds: 2 },
    throughput: {
      rooms: 100,
      startSendsPerSecond: 100,
      factor: 2,
      maxSendsPerSecond: 25_600,
      stepSeconds: 3,
      warmupSeconds: 2,
    },
    idle: { sockets: 5000, settleMs: 3000 },
    storm: { rooms: 100, membersPerRoom: 20, sendsPerSecond: 200, sendSeconds: 2 },
    fairness: { rooms: 20, sendsPerSecond: 200, seconds: 10 },
    rest: { rooms: 200, messages: 200, seconds: 10, connections: 10 },
    widget: { loads: 11 },
    pgbench: { seconds: 10 },
    profile: { seconds: 8 },
  },
};

export function parseMode(value: string | undefined): Mode {
  if (value === undefined || value === 'full') return 'full';
  if (value === 'quick' || value === 'smoke') return value;
  throw new Error(`unknown mode "${value}" (full | quick | smoke)`);
}
