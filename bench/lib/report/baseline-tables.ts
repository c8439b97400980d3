/** Sections 1–6 of the report: Parley beside its baselines (bare ws, Socket.IO), REST and the widget. */
import type { Sizes } from '../modes.js';
import { flag, fmt, table } from './format.js';
import { LABELS, PROTOCOLS, type Results } from './results.js';
import { CEILING, COLUMNS as c, DELIVERY, stepUpTable } from './step-up-table.js';

export function baselineSections(r: Results, s: Sizes): string[] {
  const out: string[] = [];
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
      [...CEILING, ...DELIVERY, c.errorFrames, c.serverCpu, c.loadgenCpu],
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
          ? `GET /rooms?limit=100 (user in ${s.rest.rooms} rooms)`
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
  return out;
}
