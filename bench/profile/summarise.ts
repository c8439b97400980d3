/**
 * Top self-time functions of a V8 CPU profile (`node --cpu-prof` writes `.cpuprofile` JSON).
 *
 *   node --import tsx bench/profile/summarise.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  function: string;
  location: string;
  self_ms: number;
  self_percent: number;
}

/** Self time per function (summed over its call sites), heaviest first. */
/** Not work: `(idle)` is the event loop waiting; it is reported apart and left out of the percentages. */
const IDLE = '(idle)';

export function summariseProfile(path: string, top = 15): { total_ms: number; idle_ms: number; functions: SelfTime[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { fn: string; location: string; us: number }>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((nodeId, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = byNode.get(nodeId)?.callFrame;
    if (!frame) return;
    if (frame.functionName === IDLE) {
      idleUs += delta;
      return;
    }
    totalUs += delta;
    const location = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}|${location}`;
    const entry = selfUs.get(key) ?? { fn: frame.functionName || '(anonymous)', location, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  const functions = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({
      function: e.fn,
      location: e.location,
      self_ms: Math.round(e.us / 100) / 10,
      self_percent: Math.round((e.us / totalUs) * 1000) / 10,
    }));
  return { total_ms: Math.round(totalUs / 1000), idle_ms: Math.round(idleUs / 1000), functions };
}

/** `file:///…/node_modules/pg/lib/client.js` → `pg/lib/client.js`; repository files relative to the repo. */
function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  const packages = path.indexOf('/packages/');
  return packages >= 0 ? path.slice(packages + 1) : path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: summarise.ts <file.cpuprofile> [top]\n');
    process.exit(1);
  }
  const summary = summariseProfile(file, Number(top ?? 15));
  process.stdout.write(`busy ${summary.total_ms} ms, idle ${summary.idle_ms} ms\n`);
  for (const f of summary.functions)
    process.stdout.write(
      `${String(f.self_percent).padStart(5)}%  ${String(f.self_ms).padStart(8)} ms  ${f.function}  ${f.location}\n`,
    );
}
