/**
 * Parley benchmark (issues 9 and 12): Parley and its baselines side by side, one run, one machine.
 *
 *   npm run bench          full: three runs per measure, median reported (~15 min)
 *   npm run bench:quick    one short run (~3 min on 2 cores; sections 7–9 add ~1 min)
 *   node --import tsx bench/run.ts --mode smoke [--out file.json]   seconds; CI proves it runs
 *   … --only throughput,max-rate,readers,two-nodes   just these sections (keys below)
 *   BENCH_CPU_PROFILE_DIR=dir … --only rest          every server started writes a CPU profile to dir
 *
 * Sections (key): 1 fan-out at a fixed rate (fanout), 2 max sustained delivered msgs/s (max-rate),
 * 3 idle memory (idle), 4 reconnect storm (storm), 5 REST (rest), 6 widget (widget), the pgbench
 * ceiling (pgbench), the CPU profile (profile), 10 fairness (fairness: loadgen/fairness.ts, bystanders'
 * send→ack p95 while one client floods frames, over their quiet p95), and three Parley-only step-ups that reuse
 * loadgen/fanout.ts:
 *   7 (throughput)  persisted write throughput: `sizes.throughput.rooms` direct rooms of 2 users, every
 *                   user a sender on its own socket, the offered rate stepped up until send→ack p99
 *                   > 100 ms; figure = acked sends/s of the best passing step, divided by pgbench -c 1.
 *   8 (readers)     section 2 where every member marks each message from someone else read (`read`
 *                   frame); figure / section 2's Parley figure. Error frames are counted and shown.
 *   9 (two-nodes)   section 2 on two `parley serve` nodes sharing one scratch database and Redis
 *                   (REDIS_URL, default redis://127.0.0.1:6379; random REDIS_PREFIX per run), each room's
 *                   members split between them; node A on core 0, node B on core 1, the load generator
 *                   unpinned. On a 2-core machine the ratio to one node cannot show real scale-out.
 * Every step-up run also checks correctness: each ack is one row in chat_messages (no client_id
 * twice), nothing acked goes undelivered, nothing arrives twice (a run that breaks it is flagged and
 * its target is not met). The readers and two-node ratios need section 2 in the same run.
 *
 * Servers under test run as separate processes pinned to core 0, load generators (and pgbench,
 * Chromium) to core 1 (section 9 excepted). PostgreSQL and Redis are machine services and are not
 * pinned. Needs the build (`npm run build`), PostgreSQL at DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), Redis (section 9), pgbench, and Chromium for the widget
 * measure. Prints Markdown tables; writes bench/results/<date>-<mode>.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Protocol } from './clients/chat-client.js';
import { SATURATED_PERCENT } from './lib/cpu.js';
import { SIZES, parseMode } from './lib/modes.js';
import {
  pinned,
  BENCH_DIR,
  LOADGEN_CORE,
  REPO_DIR,
  runLoadgen,
  SERVER_CORE,
  type LoadgenOptions,
} from './lib/processes.js';
import { runPgbench } from './lib/pgbench.js';
import {
  computeTargets,
  measured,
  PROTOCOLS,
  renderTables,
  type Metrics,
  type Results,
  type StepUpMeasured,
} from './lib/report.js';
import { DEFAULT_DATABASE_URL, type ScratchDatabase } from './lib/scratch-db.js';
import { PARLEY_CLI, startParleyCluster, startTarget, type RunningCluster, type RunningTarget } from './lib/targets.js';
import { summariseProfile } from './profile/summarise.js';
import type { FanoutInput, FanoutResult, PhaseResult, RunTotals } from './loadgen/fanout.js';
import type { IdleResult } from './loadgen/idle-sockets.js';
import type { StormResult } from './loadgen/reconnect-storm.js';
import type { FairnessResult } from './loadgen/fairness.js';
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
const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const WIDGET_BUNDLE = join(REPO_DIR, 'packages/widget/dist/widget.js');

for (const built of [PARLEY_CLI, WIDGET_BUNDLE]) {
  if (!existsSync(built)) {
    process.stderr.write(`${built} is missing: run \`npm run build\` first\n`);
    process.exit(2);
  }
}

const startedAt = new Date();
const log = (message: string) =>
  process.stderr.write(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
const cpuModel =
  /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';

const results: Results = {
  meta: {
    mode,
    command:
      mode === 'full'
        ? 'npm run bench'
        : mode === 'quick'
          ? 'npm run bench:quick'
          : 'node --import tsx bench/run.ts --mode smoke',
    started_at: startedAt.toISOString(),
    machine: { nproc: cpus().length, cpu_model: cpuModel, memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10 },
    node: process.version,
    load_average_start: loadavg().map((v) => Math.round(v * 100) / 100),
    pinning:
      pinned(0, 'x', [])[0] === 'x'
        ? 'taskset not found: nothing pinned'
        : 'servers under test: core 0; load generators, pgbench, Chromium: core 1; PostgreSQL, Redis: not pinned (machine services); ' +
          'section 9 (two nodes): node A core 0, node B core 1, its load generator not pinned',
    parley:
      'one node, in-process bus (no REDIS_URL), PostgreSQL scratch database per server, fsync and synchronous_commit on (section 9 excepted)',
    two_nodes:
      `section 9: two \`parley serve\` processes on one scratch database and Redis (${redisUrl.replace(/\/\/[^@]*@/, '//')}, a random REDIS_PREFIX per run), ` +
      `node A pinned to core ${SERVER_CORE}, node B to core ${LOADGEN_CORE}, its load generator NOT pinned (it shares the cores with both nodes, PostgreSQL and Redis); ` +
      `the one-node figure it is divided by had a core of its own for its load generator. With ${cpus().length} cores the ratio cannot show real scale-out: it shows what the Redis bus costs and whether two nodes work, not what a second machine would add`,
    sizes,
  },
  fanout: {},
  max_rate: {},
  write_throughput: null,
  readers: null,
  two_nodes: null,
  fairness: null,
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

async function using<S extends { stop(): Promise<void> }, T>(
  started: Promise<S>,
  fn: (server: S) => Promise<T>,
): Promise<T> {
  const server = await started;
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/** BENCH_CPU_PROFILE_DIR: every server started writes a CPU profile there (e.g. with `--only rest`). */
const everyTargetProfileDir = process.env['BENCH_CPU_PROFILE_DIR'];

const withTarget = <T>(
  protocol: Protocol,
  fn: (target: RunningTarget) => Promise<T>,
  cpuProfileDir = everyTargetProfileDir,
): Promise<T> =>
  using(startTarget(protocol, { adminDatabaseUrl: adminUrl, ...(cpuProfileDir ? { cpuProfileDir } : {}) }), fn);

/** Node A on the server core, node B on the load-generator core (see `meta.two_nodes`). */
const withCluster = <T>(fn: (cluster: RunningCluster) => Promise<T>): Promise<T> =>
  using(startParleyCluster({ adminDatabaseUrl: adminUrl, redisUrl, cores: [SERVER_CORE, LOADGEN_CORE] }), fn);

/** `--only max-rate,readers`: run just these sections (keys as in `section` calls); the others' figures stay empty. */
const only = argValue('--only')
  ?.split(',')
  .map((key) => key.trim());

async function section(key: string, name: string, fn: () => Promise<void>): Promise<void> {
  if (only && !only.includes(key)) return;
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
  results.flags.push(
    `${what}: load generator at ${loadgenCpu}% of its core (> ${SATURATED_PERCENT}%): run left out of the median when a clean run exists`,
  );
  return 1;
}

const fanoutInput = (target: RunningTarget): FanoutInput => ({
  protocol: target.protocol,
  nodes: [{ url: target.url, pid: target.pid }],
  secret: target.secret,
  rooms: sizes.fanout.rooms,
  members: sizes.fanout.members,
  contentLength: sizes.contentLength,
});

const maxRateSteps = { ...sizes.maxRate, p99LimitMs: sizes.p99LimitMs };

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
async function fanoutChecked(
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
async function stepUpRuns(
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

// 1. Fan-out latency at a fixed offered rate.
await section('fanout', 'fan-out at fixed load', async () => {
  for (const protocol of PROTOCOLS) {
    const runs: Metrics[] = [];
    for (let run = 1; run <= sizes.runs; run++) {
      const what = `fan-out ${protocol} run ${run}`;
      runs.push(
        await withTarget(protocol, async (target) => {
          const { result: r, persisted } = await fanoutChecked(
            { ...fanoutInput(target), fixed: sizes.fanout },
            target.database,
            what,
          );
          const phase = r.fixed!;
          return {
            ...phase.latency,
            delivered_per_s: phase.delivered_per_s,
            undelivered: phase.undelivered,
            acked: r.totals.acked,
            persisted: persisted['persisted'] ?? NaN,
            lost: r.totals.lost,
            duplicated: r.totals.duplicated,
            ...cpuOf(phase),
            flagged: flagIfSaturated(what, phase.cpu_percent['loadgen'] ?? 0),
          };
        }),
      );
      log(`  ${protocol} run ${run}: p50 ${runs.at(-1)!['p50_ms']} ms p99 ${runs.at(-1)!['p99_ms']} ms`);
    }
    results.fanout[protocol] = measured(runs);
  }
});

// 2. Maximum sustained delivered msgs/s with p99 ≤ 100 ms.
await section('max-rate', 'max sustained delivered msgs/s', async () => {
  for (const protocol of PROTOCOLS) {
    results.max_rate[protocol] = await stepUpRuns(`max rate ${protocol}`, (what) =>
      withTarget(protocol, (target) =>
        fanoutChecked({ ...fanoutInput(target), steps: maxRateSteps }, target.database, what),
      ),
    );
  }
});

// 3. Memory per idle authenticated socket.
await section('idle', 'idle memory per socket', async () => {
  for (const protocol of PROTOCOLS) {
    const runs: Metrics[] = [];
    for (let run = 1; run <= sizes.runs; run++) {
      const r = await withTarget(protocol, (target) =>
        runLoadgen<IdleResult>('idle-sockets', {
          protocol,
          url: target.url,
          serverPid: target.pid,
          secret: target.secret,
          ...sizes.idle,
        }),
      );
      runs.push({ ...r });
      log(`  ${protocol} run ${run}: ${r.bytes_per_socket} bytes/socket`);
    }
    results.idle_memory[protocol] = measured(runs);
  }
});

// 4. Reconnect storm.
await section('storm', 'reconnect storm', async () => {
  for (const protocol of PROTOCOLS) {
    const runs: Metrics[] = [];
    const outcomes: Record<string, number>[] = [];
    for (let run = 1; run <= sizes.runs; run++) {
      const r = await withTarget(protocol, (target) =>
        runLoadgen<StormResult>('reconnect-storm', {
          protocol,
          url: target.url,
          serverPid: target.pid,
          secret: target.secret,
          contentLength: sizes.contentLength,
          ...sizes.storm,
        }),
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
      log(
        `  ${protocol} run ${run}: all live after ${r.all_live_ms} ms, lost ${r.lost}, outcomes ${JSON.stringify(r.resume_outcomes)}`,
      );
    }
    results.reconnect_storm[protocol] = { ...measured(runs), outcomes: outcomes.at(-1) };
  }
});

// 5. REST with autocannon (Parley only: the baselines have no REST).
await section('rest', 'REST', async () => {
  const r = await withTarget('parley', (target) =>
    runLoadgen<{ rooms: EndpointResult; messages: EndpointResult }>('rest', {
      url: target.url,
      serverPid: target.pid,
      secret: target.secret,
      ...sizes.rest,
    }),
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
});

// 6. Widget: bytes, and time to first message vs a bare WebSocket page.
await section('widget', 'widget', async () => {
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
  const { median } = await import('./lib/report.js');
  Object.assign(results.widget, {
    parley_ms: r.parley_ms,
    bare_ws_ms: r.bare_ws_ms,
    parley_ms_median: median(r.parley_ms),
    bare_ws_ms_median: median(r.bare_ws_ms),
  });
});

// 7. Persisted write throughput: many 1:1 senders, gated by send→ack latency (Parley only).
await section('throughput', 'persisted write throughput', async () => {
  const { rooms, ...steps } = sizes.throughput;
  results.write_throughput = await stepUpRuns('write throughput', (what) =>
    withTarget('parley', (target) =>
      fanoutChecked(
        {
          ...fanoutInput(target),
          rooms,
          members: 2,
          roomType: 'direct',
          steps: { ...steps, p99LimitMs: sizes.p99LimitMs, gate: 'ack' },
        },
        target.database,
        what,
      ),
    ),
  );
});

// 8. Section 2 with readers: every member marks what it receives read (Parley only).
await section('readers', 'max delivered msgs/s with readers', async () => {
  results.readers = await stepUpRuns('readers', (what) =>
    withTarget('parley', (target) =>
      fanoutChecked({ ...fanoutInput(target), readers: true, steps: maxRateSteps }, target.database, what),
    ),
  );
});

// 9. Section 2 on two Parley nodes sharing PostgreSQL and Redis, every room's members split between them.
await section('two-nodes', 'two nodes on Redis', async () => {
  results.two_nodes = await stepUpRuns('two nodes', (what) =>
    withCluster((cluster) =>
      fanoutChecked(
        {
          ...fanoutInput(cluster.nodes[0]!),
          nodes: cluster.nodes.map((node) => ({ url: node.url, pid: node.pid })),
          services: ['redis-server'],
          steps: maxRateSteps,
        },
        cluster.database,
        what,
        { core: null },
      ),
    ),
  );
});

// Database ceiling.
// 10. Fairness: bystanders' send→ack p95 while one client floods frames (Parley only).
await section('fairness', 'fairness', async () => {
  const runs: Metrics[] = [];
  for (let run = 1; run <= sizes.runs; run++) {
    // The product's default frame budget (empty = default), not the bench's lifted one.
    const server = startTarget('parley', { adminDatabaseUrl: adminUrl, env: { PARLEY_SOCKET_FRAMES_PER_SECOND: '' } });
    const r = await using(server, (target) =>
      runLoadgen<FairnessResult>('fairness', {
        url: target.url,
        serverPid: target.pid,
        secret: target.secret,
        contentLength: sizes.contentLength,
        ...sizes.fairness,
      }),
    );
    runs.push({
      quiet_p95_ms: r.quiet.p95_ms,
      flooded_p95_ms: r.flooded.p95_ms,
      p95_ratio: r.p95_ratio,
      flood_frames_per_second: r.flood_frames_per_second,
      server_cpu: r.cpu_percent['server'] ?? NaN,
      loadgen_cpu: r.cpu_percent['loadgen'] ?? NaN,
      flagged: flagIfSaturated(`fairness run ${run}`, r.cpu_percent['loadgen'] ?? 0),
    });
    log(`  run ${run}: p95 ${r.quiet.p95_ms} ms quiet, ${r.flooded.p95_ms} ms flooded (${r.p95_ratio}×)`);
  }
  results.fairness = measured(runs);
});

await section('pgbench', 'pgbench', async () => {
  results.pgbench = await runPgbench(adminUrl, sizes.pgbench.seconds, sizes.contentLength, [
    { clients: 1, synchronous_commit: 'on' },
    { clients: 10, synchronous_commit: 'on' },
    { clients: 1, synchronous_commit: 'off' },
  ]);
});

// Where Parley's server spends its CPU under fan-out: a separate run (profiling slows the server), at the
// highest rate it sustained, so the profile shows the path that limits it.
await section('profile', 'profile', async () => {
  const dir = join(
    mode === 'smoke' ? tmpdir() : join(BENCH_DIR, 'results'),
    `profile-${startedAt.toISOString().replace(/[:.]/g, '-')}`,
  );
  mkdirSync(dir, { recursive: true });
  const rate = results.max_rate.parley?.median['max_sends_per_s'] || sizes.fanout.sendsPerSecond;
  await withTarget(
    'parley',
    (target) =>
      runLoadgen('fanout', {
        ...fanoutInput(target),
        fixed: { sendsPerSecond: rate, seconds: sizes.profile.seconds, warmupSeconds: 0 },
      }),
    dir,
  );
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  results.profile = {
    file: file.replace(`${REPO_DIR}/`, ''),
    ...summariseProfile(file, 20),
    sends_per_s: rate,
  } as never;
});

results.targets = computeTargets(results);
results.meta['finished_at'] = new Date().toISOString();
results.meta['duration_s'] = Math.round((Date.now() - startedAt.getTime()) / 1000);
results.meta['load_average_end'] = loadavg().map((v) => Math.round(v * 100) / 100);

const tables = renderTables(results);
const outFile =
  argValue('--out') ?? join(BENCH_DIR, 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-${mode}.json`);
mkdirSync(join(outFile, '..'), { recursive: true });
writeFileSync(outFile, JSON.stringify({ ...results, tables }, null, 2));
const m = results.meta as unknown as {
  machine: { nproc: number; cpu_model: string; memory_gib: number };
  load_average_start: number[];
  load_average_end: number[];
  duration_s: number;
};
process.stdout.write(
  `## Parley benchmark (${mode}) — ${startedAt.toISOString()}\n` +
    `${m.machine.nproc} × ${m.machine.cpu_model}, ${m.machine.memory_gib} GiB, Node ${process.version}; load average ${m.load_average_start.join(' ')} → ${m.load_average_end.join(' ')}; ${m.duration_s} s\n` +
    `${String(results.meta['pinning'])}\n\n${tables}\n\nJSON: ${outFile}\n`,
);
process.exit(results.errors.length ? 1 : 0);
