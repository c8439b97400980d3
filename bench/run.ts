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
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { argValue, mode, results, section, startedAt, WIDGET_BUNDLE } from './harness/context.js';
import { fanoutAtFixedLoad, maxRate, profile, readers, twoNodes, writeThroughput } from './harness/fanout-sections.js';
import { fairness, idleMemory, pgbench, reconnectStorm, rest, widget } from './harness/other-sections.js';
import { BENCH_DIR } from './lib/processes.js';
import { renderTables } from './lib/report/tables.js';
import { computeTargets } from './lib/report/targets.js';
import { PARLEY_CLI } from './lib/targets.js';

for (const built of [PARLEY_CLI, WIDGET_BUNDLE]) {
  if (!existsSync(built)) {
    process.stderr.write(`${built} is missing: run \`npm run build\` first\n`);
    process.exit(2);
  }
}

/** Every section as [`--only` key, name, run], in the order they run (readers, two nodes and the profile use section 2's figures). */
const SECTIONS: Array<[key: string, name: string, run: () => Promise<void>]> = [
  ['fanout', 'fan-out at fixed load', fanoutAtFixedLoad],
  ['max-rate', 'max sustained delivered msgs/s', maxRate],
  ['idle', 'idle memory per socket', idleMemory],
  ['storm', 'reconnect storm', reconnectStorm],
  ['rest', 'REST', rest],
  ['widget', 'widget', widget],
  ['throughput', 'persisted write throughput', writeThroughput],
  ['readers', 'max delivered msgs/s with readers', readers],
  ['two-nodes', 'two nodes on Redis', twoNodes],
  ['fairness', 'fairness', fairness],
  ['pgbench', 'pgbench', pgbench],
  ['profile', 'profile', profile],
];
for (const [key, name, run] of SECTIONS) await section(key, name, run);

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
