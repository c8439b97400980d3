import type { Knex } from 'knex';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClientFrameType } from '@parley/sdk/protocol';
import type { BusObserver } from './bus/bus.js';

/** `type` of parley_frames_received_total: the client frame types, `other` for a frame refused unread. */
export type FrameLabel = ClientFrameType | 'other';

/** `kind` of parley_rate_limit_refusals_total: one per token bucket. */
export type RateLimitKind = 'send' | 'typing' | 'agent_write' | 'agent_record' | 'socket_upgrade';

/** What a limiter tells the metrics: how many takes it refused so far. */
export interface RefusalCount {
  readonly refused: number;
}

/** The part of knex's tarn pool read at scrape time. */
interface Pool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

const SECONDS_FAST = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const SECONDS_DB = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * This node's counters for `GET /metrics` (README, "Metrics and logs"). One per server, on a
 * registry of its own, so servers in one process never share series.
 *
 * Hot paths (a frame read or written, a message committed) only add to plain number fields; the
 * prom-client series read them when scraped. Histograms are observed once per group-commit batch
 * or bus delivery, never per frame or per recipient. Counting always happens; exposing needs
 * `PARLEY_METRICS_TOKEN`, and so do Node's default metrics (event-loop delay monitor, GC observer).
 */
export class Metrics {
  readonly registry = new Registry();
  /** Frames handed to sockets (every `ws.send` of a client connection). */
  framesSent = 0;
  /** Sends committed (socket and REST; duplicates of an earlier `client_id` not counted). */
  messagesSent = 0;
  /** Frames read from sockets, by type. */
  readonly framesReceived: Record<FrameLabel, number> = {
    auth: 0,
    send: 0,
    read: 0,
    typing: 0,
    presence: 0,
    ping: 0,
    other: 0,
  };
  /** Set by the gateway: sockets open on this node. */
  openSockets: () => number = () => 0;
  /** What the bus reports per delivery unit (registered by the gateway, see `EventBus.observe`). */
  readonly bus: BusObserver;

  private readonly batchSize: Histogram;
  private readonly commitSeconds: Histogram;
  private readonly limiters: [RateLimitKind, RefusalCount][] = [];

  constructor(options: { db?: Knex; defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });

    gauge('parley_sockets_open', 'WebSockets open on this node (authenticated or not yet)', () => this.openSockets());
    counter(
      'parley_frames_received_total',
      'Frames read from sockets, by type (other: not JSON, unknown type or bad shape)',
      () => Object.entries(this.framesReceived),
      'type',
    );
    counter('parley_frames_sent_total', 'Frames written to sockets', () => [['', this.framesSent]]);
    counter('parley_messages_sent_total', 'Messages committed (socket and REST sends)', () => [
      ['', this.messagesSent],
    ]);
    counter(
      'parley_rate_limit_refusals_total',
      'Actions refused by a rate limit, by bucket',
      () => {
        const totals = new Map<string, number>();
        for (const [kind, limiter] of this.limiters) totals.set(kind, (totals.get(kind) ?? 0) + limiter.refused);
        return totals;
      },
      'kind',
    );

    this.batchSize = histogram(
      'parley_group_commit_batch_size',
      'Writes (sends and read markers) per group-commit batch',
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    );
    this.commitSeconds = histogram(
      'parley_group_commit_seconds',
      "A group-commit batch's transaction: sent to the database until committed (or failed)",
      SECONDS_DB,
    );
    const fanout = histogram(
      'parley_fanout_seconds',
      'Per bus delivery (one message or one commit batch): this node had it (published here or received from Redis) until every frame was written to its sockets',
      SECONDS_FAST,
    );
    const busLag = histogram(
      'parley_bus_lag_seconds',
      "Per Redis bus delivery from another node: its publish until received here (the nodes' wall clocks)",
      SECONDS_DB,
    );
    this.bus = {
      delivered: (since) => fanout.observe((performance.now() - since) / 1000),
      arrived: (publishedAt) => busLag.observe(Math.max(0, Date.now() - publishedAt) / 1000),
    };

    const pool = () => (options.db?.client as { pool?: Pool } | undefined)?.pool;
    gauge('parley_db_pool_used', 'Database connections in use', () => pool()?.numUsed() ?? 0);
    gauge('parley_db_pool_free', 'Database connections open and idle', () => pool()?.numFree() ?? 0);
    gauge(
      'parley_db_pool_pending_acquires',
      'Queries waiting for a database connection',
      () => pool()?.numPendingAcquires() ?? 0,
    );

    /** A counter whose value(s) are read when scraped: `[labelValue, count]` pairs, or one `['', count]` unlabelled. */
    function counter(
      name: string,
      help: string,
      values: () => Iterable<readonly [string, number]>,
      label?: string,
    ): void {
      new Counter({
        name,
        help,
        labelNames: label ? [label] : [],
        registers,
        collect() {
          this.reset();
          for (const [value, count] of values()) {
            if (label) this.inc({ [label]: value }, count);
            else this.inc(count);
          }
        },
      });
    }
    function histogram(name: string, help: string, buckets: number[]): Histogram {
      return new Histogram({ name, help, buckets, registers });
    }
    function gauge(name: string, help: string, value: () => number): void {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(value());
        },
      });
    }
  }

  /** A frame read from a socket (`null`: refused before it had a type). */
  frameReceived(type: ClientFrameType | null): void {
    this.framesReceived[type ?? 'other']++;
  }

  /** One group-commit batch was written (or failed), `startedAt` being `performance.now()` when it went out. */
  batchWritten(size: number, startedAt: number): void {
    this.batchSize.observe(size);
    this.commitSeconds.observe((performance.now() - startedAt) / 1000);
  }

  /** Reports the limiter's refusals under `kind` (several limiters may share one). */
  watchRateLimiter(kind: RateLimitKind, limiter: RefusalCount): void {
    this.limiters.push([kind, limiter]);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every series. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
