/**
 * The benchmark harness runs end to end in its tiny smoke mode: every section produces finite
 * figures, a table and a JSON file. It asserts no speed (benchmarks are not tests). Needs the
 * build, PostgreSQL (DATABASE_URL, default local), pgbench and Chromium, as `npm test` in CI has.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from './lib/processes.js';
import { PROTOCOLS, type Results } from './lib/report/results.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-bench-smoke-'));
const jsonFile = join(dir, 'smoke.json');
let exitCode: number | null = null;
let stdout = '';
let stderr = '';
let results: Results & { tables: string };

beforeAll(async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--mode', 'smoke', '--out', jsonFile], {
    cwd: REPO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  results = JSON.parse(readFileSync(jsonFile, 'utf8'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const finite = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

describe('bench smoke run', () => {
  it('exits cleanly with no section failing', () => {
    expect(results.errors, stderr.slice(-3000)).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('prints a table for every section', () => {
    for (const heading of [
      '### 1. Fan-out',
      '### 2. Maximum sustained',
      '### 3. Memory per idle',
      '### 4. Reconnect storm',
      '### 5. REST',
      '### 6. Widget',
      '### 7. Persisted write throughput',
      '### 8. Maximum delivered msgs/s with readers',
      '### 9. Two Parley nodes on Redis',
      'pgbench',
      '### Targets',
      'CPU profile',
    ]) {
      expect(stdout).toContain(heading);
    }
    expect(results.tables).toContain('| parley');
  });

  it('measures every target with finite numbers', () => {
    for (const protocol of PROTOCOLS) {
      for (const key of ['p50_ms', 'p95_ms', 'p99_ms', 'delivered_per_s', 'server_cpu', 'loadgen_cpu'])
        expect(finite(results.fanout[protocol]?.median[key]), `fanout ${protocol} ${key}`).toBe(true);
      expect(finite(results.max_rate[protocol]?.median['max_delivered_per_s']), `max rate ${protocol}`).toBe(true);
      expect(finite(results.idle_memory[protocol]?.median['bytes_per_socket']), `idle ${protocol}`).toBe(true);
      for (const key of ['all_live_ms', 'lost', 'acked'])
        expect(finite(results.reconnect_storm[protocol]?.median[key]), `storm ${protocol} ${key}`).toBe(true);
    }
    expect(results.fanout.parley?.median['persisted']).toBe(results.fanout.parley?.median['acked']);
    for (const endpoint of ['rooms', 'messages']) {
      expect(finite(results.rest[endpoint]?.['requests_per_s'])).toBe(true);
      expect(finite(results.rest[endpoint]?.['p99_ms'])).toBe(true);
    }
    for (const key of ['bytes_gzip', 'parley_ms_median', 'bare_ws_ms_median'])
      expect(finite(results.widget[key]), `widget ${key}`).toBe(true);
    expect(results.pgbench.length).toBeGreaterThan(0);
    for (const run of results.pgbench) expect(finite(run.tps)).toBe(true);
    expect(results.profile?.functions.length).toBeGreaterThan(0);
  });

  it('measures the Parley-only step-ups with finite figures and clean correctness counts', () => {
    const scenarios = {
      write_throughput: 'max_acked_per_s',
      readers: 'max_delivered_per_s',
      two_nodes: 'max_delivered_per_s',
    } as const;
    for (const [name, figure] of Object.entries(scenarios)) {
      const m = results[name as keyof typeof scenarios]?.median ?? {};
      for (const key of [figure, 'max_sends_per_s', 'server_cpu', 'loadgen_cpu'])
        expect(finite(m[key]), `${name} ${key}`).toBe(true);
      // Every ack is one row, nothing lost, duplicated or refused by the server (a `read` frame it does not know included).
      expect(m['persisted'], `${name} rows vs acks`).toBe(m['acked']);
      for (const key of ['duplicate_rows', 'unacked', 'lost', 'duplicated', 'error_frames'])
        expect(m[key], `${name} ${key}`).toBe(0);
    }
    expect(results.readers?.median['reads_sent']).toBeGreaterThan(0);
    expect(finite(results.two_nodes?.median['server_b_cpu'])).toBe(true);
  });

  it('reports a finite ratio for every target', () => {
    expect(results.targets).toHaveLength(10);
    for (const target of results.targets) expect(finite(target.ratio), target.name).toBe(true);
  });
});
