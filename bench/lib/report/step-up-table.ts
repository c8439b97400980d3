/** The step-up tables (sections 2, 7, 8, 9): one row per scenario, the columns picked from one set. */
import { counts, flag, fmt, table } from './format.js';
import type { StepUpMeasured } from './results.js';
import type { Metrics } from './stats.js';

/** A column of a step-up table: its header and its cell from a scenario's median (and the scenario). */
type Column = [header: string, cell: (m: Metrics, s: StepUpMeasured | null | undefined) => string];

export const COLUMNS = {
  maxDelivered: ['max delivered/s', (m) => fmt(m['max_delivered_per_s'])],
  maxAcked: ['max acked sends/s', (m) => fmt(m['max_acked_per_s'])],
  atSends: ['at sends/s', (m) => fmt(m['max_sends_per_s'])],
  ackP99: ['ack p99 ms', (m) => fmt(m['ack_p99_ms'], 2)],
  p99: ['delivery p99 ms', (m) => fmt(m['p99_ms'], 2)],
  stoppedBy: ['stopped by', (_m, s) => s?.stopped_by ?? '—'],
  persisted: [
    'persisted/acked',
    (m) => (m['persisted'] === undefined ? 'n/a' : `${fmt(m['persisted'], 0)}/${fmt(m['acked'], 0)}`),
  ],
  duplicateRows: [
    'rows sharing a client_id',
    (m) => (m['duplicate_rows'] === undefined ? 'n/a' : fmt(m['duplicate_rows'], 0)),
  ],
  unacked: ['unacked', (m) => fmt(m['unacked'], 0)],
  lost: ['lost', (m) => fmt(m['lost'], 0)],
  duplicated: ['duplicated', (m) => fmt(m['duplicated'], 0)],
  errorFrames: [
    'error frames',
    (m, s) => fmt(m['error_frames'], 0) + (m['error_frames'] ? ` (${counts(s?.error_codes)})` : ''),
  ],
  readsSent: ['read frames sent', (m) => fmt(m['reads_sent'], 0)],
  pushed: ['other frames pushed', (_m, s) => counts(s?.pushed)],
  serverCpu: ['server cpu %', (m) => fmt(m['server_cpu'])],
  nodesCpu: [
    'node A / B cpu %',
    (m) =>
      Number.isFinite(m['server_a_cpu'])
        ? `${fmt(m['server_a_cpu'])} / ${fmt(m['server_b_cpu'])}`
        : `${fmt(m['server_cpu'])} (one node)`,
  ],
  loadgenCpu: ['loadgen cpu %', (m) => fmt(m['loadgen_cpu'])],
  postgresCpu: ['postgres cpu %', (m) => fmt(m['postgres_cpu'])],
  redisCpu: ['redis cpu %', (m) => fmt(m['redis_cpu'])],
} satisfies Record<string, Column>;

/** The columns every step-up table starts with: the ceiling found, at what offered rate, and why it stopped. */
export const CEILING: Column[] = [COLUMNS.maxDelivered, COLUMNS.atSends, COLUMNS.stoppedBy];
/** Whether every ack is a row and every delivery arrived once. */
export const DELIVERY: Column[] = [COLUMNS.persisted, COLUMNS.lost, COLUMNS.duplicated];

/** A step-up table: one row per scenario, CPU figures of its best passing step, correctness over the whole run. */
export function stepUpTable(
  rows: Array<[label: string, s: StepUpMeasured | null | undefined]>,
  columns: Column[],
): string {
  return table(
    ['target', ...columns.map(([header]) => header)],
    rows.map(([label, s]) => [label + flag(s), ...columns.map(([, cell]) => cell(s?.median ?? {}, s))]),
  );
}
