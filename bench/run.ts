/**
 * Parley benchmark (issue 9): Parley and its baselines side by side, one run, one machine.
 *
 *   npm run bench          full: three runs per measure, median reported (~15 min)
 *   npm run bench:quick    one short run (< 2 min)
 *   node --import tsx bench/run.ts --mode smoke [--out file.json]   seconds; CI proves it runs
 *
 * Servers under test run as separate processes pinned to core 0, load generators (and pgbench,
 * Chromium) to core 1. PostgreSQL is the machine's service and is not pinned. Needs the build
 * (`npm run build`), PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * pgbench, and Chromium for the widget measure. Prints Markdown tables; writes
 * bench/results/<date>-<mode>.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Protocol } from './clients/chat-client.js';
import { SATURATED_PERCENT } from './lib/cpu.js';
import { SIZES, parseMode } from './lib/modes.js';
import { pinned, BENCH_DIR, REPO_DIR, runLoadgen } from './lib/processes.js';
import { runPgbench } from './lib/pgbench.js';
import { computeTargets, measured, PROTOCOLS, renderTables, type Metrics, type Results } from './lib/report.js';
import { DEFAULT_DATABASE_URL } from './lib/scratch-db.js';
import { PARLEY_CLI, startTarget, type RunningTarget } from './lib/targets.js';
import { summariseProfile } from './profile/summarise.js';
import type { FanoutResult, PhaseResult } from './loadgen/fanout.js';
import type { IdleResult } from './loadgen/idle-sockets.js';
import type { StormResult } from './loadgen/reconnect-storm.js';
import type { EndpointResult } from './loadgen/rest.js';
import type { WidgetResult } from './loadgen/widget.js';

const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const mode = parseMode(argValue('--mode'));
const sizes = SIZES[mode];
const adminUrl = process.env['DATABASE_URL'] || DEFAULT_DATABASE_URL;
const WIDGET_BUNDLE = join(REPO_DIR, 'packages/widget/dist/widget.js');

for (const built of [PARLEY_CLI, WIDGET_BUNDLE]) {
  if (!existsSync(built)) {
    process.stderr.write(`${built} is missing: run \`npm run build\` first\n`);
    process.exit(2);
  }
}

const startedAt = new Date();
const log = (message: string) => process.stderr.write(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';

const results: Results = {
  meta: {
    mode,
    command: mode === 'full' ? 'npm run bench' : mode === 'quick' ? 'npm run bench:quick' : 'node --import tsx bench/run.ts --mode smoke',
    started_at: startedAt.toISOString(),
    machine: { nproc: cpus().length, cpu_model: cpuModel, memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10 },
    node: process.version,
    load_average_start: loadavg().map((v) => Math.round(v * 100) / 100),
    pinning: pinned(0, 'x', [])[0] === 'x' ? 'taskset not found: nothing pinned' : 'servers under test: core 0; load generators, pgbench, Chromium: core 1; PostgreSQL: not pinned (machine service)',
    parley: 'one node, in-process bus (no REDIS_URL), PostgreSQL scratch database per server, fsync and synchronous_commit on',
    sizes,
  },
  fanout: {},
  max_rate: {},
  idle_memory: {},
  reconnect_storm: {},
  rest: {},
  widget: {},
  pgbench: [],
  profile: null,
  targets: [],
  flags: [],
  errors: [],
};

async function withTarget<T>(protocol: Protocol, fn: (target: RunningTarget) => Promise<T>, cpuProfileDir?: string): Promise<T> {
  const target = await startTarget(protocol, { adminDatabaseUrl: adminUrl, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
  try {
    return await fn(target);
  } finally {
    await target.stop();
  }
}

async function section(name: string, fn: () => Promise<void>): Promise<void> {
  log(`${name}…`);
  try {
    await fn();
  } catch (err) {
    const message = (err as Error).stack ?? String(err);
    results.errors.push({ section: name, message });
    log(`${name} FAILED: ${message}`);
  }
}

const cpuOf = (phase: PhaseResult): Metrics => ({
  server_cpu: phase.cpu_percent['server'] ?? NaN,
  loadgen_cpu: phase.cpu_percent['loadgen'] ?? NaN,
  postgres_cpu: phase.cpu_percent['postgres'] ?? NaN,
});

function flagIfSaturated(what: string, loadgenCpu: number): number {
  if (loadgenCpu <= SATURATED_PERCENT) return 0;
  results.flags.push(`${what}: load generator at ${loadgenCpu}% of its core (> ${SATURATED_PERCENT}%): run left out of the median when a clean run exists`);
  return 1;
}

const fanoutInput = (target: RunningTarget) => ({
  protocol: target.protocol,
  url: target.url,
  serverPid: target.pid,
  secret: target.secret,
  rooms: sizes.fanout.rooms,
  members: sizes.fanout.members,
  contentLength: sizes.contentLength,
});

// 1. Fan-out latency at a fixed offered rate.
await section('fan-out at fixed load', async () => {
  for (const protocol of PROTOCOLS) {
    const runs: Metrics[] = [];
    for (let run = 1; run <= sizes.runs; run++) {
      runs.push(
        await withTarget(protocol, async (target) => {
          const r = await runLoadgen<FanoutResult>('fanout', { ...fanoutInput(target), fixed: sizes.fanout });
          const phase = r.fixed!;
          let persisted = NaN;
          if (target.database) {
            // Every acknowledged Parley message must be a row in PostgreSQL.
            persisted = (await target.database.query<{ n: number }>('select count(*)::int as n from chat_messages'))[0]!.n;
            if (persisted !== phase.acked) results.flags.push(`fan-out run ${run}: parley acked ${phase.acked} but PostgreSQL holds ${persisted}`);
          }
          return {
            ...phase.latency,
            delivered_per_s: phase.delivered_per_s,
            undelivered: phase.undelivered,
            acked: phase.acked,
            persisted,
            ...cpuOf(phase),
            flagged: flagIfSaturated(`fan-out ${protocol} run ${run}`, phase.cpu_percent['loadgen'] ?? 0),
          };
        }),
      );
      log(`  ${protocol} run ${run}: p50 ${runs.at(-1)!['p50_ms']} ms p99 ${runs.at(-1)!['p99_ms']} ms`);
    }
    results.fanout[protocol] = measured(runs);
  }
});

// 2. Maximum sustained delivered msgs/s with p99 ≤ 100 ms.
await section('max sustained delivered msgs/s', async () => {
  for (const protocol of PROTOCOLS) {
    const runs: Metrics[] = [];
    const detail: FanoutResult[] = [];
    for (let run = 1; run <= sizes.runs; run++) {
      const r = await withTarget(protocol, (target) => runLoadgen<FanoutResult>('fanout', { ...fanoutInput(target), steps: { ...sizes.maxRate, p99LimitMs: 100 } }));
      detail.push(r);
      const lastPass = [...(r.steps ?? [])].reverse().find((s) => s.passed);
      const saturated = r.stopped_by === 'loadgen_saturated' || (r.steps ?? []).some((s) => s.passed && s.loadgen_saturated);
      runs.push({
        max_delivered_per_s: r.max_delivered_per_s ?? 0,
        max_sends_per_s: r.max_sends_per_s ?? 0,
        server_cpu: lastPass?.cpu_percent['server'] ?? NaN,
        loadgen_cpu: lastPass?.cpu_percent['loadgen'] ?? NaN,
        flagged: saturated ? flagIfSaturated(`max rate ${protocol} run ${run} (the ceiling found is the load generator's)`, Math.max(...(r.steps ?? []).map((s) => s.cpu_percent['loadgen'] ?? 0))) : 0,
      });
      log(`  ${protocol} run ${run}: ${r.max_delivered_per_s} delivered/s at ${r.max_sends_per_s} sends/s (stopped by ${r.stopped_by})`);
    }
    results.max_rate[protocol] = { ...measured(runs), stopped_by: detail.map((d) => d.stopped_by).join('/'), steps: detail.map((d) => d.steps) } as never;
  }
});

// 3. Memory per idle authenticated socket.
await section('idle memory per socket', async () => {
  for (const protocol of PROTOCOLS) {
    const runs: Metrics[] = [];
    for (let run = 1; run <= sizes.runs; run++) {
      const r = await withTarget(protocol, (target) =>
        runLoadgen<IdleResult>('idle-sockets', { protocol, url: target.url, serverPid: target.pid, secret: target.secret, ...sizes.idle }),
      );
      runs.push({ ...r });
      log(`  ${protocol} run ${run}: ${r.bytes_per_socket} bytes/socket`);
    }
    results.idle_memory[protocol] = measured(runs);
  }
});

// 4. Reconnect storm.
await section('reconnect storm', async () => {
  for (const protocol of PROTOCOLS) {
    const runs: Metrics[] = [];
    const outcomes: Record<string, number>[] = [];
    for (let run = 1; run <= sizes.runs; run++) {
      const r = await withTarget(protocol, (target) =>
        runLoadgen<StormResult>('reconnect-storm', { protocol, url: target.url, serverPid: target.pid, secret: target.secret, contentLength: sizes.contentLength, ...sizes.storm }),
      );
      outcomes.push(r.resume_outcomes);
      runs.push({
        all_live_ms: r.all_live_ms,
        reconnect_p50_ms: r.reconnect.p50_ms,
        reconnect_p99_ms: r.reconnect.p99_ms,
        sent: r.sent,
        acked: r.acked,
        lost: r.lost,
        server_cpu: r.cpu_percent['server'] ?? NaN,
        loadgen_cpu: r.cpu_percent['loadgen'] ?? NaN,
        flagged: flagIfSaturated(`reconnect storm ${protocol} run ${run}`, r.cpu_percent['loadgen'] ?? 0),
      });
      log(`  ${protocol} run ${run}: all live after ${r.all_live_ms} ms, lost ${r.lost}, outcomes ${JSON.stringify(r.resume_outcomes)}`);
    }
    results.reconnect_storm[protocol] = { ...measured(runs), outcomes: outcomes.at(-1) } as never;
  }
});

// 5. REST with autocannon (Parley only: the baselines have no REST).
await section('REST', async () => {
  const r = await withTarget('parley', (target) =>
    runLoadgen<{ rooms: EndpointResult; messages: EndpointResult }>('rest', { url: target.url, serverPid: target.pid, secret: target.secret, ...sizes.rest }),
  );
  for (const [name, e] of Object.entries(r)) {
    results.rest[name] = { requests_per_s: e.requests_per_s, p50_ms: e.p50_ms, p99_ms: e.p99_ms, non_2xx: e.non_2xx, errors: e.errors, server_cpu: e.cpu_percent['server'] ?? NaN, loadgen_cpu: e.cpu_percent['loadgen'] ?? NaN };
    if (e.non_2xx > 0 || e.errors > 0) results.flags.push(`REST ${e.path}: ${e.non_2xx} non-2xx answers, ${e.errors} errors`);
    flagIfSaturated(`REST ${e.path}`, e.cpu_percent['loadgen'] ?? 0);
  }
});

// 6. Widget: bytes, and time to first message vs a bare WebSocket page.
await section('widget', async () => {
  const bundle = readFileSync(WIDGET_BUNDLE);
  results.widget['bytes_min'] = bundle.length;
  results.widget['bytes_gzip'] = gzipSync(bundle, { level: 9 }).length;
  const r = await withTarget('parley', (parley) =>
    withTarget('ws', (ws) => runLoadgen<WidgetResult>('widget', { parleyUrl: parley.url, parleySecret: parley.secret, wsUrl: ws.url, wsSecret: ws.secret, loads: sizes.widget.loads })),
  );
  const { median } = await import('./lib/report.js');
  Object.assign(results.widget, { parley_ms: r.parley_ms, bare_ws_ms: r.bare_ws_ms, parley_ms_median: median(r.parley_ms), bare_ws_ms_median: median(r.bare_ws_ms) });
});

// Database ceiling.
await section('pgbench', async () => {
  results.pgbench = await runPgbench(adminUrl, sizes.pgbench.seconds, sizes.contentLength, [
    { clients: 1, synchronous_commit: 'on' },
    { clients: 10, synchronous_commit: 'on' },
    { clients: 1, synchronous_commit: 'off' },
  ]);
});

// Where Parley's server spends its CPU under fan-out: a separate run (profiling slows the server), at the
// highest rate it sustained, so the profile shows the path that limits it.
await section('profile', async () => {
  const dir = join(mode === 'smoke' ? tmpdir() : join(BENCH_DIR, 'results'), `profile-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const rate = results.max_rate.parley?.median['max_sends_per_s'] || sizes.fanout.sendsPerSecond;
  await withTarget('parley', (target) => runLoadgen('fanout', { ...fanoutInput(target), fixed: { sendsPerSecond: rate, seconds: sizes.profile.seconds, warmupSeconds: 0 } }), dir);
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  results.profile = { file: file.replace(`${REPO_DIR}/`, ''), ...summariseProfile(file, 20), sends_per_s: rate } as never;
});

results.targets = computeTargets(results);
results.meta['finished_at'] = new Date().toISOString();
results.meta['duration_s'] = Math.round((Date.now() - startedAt.getTime()) / 1000);
results.meta['load_average_end'] = loadavg().map((v) => Math.round(v * 100) / 100);

const tables = renderTables(results);
const outFile = argValue('--out') ?? join(BENCH_DIR, 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-${mode}.json`);
mkdirSync(join(outFile, '..'), { recursive: true });
writeFileSync(outFile, JSON.stringify({ ...results, tables }, null, 2));
const m = results.meta as unknown as { machine: { nproc: number; cpu_model: string; memory_gib: number }; load_average_start: number[]; load_average_end: number[]; duration_s: number };
process.stdout.write(
  `## Parley benchmark (${mode}) — ${startedAt.toISOString()}\n` +
    `${m.machine.nproc} × ${m.machine.cpu_model}, ${m.machine.memory_gib} GiB, Node ${process.version}; load average ${m.load_average_start.join(' ')} → ${m.load_average_end.join(' ')}; ${m.duration_s} s\n` +
    `${results.meta['pinning']}\n\n${tables}\n\nJSON: ${outFile}\n`,
);
process.exit(results.errors.length ? 1 : 0);
