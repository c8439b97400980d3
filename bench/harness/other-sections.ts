/** The sections with load generators of their own: 3 (idle memory), 4 (reconnect storm), 5 (REST), 6 (widget), 10 (fairness), pgbench. */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FairnessResult } from '../loadgen/fairness.js';
import type { IdleResult } from '../loadgen/idle-sockets.js';
import type { StormResult } from '../loadgen/reconnect-storm.js';
import type { EndpointResult } from '../loadgen/rest.js';
import type { WidgetResult } from '../loadgen/widget.js';
import { runPgbench } from '../lib/pgbench.js';
import { runLoadgen } from '../lib/processes.js';
import { PROTOCOLS } from '../lib/report/results.js';
import { median } from '../lib/report/stats.js';
import { startTarget } from '../lib/targets.js';
import {
  adminUrl,
  flagIfSaturated,
  log,
  medianOfRuns,
  results,
  sizes,
  targetInput,
  using,
  WIDGET_BUNDLE,
  withTarget,
} from './context.js';

/** 3. Memory per idle authenticated socket. */
export async function idleMemory(): Promise<void> {
  for (const protocol of PROTOCOLS) {
    results.idle_memory[protocol] = await medianOfRuns(async (run) => {
      const r = await withTarget(protocol, (target) =>
        runLoadgen<IdleResult>('idle-sockets', { protocol, ...targetInput(target), ...sizes.idle }),
      );
      log(`  ${protocol} run ${run}: ${r.bytes_per_socket} bytes/socket`);
      return { ...r };
    });
  }
}

/** 4. Reconnect storm. */
export async function reconnectStorm(): Promise<void> {
  for (const protocol of PROTOCOLS) {
    const outcomes: Record<string, number>[] = [];
    const m = await medianOfRuns(async (run) => {
      const r = await withTarget(protocol, (target) =>
        runLoadgen<StormResult>('reconnect-storm', {
          protocol,
          ...targetInput(target),
          contentLength: sizes.contentLength,
          ...sizes.storm,
        }),
      );
      outcomes.push(r.resume_outcomes);
      const metrics = {
        all_live_ms: r.all_live_ms,
        reconnect_p50_ms: r.reconnect.p50_ms,
        reconnect_p99_ms: r.reconnect.p99_ms,
        sent: r.sent,
        acked: r.acked,
        lost: r.lost,
        server_cpu: r.cpu_percent['server'] ?? NaN,
        loadgen_cpu: r.cpu_percent['loadgen'] ?? NaN,
        flagged: flagIfSaturated(`reconnect storm ${protocol} run ${run}`, r.cpu_percent['loadgen'] ?? 0),
      };
      log(
        `  ${protocol} run ${run}: all live after ${r.all_live_ms} ms, lost ${r.lost}, outcomes ${JSON.stringify(r.resume_outcomes)}`,
      );
      return metrics;
    });
    results.reconnect_storm[protocol] = { ...m, outcomes: outcomes.at(-1) };
  }
}

/** 5. REST with autocannon (Parley only: the baselines have no REST). */
export async function rest(): Promise<void> {
  const r = await withTarget('parley', (target) =>
    runLoadgen<{ rooms: EndpointResult; messages: EndpointResult }>('rest', { ...targetInput(target), ...sizes.rest }),
  );
  for (const [name, e] of Object.entries(r)) {
    results.rest[name] = {
      requests_per_s: e.requests_per_s,
      p50_ms: e.p50_ms,
      p99_ms: e.p99_ms,
      non_2xx: e.non_2xx,
      errors: e.errors,
      server_cpu: e.cpu_percent['server'] ?? NaN,
      loadgen_cpu: e.cpu_percent['loadgen'] ?? NaN,
    };
    if (e.non_2xx > 0 || e.errors > 0)
      results.flags.push(`REST ${e.path}: ${e.non_2xx} non-2xx answers, ${e.errors} errors`);
    flagIfSaturated(`REST ${e.path}`, e.cpu_percent['loadgen'] ?? 0);
  }
}

/** 6. Widget: bytes, and time to first message vs a bare WebSocket page. */
export async function widget(): Promise<void> {
  const bundle = readFileSync(WIDGET_BUNDLE);
  results.widget['bytes_min'] = bundle.length;
  results.widget['bytes_gzip'] = gzipSync(bundle, { level: 9 }).length;
  const r = await withTarget('parley', (parley) =>
    withTarget('ws', (ws) =>
      runLoadgen<WidgetResult>('widget', {
        parleyUrl: parley.url,
        parleySecret: parley.secret,
        wsUrl: ws.url,
        wsSecret: ws.secret,
        loads: sizes.widget.loads,
      }),
    ),
  );
  Object.assign(results.widget, {
    parley_ms: r.parley_ms,
    bare_ws_ms: r.bare_ws_ms,
    parley_ms_median: median(r.parley_ms),
    bare_ws_ms_median: median(r.bare_ws_ms),
  });
}

/** 10. Fairness: bystanders' send→ack p95 while one client floods frames (Parley only). */
export async function fairness(): Promise<void> {
  results.fairness = await medianOfRuns(async (run) => {
    // The product's default frame budget (empty = default), not the bench's lifted one.
    const server = startTarget('parley', { adminDatabaseUrl: adminUrl, env: { PARLEY_SOCKET_FRAMES_PER_SECOND: '' } });
    const r = await using(server, (target) =>
      runLoadgen<FairnessResult>('fairness', {
        ...targetInput(target),
        contentLength: sizes.contentLength,
        ...sizes.fairness,
      }),
    );
    const metrics = {
      quiet_p95_ms: r.quiet.p95_ms,
      flooded_p95_ms: r.flooded.p95_ms,
      p95_ratio: r.p95_ratio,
      flood_frames_per_second: r.flood_frames_per_second,
      server_cpu: r.cpu_percent['server'] ?? NaN,
      loadgen_cpu: r.cpu_percent['loadgen'] ?? NaN,
      flagged: flagIfSaturated(`fairness run ${run}`, r.cpu_percent['loadgen'] ?? 0),
    };
    log(`  run ${run}: p95 ${r.quiet.p95_ms} ms quiet, ${r.flooded.p95_ms} ms flooded (${r.p95_ratio}×)`);
    return metrics;
  });
}

/** The database ceiling: pgbench, one chat_messages INSERT per transaction. */
export async function pgbench(): Promise<void> {
  results.pgbench = await runPgbench(adminUrl, sizes.pgbench.seconds, sizes.contentLength, [
    { clients: 1, synchronous_commit: 'on' },
    { clients: 10, synchronous_commit: 'on' },
    { clients: 1, synchronous_commit: 'off' },
  ]);
}
