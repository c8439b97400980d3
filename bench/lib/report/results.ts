/** What one bench run produces (written as JSON, rendered as tables): every section's figures. */
import type { Protocol } from '../../clients/chat-client.js';
import type { Measured, Metrics } from './stats.js';
import type { TargetCheck } from './targets.js';

export const PROTOCOLS: Protocol[] = ['parley', 'ws', 'socketio'];
export const LABELS: Record<Protocol, string> = { parley: 'parley', ws: 'bare ws', socketio: 'socket.io' };

/** A step-up scenario: per run and median figures, plus what the last run saw (pushed frames, error codes) and every step. */
export type StepUpMeasured = Measured & {
  stopped_by?: string;
  pushed?: Record<string, number>;
  error_codes?: Record<string, number>;
  steps?: unknown;
};

export interface Results {
  meta: Record<string, unknown> & { mode: string; sizes: unknown };
  fanout: Partial<Record<Protocol, Measured>>;
  max_rate: Partial<Record<Protocol, StepUpMeasured>>;
  /** Section 7: persisted sends/s, many 1:1 senders, gated by send→ack p99 (Parley only). */
  write_throughput: StepUpMeasured | null;
  /** Section 8: section 2 with every member marking what it receives read (Parley only). */
  readers: StepUpMeasured | null;
  /** Section 9: section 2 on two Parley nodes on Redis. */
  two_nodes: StepUpMeasured | null;
  /** Section 10: bystanders' send→ack p95 while one client floods frames, over their quiet p95 (Parley only). */
  fairness: Measured | null;
  idle_memory: Partial<Record<Protocol, Measured>>;
  reconnect_storm: Partial<Record<Protocol, Measured & { outcomes?: unknown }>>;
  rest: Record<string, Metrics>;
  widget: Metrics & { parley_ms?: number[]; bare_ws_ms?: number[] };
  pgbench: Array<{ clients: number; synchronous_commit: string; tps: number; latency_avg_ms: number }>;
  profile: {
    file: string;
    total_ms: number;
    functions: Array<{ function: string; location: string; self_ms: number; self_percent: number }>;
  } | null;
  targets: TargetCheck[];
  flags: string[];
  errors: Array<{ section: string; message: string }>;
}
