/** Medians over runs, the Parley/baseline ratios against the issue's targets, and the printed table. */
import type { Protocol } from '../clients/chat-client.js';

export const PROTOCOLS: Protocol[] = ['parley', 'ws', 'socketio'];
export const LABELS: Record<Protocol, string> = { parley: 'parley', ws: 'bare ws', socketio: 'socket.io' };

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
  const m = (section: Partial<Record<Protocol, Measured>>, p: Protocol, key: string) => section[p]?.median[key] ?? NaN;
  const pgSingle = r.pgbench.find((p) => p.clients === 1 && p.synchronous_commit === 'on')?.tps ?? NaN;
  const parleyLost = m(r.reconnect_storm, 'parley', 'lost');
  const oneNode = m(r.max_rate, 'parley', 'max_delivered_per_s');
  const s = r.meta.sizes as { fanout: { members: number } };
  const nproc = (r.meta['machine'] as { nproc?: number } | undefined)?.nproc ?? NaN;
  return [
    check(
      'idle memory per socket vs bare ws',
      m(r.idle_memory, 'parley', 'bytes_per_socket'),
      m(r.idle_memory, 'ws', 'bytes_per_socket'),
      'bare ws',
      '<=',
      2,
    ),
    check(
      'idle memory per socket vs Socket.IO',
      m(r.idle_memory, 'parley', 'bytes_per_socket'),
      m(r.idle_memory, 'socketio', 'bytes_per_socket'),
      'socket.io',
      '<=',
      0.8,
    ),
    check(
      'p50 latency at fixed load vs bare ws',
      m(r.fanout, 'parley', 'p50_ms'),
      m(r.fanout, 'ws', 'p50_ms'),
      'bare ws',
      '<=',
      2,
    ),
    check(
      'p99 latency at fixed load vs Socket.IO',
      m(r.fanout, 'parley', 'p99_ms'),
      m(r.fanout, 'socketio', 'p99_ms'),
      'socket.io',
      '<=',
      1.5,
    ),
    check(
      'max delivered msgs/s (p99 <= 100 ms) vs Socket.IO',
      m(r.max_rate, 'parley', 'max_delivered_per_s'),
      m(r.max_rate, 'socketio', 'max_delivered_per_s'),
      'socket.io',
      '>=',
      1,
    ),
    checkStepUp(
      'persisted sends/s vs pgbench single-row INSERT (1 client)',
      r.write_throughput,
      'max_acked_per_s',
      pgSingle,
      'pgbench -c 1',
      1.5,
      `max-rate sends/s at ${s.fanout.members} members: ${fmt(m(r.max_rate, 'parley', 'max_sends_per_s'))}`,
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
    check(
      'reconnect storm: all live again vs Socket.IO (and 0 lost)',
      m(r.reconnect_storm, 'parley', 'all_live_ms'),
      m(r.reconnect_storm, 'socketio', 'all_live_ms'),
      'socket.io',
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

const fmt = (v: number | undefined, digits = 1): string => {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(digits).replace(/\.0+$/, '');
};

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

const flag = (m: Measured | null | undefined) => (m?.runs.some((run) => run.flagged) ? ' (!)' : '');

/** A column of a step-up table: its header and its cell from a scenario's median (and the scenario). */
type Column = [header: string, cell: (m: Metrics, s: StepUpMeasured | null | undefined) => string];
const counts = (c: Record<string, number> | undefined) =>
  c && Object.keys(c).length
    ? Object.entries(c)
        .map(([k, v]) => `${k} ${fmt(v, 0)}`)
        .join(', ')
    : '—';
const COLUMNS = {
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

/** A step-up table: one row per scenario, CPU figures of its best passing step, correctness over the whole run. */
function stepUpTable(rows: Array<[label: string, s: StepUpMeasured | null | undefined]>, columns: Column[]): string {
  return table(
    ['target', ...columns.map(([header]) => header)],
    rows.map(([label, s]) => [label + flag(s), ...columns.map(([, cell]) => cell(s?.median ?? {}, s))]),
  );
}

/** The report as Markdown tables (printed, and pasted into RESULTS.md). */
export function renderTables(r: Results): string {
  const s = r.meta.sizes as {
    runs: number;
    fanout: { rooms: number; members: number; sendsPerSecond: number; seconds: number };
    idle: { sockets: number };
    storm: { rooms: number; membersPerRoom: number };
    throughput: { rooms: number };
  };
  const out: string[] = [];
  const c = COLUMNS;
  const sectionTwo = `parley, 1 node, no readers (section 2)`;

  out.push(
    `### 1. Fan-out at fixed load — ${s.fanout.rooms} rooms × ${s.fanout.members} members, ${s.fanout.sendsPerSecond} sends/s (${s.fanout.sendsPerSecond * s.fanout.members} deliveries/s offered), ${s.fanout.seconds} s, median of ${s.runs}`,
  );
  out.push(
    table(
      [
        'target',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'delivered/s',
        'undelivered',
        'persisted',
        'server cpu %',
        'loadgen cpu %',
        'postgres cpu %',
      ],
      PROTOCOLS.map((p) => {
        const m = r.fanout[p]?.median ?? {};
        return [
          LABELS[p] + flag(r.fanout[p]),
          fmt(m['p50_ms'], 2),
          fmt(m['p95_ms'], 2),
          fmt(m['p99_ms'], 2),
          fmt(m['max_ms'], 2),
          fmt(m['delivered_per_s']),
          fmt(m['undelivered']),
          p === 'parley' ? `${fmt(m['persisted'])}/${fmt(m['acked'])}` : 'n/a',
          fmt(m['server_cpu']),
          fmt(m['loadgen_cpu']),
          fmt(m['postgres_cpu']),
        ];
      }),
    ),
  );

  out.push(
    `\n### 2. Maximum sustained delivered msgs/s with p99 ≤ 100 ms (offered rate stepped up), median of ${s.runs}`,
  );
  out.push(
    stepUpTable(
      PROTOCOLS.map((p) => [LABELS[p], r.max_rate[p]]),
      [
        c.maxDelivered,
        c.atSends,
        c.stoppedBy,
        c.persisted,
        c.lost,
        c.duplicated,
        c.errorFrames,
        c.serverCpu,
        c.loadgenCpu,
      ],
    ),
  );

  out.push(
    `\n### 3. Memory per idle authenticated socket (${s.idle.sockets} sockets, server RSS delta / count), median of ${s.runs}`,
  );
  out.push(
    table(
      ['target', 'bytes/socket', 'RSS before MiB', 'RSS after MiB', 'connect s'],
      PROTOCOLS.map((p) => {
        const m = r.idle_memory[p]?.median ?? {};
        return [
          LABELS[p],
          fmt(m['bytes_per_socket'], 0),
          fmt((m['rss_before_bytes'] ?? NaN) / 2 ** 20),
          fmt((m['rss_after_bytes'] ?? NaN) / 2 ** 20),
          fmt(m['connect_seconds'], 2),
        ];
      }),
    ),
  );

  out.push(
    `\n### 4. Reconnect storm (${s.storm.rooms * s.storm.membersPerRoom} clients drop at once while 1 sender per room keeps sending), median of ${s.runs}`,
  );
  out.push(
    table(
      [
        'target',
        'all live again ms',
        'reconnect p50 ms',
        'reconnect p99 ms',
        'sent',
        'acked',
        'lost',
        'resume outcomes',
      ],
      PROTOCOLS.map((p) => {
        const m = r.reconnect_storm[p]?.median ?? {};
        const outcomes = (r.reconnect_storm[p] as { outcomes?: Record<string, number> } | undefined)?.outcomes;
        return [
          LABELS[p],
          fmt(m['all_live_ms'], 0),
          fmt(m['reconnect_p50_ms']),
          fmt(m['reconnect_p99_ms']),
          fmt(m['sent'], 0),
          fmt(m['acked'], 0),
          fmt(m['lost'], 0) + (p === 'ws' ? ' (no recovery by design)' : ''),
          outcomes
            ? Object.entries(outcomes)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')
            : '—',
        ];
      }),
    ),
  );

  out.push('\n### 5. REST (autocannon, Parley only)');
  out.push(
    table(
      ['endpoint', 'requests/s', 'p50 ms', 'p99 ms', 'non-2xx', 'server cpu %', 'loadgen cpu %'],
      Object.entries(r.rest).map(([name, m]) => [
        name === 'rooms'
          ? `GET /rooms?limit=100 (user in ${(r.meta.sizes as { rest: { rooms: number } }).rest.rooms} rooms)`
          : name === 'messages'
            ? 'GET /rooms/:id/messages?limit=50'
            : name,
        fmt(m['requests_per_s']),
        fmt(m['p50_ms']),
        fmt(m['p99_ms']),
        fmt(m['non_2xx'], 0),
        fmt(m['server_cpu']),
        fmt(m['loadgen_cpu']),
      ]),
    ),
  );

  out.push('\n### 6. Widget');
  out.push(
    table(
      ['measure', 'value'],
      [
        ['widget.js min bytes', fmt(r.widget['bytes_min'], 0)],
        ['widget.js min+gzip bytes', fmt(r.widget['bytes_gzip'], 0)],
        ['time to first message, Parley widget (median ms)', fmt(r.widget['parley_ms_median'])],
        ['time to first message, bare WebSocket page (median ms)', fmt(r.widget['bare_ws_ms_median'])],
      ],
    ),
  );

  const pgSingle = r.pgbench.find((p) => p.clients === 1 && p.synchronous_commit === 'on')?.tps;
  out.push(
    `\n### 7. Persisted write throughput — ${s.throughput.rooms} direct rooms × 2 users (${s.throughput.rooms * 2} senders, each on its own socket), offered sends/s stepped up until send→ack p99 > 100 ms (Parley only), median of ${s.runs}`,
  );
  out.push(
    stepUpTable(
      [['parley', r.write_throughput]],
      [
        c.maxAcked,
        c.atSends,
        c.ackP99,
        c.p99,
        c.stoppedBy,
        c.persisted,
        c.duplicateRows,
        c.unacked,
        c.lost,
        c.duplicated,
        c.errorFrames,
        c.serverCpu,
        c.loadgenCpu,
        c.postgresCpu,
      ],
    ),
  );
  out.push(
    `Compare: pgbench single-row INSERT, 1 client: ${fmt(pgSingle)} tps; section 2's max-rate sends/s at ${s.fanout.members} members: ${fmt(r.max_rate.parley?.median['max_sends_per_s'])}.`,
  );

  out.push(
    `\n### 8. Maximum delivered msgs/s with readers — ${s.fanout.rooms} rooms × ${s.fanout.members} members, every member marks each message from someone else read (\`read\` frame); step-up as in section 2 (Parley only), median of ${s.runs}`,
  );
  out.push(
    stepUpTable(
      [
        ['parley, readers', r.readers],
        [sectionTwo, r.max_rate.parley],
      ],
      [
        c.maxDelivered,
        c.atSends,
        c.stoppedBy,
        c.readsSent,
        c.errorFrames,
        c.pushed,
        c.persisted,
        c.lost,
        c.duplicated,
        c.serverCpu,
        c.loadgenCpu,
        c.postgresCpu,
      ],
    ),
  );

  out.push(
    `\n### 9. Two Parley nodes on Redis — ${s.fanout.rooms} rooms × ${s.fanout.members} members, each room's members split half/half between node A and node B; step-up as in section 2, median of ${s.runs}`,
  );
  out.push(
    stepUpTable(
      [
        ['parley, 2 nodes, Redis bus', r.two_nodes],
        [sectionTwo, r.max_rate.parley],
      ],
      [
        c.maxDelivered,
        c.atSends,
        c.stoppedBy,
        c.persisted,
        c.lost,
        c.duplicated,
        c.errorFrames,
        c.nodesCpu,
        c.loadgenCpu,
        c.postgresCpu,
        c.redisCpu,
      ],
    ),
  );
  out.push(`**Not a scale-out figure:** ${(r.meta['two_nodes'] as string | undefined) ?? ''}.`);

  if (r.fairness) {
    const f = r.fairness.median;
    const size = (r.meta.sizes as { fairness: { rooms: number; sendsPerSecond: number; seconds: number } }).fairness;
    out.push(
      `\n### 10. Fairness — ${size.rooms} bystanders sending ${size.sendsPerSecond}/s in all, ${size.seconds} s quiet then ${size.seconds} s while one client floods \`ping\` frames (Parley only), median of ${s.runs}`,
    );
    out.push(
      table(
        [
          'quiet p95 ms',
          'flooded p95 ms',
          'ratio (target ≤ 2)',
          'flood frames/s answered',
          'server cpu %',
          'loadgen cpu %',
        ],
        [
          [
            fmt(f['quiet_p95_ms']),
            fmt(f['flooded_p95_ms']),
            fmt(f['p95_ratio']),
            fmt(f['flood_frames_per_second'], 0),
            fmt(f['server_cpu']),
            fmt(f['loadgen_cpu']),
          ],
        ],
      ),
    );
  }

  out.push('\n### Database ceiling: pgbench, one chat_messages INSERT per transaction');
  out.push(
    table(
      ['clients', 'synchronous_commit', 'tps', 'latency avg ms'],
      r.pgbench.map((p) => [
        String(p.clients),
        p.synchronous_commit + (p.synchronous_commit === 'off' ? ' (variant, not headline)' : ''),
        fmt(p.tps),
        fmt(p.latency_avg_ms, 3),
      ]),
    ),
  );

  out.push('\n### Targets (Parley / baseline, same run)');
  out.push(
    table(
      ['target', 'parley', 'baseline', 'ratio', 'goal', 'met'],
      r.targets.map((t) => [
        t.name,
        fmt(t.parley, 2),
        `${fmt(t.baseline, 2)} (${t.baseline_name})`,
        fmt(t.ratio, 2),
        t.target,
        (t.met ? 'yes' : 'NO') + (t.note ? ` (${t.note})` : ''),
      ]),
    ),
  );

  if (r.profile) {
    out.push(
      `\n### Parley server CPU profile during fan-out (top self time; % of ${fmt(r.profile.total_ms, 0)} ms busy, idle ${fmt((r.profile as { idle_ms?: number }).idle_ms, 0)} ms left out)`,
    );
    out.push(
      table(
        ['self %', 'self ms', 'function', 'location'],
        r.profile.functions.slice(0, 12).map((f) => [fmt(f.self_percent), fmt(f.self_ms), f.function, f.location]),
      ),
    );
  }
  if (r.flags.length) out.push(`\nFlags:\n${r.flags.map((f) => `- ${f}`).join('\n')}`);
  if (r.errors.length)
    out.push(`\nErrors:\n${r.errors.map((e) => `- ${e.section}: ${e.message.split('\n')[0]}`).join('\n')}`);
  return out.join('\n');
}
