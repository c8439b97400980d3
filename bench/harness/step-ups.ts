/**
 * Runs of the fan-out load generator (loadgen/fanout.ts) and what is checked after each: its totals,
 * Parley's acks against the rows in PostgreSQL, and a step-up run's figures of its best passing step.
 */
import type { FanoutInput, FanoutResult, PhaseResult, RunTotals } from '../loadgen/fanout-types.js';
import { runLoadgen, type LoadgenOptions } from '../lib/processes.js';
import type { StepUpMeasured } from '../lib/report/results.js';
import { measured, type Metrics } from '../lib/report/stats.js';
import type { ScratchDatabase } from '../lib/scratch-db.js';
import type { RunningTarget } from '../lib/targets.js';
import { flagIfSaturated, log, results, sizes } from './context.js';

export const cpuOf = (phase: PhaseResult): Metrics => ({
  server_cpu: phase.cpu_percent['server'] ?? NaN,
  loadgen_cpu: phase.cpu_percent['loadgen'] ?? NaN,
  postgres_cpu: phase.cpu_percent['postgres'] ?? NaN,
});

export const fanoutInput = (target: RunningTarget): FanoutInput => ({
  protocol: target.protocol,
  nodes: [{ url: target.url, pid: target.pid }],
  secret: target.secret,
  rooms: sizes.fanout.rooms,
  members: sizes.fanout.members,
  contentLength: sizes.contentLength,
});

export const maxRateSteps = { ...sizes.maxRate, p99LimitMs: sizes.p99LimitMs };

/**
 * Every acknowledged Parley send must be exactly one row in `chat_messages`: the rows, and the rows
 * that share a client_id (a send stored twice). Flags a mismatch.
 */
async function checkPersisted(database: ScratchDatabase, acked: number, what: string): Promise<Metrics> {
  const [row] = await database.query<{ n: number; ids: number }>(
    'select count(*)::int as n, count(distinct client_id)::int as ids from chat_messages',
  );
  const persisted = row!.n;
  const duplicateRows = row!.n - row!.ids;
  if (persisted !== acked) results.flags.push(`${what}: parley acked ${acked} but PostgreSQL holds ${persisted}`);
  if (duplicateRows > 0) results.flags.push(`${what}: ${duplicateRows} rows in chat_messages share a client_id`);
  return { persisted, duplicate_rows: duplicateRows };
}

/** Flags what the load generator saw go wrong over a whole run (the failing last step included). */
function checkTotals(t: RunTotals, what: string): void {
  const wrong = [
    t.unacked && `${t.unacked} sends never acked`,
    t.lost && `${t.lost} acked deliveries never arrived`,
    t.duplicated && `${t.duplicated} deliveries or acks arrived twice`,
    t.error_frames &&
      `${t.error_frames} error frames (${Object.entries(t.error_codes)
        .map(([code, n]) => `${code} ${n}`)
        .join(', ')})`,
    t.socket_errors && `${t.socket_errors} socket errors`,
  ].filter(Boolean);
  if (wrong.length) results.flags.push(`${what}: ${wrong.join('; ')}`);
}

/** One fan-out load-generator run, its totals flagged and (Parley) its acks counted against PostgreSQL. */
export async function fanoutChecked(
  input: FanoutInput,
  database: ScratchDatabase | null,
  what: string,
  options?: LoadgenOptions,
): Promise<{ result: FanoutResult; persisted: Metrics }> {
  const result = await runLoadgen<FanoutResult>('fanout', input, options);
  checkTotals(result.totals, what);
  const persisted = database ? await checkPersisted(database, result.totals.acked, what) : {};
  return { result, persisted };
}

/** A step-up run's figures: the best passing step's, and the whole run's correctness counts. */
function stepUpMetrics(r: FanoutResult, persisted: Metrics, what: string): Metrics {
  const steps = r.steps ?? [];
  const best = r.best_step === null || r.best_step === undefined ? undefined : steps[r.best_step];
  const saturated = r.stopped_by === 'loadgen_saturated' || steps.some((s) => s.passed && s.loadgen_saturated);
  const cpu = best?.cpu_percent ?? {};
  const t = r.totals;
  return {
    max_delivered_per_s: r.max_delivered_per_s ?? 0,
    max_acked_per_s: r.max_acked_per_s ?? 0,
    max_sends_per_s: r.max_sends_per_s ?? 0,
    p99_ms: best?.latency.p99_ms ?? NaN,
    ack_p99_ms: best?.ack_latency.p99_ms ?? NaN,
    sent: t.sent,
    acked: t.acked,
    ...persisted,
    unacked: t.unacked,
    lost: t.lost,
    duplicated: t.duplicated,
    error_frames: t.error_frames,
    reads_sent: t.reads_sent,
    // Of the best step; `server` is the sum of `server_a` and `server_b` with two nodes.
    ...Object.fromEntries(
      ['server', 'server_a', 'server_b', 'loadgen', 'postgres', 'redis-server'].map((k) => [
        `${k.replace('-server', '')}_cpu`,
        cpu[k] ?? NaN,
      ]),
    ),
    flagged: saturated
      ? flagIfSaturated(
          `${what} (the ceiling found is the load generator's)`,
          Math.max(...steps.map((s) => s.cpu_percent['loadgen'] ?? 0)),
        )
      : 0,
  };
}

/** `sizes.runs` runs of a step-up scenario (`once` starts its own server per run), median reported. */
export async function stepUpRuns(
  what: string,
  once: (what: string) => Promise<{ result: FanoutResult; persisted: Metrics }>,
): Promise<StepUpMeasured> {
  const runs: Metrics[] = [];
  const detail: FanoutResult[] = [];
  for (let run = 1; run <= sizes.runs; run++) {
    const { result: r, persisted } = await once(`${what} run ${run}`);
    detail.push(r);
    runs.push(stepUpMetrics(r, persisted, `${what} run ${run}`));
    log(
      `  ${what} run ${run}: ${r.max_delivered_per_s} delivered/s, ${r.max_acked_per_s} acked/s at ${r.max_sends_per_s} sends/s (stopped by ${r.stopped_by}); ` +
        `acked ${r.totals.acked}${persisted['persisted'] === undefined ? '' : `, rows ${persisted['persisted']}`}, lost ${r.totals.lost}, duplicated ${r.totals.duplicated}, error frames ${r.totals.error_frames}`,
    );
  }
  const last = detail.at(-1)!.totals;
  return {
    ...measured(runs),
    stopped_by: detail.map((d) => d.stopped_by).join('/'),
    pushed: last.other_frames,
    error_codes: last.error_codes,
    steps: detail.map((d) => d.steps),
  };
}
