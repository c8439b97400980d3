/** Sections 7–10 of the report: the Parley-only scenarios (write throughput, readers, two nodes, fairness). */
import type { Sizes } from '../modes.js';
import { fmt, table } from './format.js';
import type { Results } from './results.js';
import { CEILING, COLUMNS as c, DELIVERY, stepUpTable } from './step-up-table.js';

export function parleyOnlySections(r: Results, s: Sizes): string[] {
  const out: string[] = [];
  const sectionTwo = `parley, 1 node, no readers (section 2)`;

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
      [...CEILING, c.readsSent, c.errorFrames, c.pushed, ...DELIVERY, c.serverCpu, c.loadgenCpu, c.postgresCpu],
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
      [...CEILING, ...DELIVERY, c.errorFrames, c.nodesCpu, c.loadgenCpu, c.postgresCpu, c.redisCpu],
    ),
  );
  out.push(`**Not a scale-out figure:** ${(r.meta['two_nodes'] as string | undefined) ?? ''}.`);

  if (r.fairness) {
    const f = r.fairness.median;
    const size = s.fairness;
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
  return out;
}
