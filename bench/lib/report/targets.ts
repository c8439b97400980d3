/** The targets: Parley's figure over a baseline's, from the same run, against a bound. */
import type { Protocol } from '../../clients/chat-client.js';
import { fmt } from './format.js';
import { LABELS, type Results, type StepUpMeasured } from './results.js';
import type { Measured, Metrics } from './stats.js';

export interface TargetCheck {
  name: string;
  parley: number;
  baseline: number;
  baseline_name: string;
  ratio: number;
  /** The target, e.g. '<= 2' or '>= 1.5'. */
  target: string;
  met: boolean;
  note?: string;
}

function check(
  name: string,
  parley: number,
  baseline: number,
  baselineName: string,
  op: '<=' | '>=',
  bound: number,
  extra = true,
  note?: string,
): TargetCheck {
  const ratio = Math.round((parley / baseline) * 100) / 100;
  const within = op === '<=' ? ratio <= bound : ratio >= bound;
  return {
    name,
    parley,
    baseline,
    baseline_name: baselineName,
    ratio,
    target: `${op} ${bound}`,
    met: Number.isFinite(ratio) && within && extra,
    ...(note ? { note } : {}),
  };
}

const medianOf = (section: Partial<Record<Protocol, Measured>>, p: Protocol, key: string) =>
  section[p]?.median[key] ?? NaN;

/** Parley's median `key` of a section over a baseline's, named by the baseline's label. */
const versus = (
  name: string,
  section: Partial<Record<Protocol, Measured>>,
  key: string,
  baseline: Protocol,
  op: '<=' | '>=',
  bound: number,
  extra?: boolean,
  note?: string,
) =>
  check(
    name,
    medianOf(section, 'parley', key),
    medianOf(section, baseline, key),
    LABELS[baseline],
    op,
    bound,
    extra,
    note,
  );

/** What is wrong with a Parley step-up scenario's correctness counts ('' when every ack is one row and nothing was lost, duplicated or refused). */
function wrongness(m: Metrics): string {
  const problems = [
    m['persisted'] !== m['acked'] && `rows ${fmt(m['persisted'], 0)} ≠ acks ${fmt(m['acked'], 0)}`,
    m['duplicate_rows'] !== 0 && `${fmt(m['duplicate_rows'], 0)} duplicate rows`,
    m['unacked'] !== 0 && `${fmt(m['unacked'], 0)} unacked`,
    m['lost'] !== 0 && `${fmt(m['lost'], 0)} lost`,
    m['duplicated'] !== 0 && `${fmt(m['duplicated'], 0)} duplicated`,
    m['error_frames'] !== 0 && `${fmt(m['error_frames'], 0)} error frames`,
  ].filter(Boolean);
  return problems.join(', ');
}

/** A Parley-only step-up target: met only with its correctness counts clean; the note says which are not. */
function checkStepUp(
  name: string,
  measure: StepUpMeasured | null,
  key: string,
  baseline: number,
  baselineName: string,
  bound: number,
  note: string,
): TargetCheck {
  const m = measure?.median ?? {};
  const wrong = measure ? wrongness(m) : 'not measured';
  return check(
    name,
    m[key] ?? NaN,
    baseline,
    baselineName,
    '>=',
    bound,
    wrong === '',
    [wrong || 'clean: rows = acks, 0 lost/dup/errors', note].filter(Boolean).join('; '),
  );
}

export function computeTargets(r: Results): TargetCheck[] {
  const pgSingle = r.pgbench.find((p) => p.clients === 1 && p.synchronous_commit === 'on')?.tps ?? NaN;
  const parleyLost = medianOf(r.reconnect_storm, 'parley', 'lost');
  const oneNode = medianOf(r.max_rate, 'parley', 'max_delivered_per_s');
  const s = r.meta.sizes as { fanout: { members: number } };
  const nproc = (r.meta['machine'] as { nproc?: number } | undefined)?.nproc ?? NaN;
  return [
    versus('idle memory per socket vs bare ws', r.idle_memory, 'bytes_per_socket', 'ws', '<=', 2),
    versus('idle memory per socket vs Socket.IO', r.idle_memory, 'bytes_per_socket', 'socketio', '<=', 0.8),
    versus('p50 latency at fixed load vs bare ws', r.fanout, 'p50_ms', 'ws', '<=', 2),
    versus('p99 latency at fixed load vs Socket.IO', r.fanout, 'p99_ms', 'socketio', '<=', 1.5),
    versus('max delivered msgs/s (p99 <= 100 ms) vs Socket.IO', r.max_rate, 'max_delivered_per_s', 'socketio', '>=', 1),
    checkStepUp(
      'persisted sends/s vs pgbench single-row INSERT (1 client)',
      r.write_throughput,
      'max_acked_per_s',
      pgSingle,
      'pgbench -c 1',
      1.5,
      `max-rate sends/s at ${s.fanout.members} members: ${fmt(medianOf(r.max_rate, 'parley', 'max_sends_per_s'))}`,
    ),
    checkStepUp(
      'delivered msgs/s with readers vs without (max, p99 <= 100 ms)',
      r.readers,
      'max_delivered_per_s',
      oneNode,
      'parley, no readers',
      0.7,
      '',
    ),
    checkStepUp(
      'two nodes on Redis vs one node, max delivered msgs/s',
      r.two_nodes,
      'max_delivered_per_s',
      oneNode,
      'parley, 1 node',
      1.6,
      `${nproc} cores, nodes pinned one per core, load generator unpinned: ${nproc <= 2 ? 'cannot show real scale-out' : 'nodes share the machine'}`,
    ),
    versus(
      'reconnect storm: all live again vs Socket.IO (and 0 lost)',
      r.reconnect_storm,
      'all_live_ms',
      'socketio',
      '<=',
      1,
      parleyLost === 0,
      `parley lost ${parleyLost}`,
    ),
    check(
      'widget time to first message vs bare WebSocket page',
      r.widget['parley_ms_median'] ?? NaN,
      r.widget['bare_ws_ms_median'] ?? NaN,
      'bare page',
      '<=',
      1.5,
    ),
  ];
}
