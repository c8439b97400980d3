/**
 * Fan-out load generator: R rooms × M members, every member on its own socket. Sends go out on a
 * fixed schedule (open loop) whatever the server does, and each delivery's latency is measured from
 * the time the send was SCHEDULED, so a stalled server cannot hide its delays by slowing the sender.
 *
 * `fixed`: one phase at the offered rate. `steps`: the rate goes up by `factor` per step until p99
 * passes the limit, a delivery is missing, or the load generator saturates its core.
 */
import { randomUUID } from 'node:crypto';
import { connect, type ChatConnection, type Protocol } from '../clients/chat-client.js';
import { makeRooms, mapLimit, messageContent, messageIndex, mintToken } from '../clients/fixtures.js';
import { cpuWindow, SATURATED_PERCENT } from '../lib/cpu.js';
import { LatencyHistogram, type LatencySummary } from '../lib/histogram.js';
import { answer, loadgenInput, progress } from '../lib/processes.js';

export interface FanoutInput {
  protocol: Protocol;
  url: string;
  serverPid: number;
  secret: string;
  rooms: number;
  members: number;
  contentLength: number;
  fixed?: { sendsPerSecond: number; seconds: number; warmupSeconds: number };
  steps?: { startSendsPerSecond: number; factor: number; maxSendsPerSecond: number; stepSeconds: number; warmupSeconds: number; p99LimitMs: number };
}

export interface PhaseResult {
  offered_sends_per_s: number;
  offered_deliveries_per_s: number;
  delivered_per_s: number;
  latency: LatencySummary;
  sent: number;
  acked: number;
  undelivered: number;
  cpu_percent: Record<string, number>;
  loadgen_saturated: boolean;
}

export interface FanoutResult {
  sockets: number;
  fixed?: PhaseResult;
  steps?: Array<PhaseResult & { passed: boolean }>;
  /** Highest delivered/s of a passing step; null when even the first step failed. */
  max_delivered_per_s?: number | null;
  max_sends_per_s?: number | null;
  stopped_by?: 'p99' | 'undelivered' | 'loadgen_saturated' | 'max_rate';
}

const input = loadgenInput<FanoutInput>();
const rooms = await makeRooms(input.protocol, input.url, input.secret, `fan${Date.now().toString(36)}`, input.rooms, input.members);
progress(`${input.protocol}: ${rooms.length} rooms × ${input.members} members ready; connecting`);

/** The phase in progress; deliveries of other phases' stragglers are ignored. */
let phase: {
  base: number;
  scheduled: Float64Array;
  recordFrom: number;
  histogram: LatencyHistogram;
  delivered: number;
  measuredDelivered: number;
  lastDeliveryAt: number;
  acked: number;
} | null = null;
let nextIndex = 0;

const connections: ChatConnection[][] = await mapLimit(rooms, 4, async (room) =>
  mapLimit(room.members, 25, async (member) => {
    const { connection } = await connect(input.protocol, {
      url: input.url,
      token: mintToken(input.secret, member),
      rooms: [room.id],
      onEvent(event) {
        const now = performance.now();
        const p = phase;
        if (!p) return;
        const offset = messageIndex(event.content) - p.base;
        if (offset < 0 || offset >= p.scheduled.length) return;
        p.delivered++;
        p.lastDeliveryAt = now;
        if (offset >= p.recordFrom) {
          p.measuredDelivered++;
          p.histogram.record(now - p.scheduled[offset]!);
        }
      },
      onAck() {
        if (phase) phase.acked++;
      },
    });
    return connection;
  }),
);
progress(`${input.protocol}: ${rooms.length * input.members} sockets connected`);

async function runPhase(sendsPerSecond: number, seconds: number, warmupSeconds: number): Promise<PhaseResult> {
  const total = Math.max(1, Math.round(sendsPerSecond * seconds));
  const recordFrom = Math.min(total - 1, Math.round(sendsPerSecond * warmupSeconds));
  const interval = 1000 / sendsPerSecond;
  const p = (phase = {
    base: nextIndex,
    scheduled: new Float64Array(total),
    recordFrom,
    histogram: new LatencyHistogram(),
    delivered: 0,
    measuredDelivered: 0,
    lastDeliveryAt: 0,
    acked: 0,
  });
  nextIndex += total;
  const expected = total * input.members;
  const cpu = cpuWindow({ server: input.serverPid, loadgen: process.pid });
  const start = performance.now() + 20;
  for (let i = 0; i < total; i++) p.scheduled[i] = start + i * interval;

  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && p.scheduled[i]! <= now) {
        const roomIndex = i % rooms.length;
        const member = Math.floor(i / rooms.length) % input.members;
        connections[roomIndex]![member]!.send(rooms[roomIndex]!.id, messageContent(p.base + i, input.contentLength), String(p.base + i), randomUUID());
        i++;
      }
      if (i < total) setTimeout(tick, Math.max(0, p.scheduled[i]! - performance.now()));
      else resolve();
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });

  // Drain: until every delivery arrived, or nothing has arrived for 3 s (the rest are lost or stuck).
  const hardDeadline = performance.now() + 30_000;
  while (p.delivered < expected && performance.now() < hardDeadline && performance.now() - Math.max(p.lastDeliveryAt, start + total * interval) < 3000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const cpuPercent = cpu.stop();
  phase = null;
  const measuredStart = p.scheduled[recordFrom]!;
  const measuredSeconds = Math.max(interval, p.lastDeliveryAt - measuredStart) / 1000;
  return {
    offered_sends_per_s: sendsPerSecond,
    offered_deliveries_per_s: sendsPerSecond * input.members,
    delivered_per_s: Math.round(p.measuredDelivered / measuredSeconds),
    latency: p.histogram.summary(),
    sent: total,
    acked: p.acked,
    undelivered: expected - p.delivered,
    cpu_percent: cpuPercent,
    loadgen_saturated: (cpuPercent['loadgen'] ?? 0) > SATURATED_PERCENT,
  };
}

const result: FanoutResult = { sockets: rooms.length * input.members };
if (input.fixed) {
  result.fixed = await runPhase(input.fixed.sendsPerSecond, input.fixed.seconds, input.fixed.warmupSeconds);
  progress(`${input.protocol}: fixed ${JSON.stringify(result.fixed.latency)} delivered/s ${result.fixed.delivered_per_s}`);
}
if (input.steps) {
  const s = input.steps;
  result.steps = [];
  result.max_delivered_per_s = null;
  result.max_sends_per_s = null;
  result.stopped_by = 'max_rate';
  // A fresh server compiles its hot paths during the first seconds: warm it at the first rate, unrecorded.
  await runPhase(s.startSendsPerSecond, s.warmupSeconds, 0);
  for (let rate = s.startSendsPerSecond; rate <= s.maxSendsPerSecond; rate = Math.round(rate * s.factor)) {
    const step = await runPhase(rate, s.stepSeconds, Math.min(0.5, s.stepSeconds / 4));
    const passed = step.undelivered === 0 && step.latency.p99_ms <= s.p99LimitMs;
    result.steps.push({ ...step, passed });
    progress(`${input.protocol}: step ${rate}/s → p99 ${step.latency.p99_ms} ms, delivered/s ${step.delivered_per_s}, undelivered ${step.undelivered}, cpu ${JSON.stringify(step.cpu_percent)}`);
    if (passed && (result.max_delivered_per_s === null || step.delivered_per_s > result.max_delivered_per_s)) {
      result.max_delivered_per_s = step.delivered_per_s;
      result.max_sends_per_s = rate;
    }
    if (!passed) {
      result.stopped_by = step.undelivered > 0 ? 'undelivered' : 'p99';
      break;
    }
    if (step.loadgen_saturated) {
      result.stopped_by = 'loadgen_saturated';
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
for (const row of connections) for (const connection of row) connection.close();
answer(result);
process.exit(0);
