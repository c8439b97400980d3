/** What the fan-out load generator (fanout.ts) is given and answers; bench/harness reads these too. */
import type { LatencySummary } from '../lib/histogram.js';
import type { StepUp } from '../lib/modes.js';
import type { Protocol } from '../clients/chat-client.js';

export interface FanoutNode {
  url: string;
  pid: number;
}

export interface FanoutInput {
  protocol: Protocol;
  /** The server(s) under test; fixtures are made through the first. */
  nodes: FanoutNode[];
  secret: string;
  rooms: number;
  members: number;
  roomType?: 'group' | 'direct';
  contentLength: number;
  /** Parley only: members mark what they receive from others read. */
  readers?: boolean;
  /** Machine services whose CPU is logged besides PostgreSQL (by process name, e.g. `redis-server`). */
  services?: string[];
  fixed?: { sendsPerSecond: number; seconds: number; warmupSeconds: number };
  steps?: StepUp & { p99LimitMs: number; gate?: 'delivery' | 'ack' };
}

export interface PhaseResult {
  offered_sends_per_s: number;
  offered_deliveries_per_s: number;
  delivered_per_s: number;
  acked_per_s: number;
  /** Scheduled send → each member's `message.created`. */
  latency: LatencySummary;
  /** Scheduled send → the sender's `ack`. */
  ack_latency: LatencySummary;
  sent: number;
  acked: number;
  unacked: number;
  undelivered: number;
  /** Deliveries and acks that arrived a second time. */
  duplicated: number;
  reads_sent: number;
  error_frames: number;
  /** Percent of one core; with several nodes `server_a`, `server_b`, … and `server` their sum. */
  cpu_percent: Record<string, number>;
  loadgen_saturated: boolean;
}

export interface RunTotals {
  /** Over every phase, warm-up included, after the last stragglers. */
  sent: number;
  acked: number;
  unacked: number;
  /** Acked messages some member never received (counted per member). */
  lost: number;
  duplicated: number;
  reads_sent: number;
  error_frames: number;
  error_codes: Record<string, number>;
  socket_errors: number;
  /** Frames the server pushed besides events, acks and `ready`, by type (Parley: `reads`, `unread`, …). */
  other_frames: Record<string, number>;
}

export type StopReason = 'p99' | 'undelivered' | 'unacked' | 'duplicated' | 'loadgen_saturated' | 'max_rate';

export interface FanoutResult {
  sockets: number;
  fixed?: PhaseResult;
  steps?: Array<PhaseResult & { passed: boolean }>;
  /** Of the best passing step (by delivered/s, or by acked/s when the gate is the ack); null when even the first step failed. */
  max_delivered_per_s?: number | null;
  max_acked_per_s?: number | null;
  max_sends_per_s?: number | null;
  best_step?: number | null;
  stopped_by?: StopReason;
  totals: RunTotals;
}
