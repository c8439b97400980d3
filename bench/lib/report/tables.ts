/** The report as Markdown tables (printed, and pasted into RESULTS.md). */
import type { Sizes } from '../modes.js';
import { baselineSections } from './baseline-tables.js';
import { fmt, table } from './format.js';
import { parleyOnlySections } from './parley-tables.js';
import type { Results } from './results.js';

export function renderTables(r: Results): string {
  const s = r.meta.sizes as Sizes;
  const out = [...baselineSections(r, s), ...parleyOnlySections(r, s)];

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
