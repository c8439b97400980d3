/** The sections that run the fan-out load generator: 1 (fixed load), 2 (max rate), 7–9 (Parley-only step-ups), the profile. */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, REPO_DIR, runLoadgen } from '../lib/processes.js';
import { PROTOCOLS } from '../lib/report/results.js';
import { summariseProfile } from '../profile/summarise.js';
import {
  flagIfSaturated,
  log,
  medianOfRuns,
  mode,
  results,
  sizes,
  startedAt,
  withCluster,
  withTarget,
} from './context.js';
import { cpuOf, fanoutChecked, fanoutInput, maxRateSteps, stepUpRuns } from './step-ups.js';

/** 1. Fan-out latency at a fixed offered rate. */
export async function fanoutAtFixedLoad(): Promise<void> {
  for (const protocol of PROTOCOLS) {
    results.fanout[protocol] = await medianOfRuns(async (run) => {
      const what = `fan-out ${protocol} run ${run}`;
      const m = await withTarget(protocol, async (target) => {
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
      });
      log(`  ${protocol} run ${run}: p50 ${m['p50_ms']} ms p99 ${m['p99_ms']} ms`);
      return m;
    });
  }
}

/** 2. Maximum sustained delivered msgs/s with p99 ≤ 100 ms. */
export async function maxRate(): Promise<void> {
  for (const protocol of PROTOCOLS) {
    results.max_rate[protocol] = await stepUpRuns(`max rate ${protocol}`, (what) =>
      withTarget(protocol, (target) =>
        fanoutChecked({ ...fanoutInput(target), steps: maxRateSteps }, target.database, what),
      ),
    );
  }
}

/** 7. Persisted write throughput: many 1:1 senders, gated by send→ack latency (Parley only). */
export async function writeThroughput(): Promise<void> {
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
}

/** 8. Section 2 with readers: every member marks what it receives read (Parley only). */
export async function readers(): Promise<void> {
  results.readers = await stepUpRuns('readers', (what) =>
    withTarget('parley', (target) =>
      fanoutChecked({ ...fanoutInput(target), readers: true, steps: maxRateSteps }, target.database, what),
    ),
  );
}

/** 9. Section 2 on two Parley nodes sharing PostgreSQL and Redis, every room's members split between them. */
export async function twoNodes(): Promise<void> {
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
}

/**
 * Where Parley's server spends its CPU under fan-out: a separate run (profiling slows the server), at the
 * highest rate it sustained, so the profile shows the path that limits it.
 */
export async function profile(): Promise<void> {
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
}
