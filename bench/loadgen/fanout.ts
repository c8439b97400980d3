/**
 * Fan-out load generator: R rooms × M members, every member on its own socket. Sends go out on a
 * fixed schedule (open loop) whatever the server does, and each delivery's latency is measured from
 * the time the send was SCHEDULED, so a stalled server cannot hide its delays by slowing the sender.
 * Message g goes to room g mod R from member ⌊g / R⌋ mod M, so every member of every room sends in turn.
 *
 * `fixed`: one phase at the offered rate. `steps`: the rate goes up by `factor` per step until the
 * gating p99 passes the limit (`gate`: send→every delivery, or send→ack for the write-throughput
 * scenario), a delivery or an ack is missing or came twice, or the load generator saturates its core;
 * after the first failure, one more step at √(last pass × failed rate) tells the ceiling to within √factor.
 *
 * Variants: several `nodes` (member m of a room connects to node m mod n: the two-node scenario);
 * `readers` (every member marks each `message.created` from someone else read with a `read` frame,
 * as an open chat window does); `roomType: 'direct'` (2-member direct rooms).
 *
 * Correctness over the whole run: deliveries and acks are kept per (message, member) in bitmaps, so
 * duplicates are counted and never hide a loss. After the last phase it waits for stragglers, then
 * reports sends never acked, acked messages some member never received, duplicates, and every
 * `error` frame by code (a server that rejects a frame shows up here, not as a fast run).
 * Frames are matched without JSON.parse (see chat-client.ts); other pushed frames are only counted by type.
 */
import { randomUUID } from 'node:crypto';
import { connect, type ChatConnection } from '../clients/chat-client.js';
import { makeRooms, mapLimit, messageContent, messageIndex, mintToken } from '../clients/fixtures.js';
import { cpuWindow, round1, SATURATED_PERCENT } from '../lib/cpu.js';
import { LatencyHistogram } from '../lib/histogram.js';
import { answer, loadgenInput, progress } from '../lib/processes.js';
import { searchCeiling } from '../lib/step-up.js';
import type { FanoutInput, FanoutResult, PhaseResult, RunTotals } from './fanout-types.js';

const input = loadgenInput<FanoutInput>();
const R = input.rooms;
const M = input.members;
const rooms = await makeRooms(
  input.protocol,
  input.nodes[0]!.url,
  input.secret,
  `fan${Date.now().toString(36)}`,
  R,
  M,
  input.roomType,
);
progress(`${input.protocol}: ${rooms.length} rooms × ${M} members ready; connecting to ${input.nodes.length} node(s)`);

const senderOf = (index: number) => Math.floor(index / R) % M;

/** Every phase's messages, kept after it ended so stragglers still count for the totals. */
interface Phase {
  base: number;
  total: number;
  scheduled: Float64Array;
  /** One byte per (message, member). */
  delivered: Uint8Array;
  acked: Uint8Array;
}
const phases: Phase[] = [];
function phaseOf(index: number): Phase | undefined {
  for (let k = phases.length - 1; k >= 0; k--) {
    const p = phases[k]!;
    if (index >= p.base) return index < p.base + p.total ? p : undefined;
  }
  return undefined;
}

/** Arrivals of one kind (deliveries, or acks) in the phase in progress. */
interface Tally {
  count: number;
  /** Arrivals of messages after the phase's warm-up, with their latency. */
  measured: number;
  histogram: LatencyHistogram;
  lastAt: number;
}
const tally = (): Tally => ({ count: 0, measured: 0, histogram: new LatencyHistogram(), lastAt: 0 });

/** The phase in progress: its figures count only its own messages. */
interface Live {
  phase: Phase;
  recordFrom: number;
  deliveries: Tally;
  acks: Tally;
  duplicated: number;
  readsSent: number;
  errorFrames: number;
}
let live: Live | null = null;
let nextIndex = 0;
let lastActivityAt = 0;
let deliveredTotal = 0;
const totals: RunTotals = {
  sent: 0,
  acked: 0,
  unacked: 0,
  lost: 0,
  duplicated: 0,
  reads_sent: 0,
  error_frames: 0,
  error_codes: {},
  socket_errors: 0,
  other_frames: {},
};
const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/**
 * One arrival of message `index` (`slot` of the phase's bitmap `seen`): false for a duplicate; a
 * straggler of an ended phase counts for the totals only; the live phase's is tallied by `kind`.
 */
function arrived(phase: Phase, seen: Uint8Array, slot: number, index: number, kind: (l: Live) => Tally): boolean {
  const l = live;
  if (seen[slot]) {
    totals.duplicated++;
    if (l?.phase === phase) l.duplicated++;
    return false;
  }
  seen[slot] = 1;
  const now = performance.now();
  lastActivityAt = now;
  if (l?.phase !== phase) return true;
  const t = kind(l);
  t.count++;
  t.lastAt = now;
  const offset = index - phase.base;
  if (offset >= l.recordFrom) {
    t.measured++;
    t.histogram.record(now - phase.scheduled[offset]!);
  }
  return true;
}

function onDelivery(index: number, member: number): void {
  const phase = phaseOf(index);
  if (phase && arrived(phase, phase.delivered, (index - phase.base) * M + member, index, (l) => l.deliveries))
    deliveredTotal++;
}

function onAck(ref: string): void {
  const index = Number(ref);
  const phase = phaseOf(index);
  if (phase && arrived(phase, phase.acked, index - phase.base, index, (l) => l.acks)) totals.acked++;
}

const connections: ChatConnection[][] = await mapLimit(rooms, 4, async (room) =>
  mapLimit(room.members, 25, async (memberId, member) => {
    let self: ChatConnection | null = null;
    const { connection } = await connect(input.protocol, {
      url: input.nodes[member % input.nodes.length]!.url,
      token: mintToken(input.secret, memberId),
      rooms: [room.id],
      onEvent(event) {
        const index = messageIndex(event.content);
        if (input.readers && self && senderOf(index) !== member) {
          self.read(event.roomId, event.seq);
          totals.reads_sent++;
          if (live) live.readsSent++;
        }
        onDelivery(index, member);
      },
      onAck,
      onErrorFrame(text) {
        totals.error_frames++;
        if (live) live.errorFrames++;
        bump(totals.error_codes, /"code":"([^"]*)"/.exec(text)?.[1] ?? 'unknown');
      },
      onOtherFrame(text) {
        bump(totals.other_frames, text.startsWith('{"type":"') ? text.slice(9, text.indexOf('"', 9)) : 'unknown');
      },
      onError() {
        totals.socket_errors++;
      },
    });
    self = connection;
    return connection;
  }),
);
progress(`${input.protocol}: ${rooms.length * M} sockets connected`);

const cpuPids: Record<string, number> =
  input.nodes.length === 1
    ? { server: input.nodes[0]!.pid }
    : Object.fromEntries(input.nodes.map((node, i) => [`server_${String.fromCharCode(97 + i)}`, node.pid]));
cpuPids['loadgen'] = process.pid;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runPhase(sendsPerSecond: number, seconds: number, warmupSeconds: number): Promise<PhaseResult> {
  const total = Math.max(1, Math.round(sendsPerSecond * seconds));
  const recordFrom = Math.min(total - 1, Math.round(sendsPerSecond * warmupSeconds));
  const interval = 1000 / sendsPerSecond;
  const phase: Phase = {
    base: nextIndex,
    total,
    scheduled: new Float64Array(total),
    delivered: new Uint8Array(total * M),
    acked: new Uint8Array(total),
  };
  phases.push(phase);
  nextIndex += total;
  const l: Live = (live = {
    phase,
    recordFrom,
    deliveries: tally(),
    acks: tally(),
    duplicated: 0,
    readsSent: 0,
    errorFrames: 0,
  });
  const { deliveries, acks } = l;
  const expected = total * M;
  const cpu = cpuWindow(cpuPids, input.services);
  const start = performance.now() + 20;
  for (let i = 0; i < total; i++) phase.scheduled[i] = start + i * interval;

  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && phase.scheduled[i]! <= now) {
        const index = phase.base + i;
        const roomIndex = index % R;
        connections[roomIndex]![senderOf(index)]!.send(
          rooms[roomIndex]!.id,
          messageContent(index, input.contentLength),
          String(index),
          randomUUID(),
        );
        totals.sent++;
        i++;
      }
      if (i < total) setTimeout(tick, Math.max(0, phase.scheduled[i]! - performance.now()));
      else resolve();
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });

  // Drain: until every delivery and ack arrived, or nothing has arrived for 3 s (the rest are lost or stuck).
  const sendsEnd = start + total * interval;
  const hardDeadline = performance.now() + 30_000;
  while (
    (deliveries.count < expected || acks.count < total) &&
    performance.now() < hardDeadline &&
    performance.now() - Math.max(deliveries.lastAt, acks.lastAt, sendsEnd) < 3000
  ) {
    await sleep(20);
  }
  const cpuPercent = cpu.stop();
  if (input.nodes.length > 1)
    cpuPercent['server'] = round1(
      Object.entries(cpuPercent).reduce((sum, [k, v]) => (k.startsWith('server_') ? sum + v : sum), 0),
    );
  live = null;
  const measuredStart = phase.scheduled[recordFrom]!;
  const perSecond = (t: Tally) => Math.round(t.measured / (Math.max(interval, t.lastAt - measuredStart) / 1000));
  return {
    offered_sends_per_s: sendsPerSecond,
    offered_deliveries_per_s: sendsPerSecond * M,
    delivered_per_s: perSecond(deliveries),
    acked_per_s: perSecond(acks),
    latency: deliveries.histogram.summary(),
    ack_latency: acks.histogram.summary(),
    sent: total,
    acked: acks.count,
    unacked: total - acks.count,
    undelivered: expected - deliveries.count,
    duplicated: l.duplicated,
    reads_sent: l.readsSent,
    error_frames: l.errorFrames,
    cpu_percent: cpuPercent,
    loadgen_saturated: (cpuPercent['loadgen'] ?? 0) > SATURATED_PERCENT,
  };
}

/** Waits until every send so far is acked and delivered, or `quietMs` pass with nothing new (at most 30 s). */
async function drain(quietMs: number): Promise<void> {
  const hardDeadline = performance.now() + 30_000;
  lastActivityAt = Math.max(lastActivityAt, performance.now());
  while (
    (totals.acked < nextIndex || deliveredTotal < nextIndex * M) &&
    performance.now() < hardDeadline &&
    performance.now() - lastActivityAt < quietMs
  )
    await sleep(50);
}

const result: FanoutResult = { sockets: rooms.length * M, totals };
if (input.fixed) {
  result.fixed = await runPhase(input.fixed.sendsPerSecond, input.fixed.seconds, input.fixed.warmupSeconds);
  progress(
    `${input.protocol}: fixed ${JSON.stringify(result.fixed.latency)} delivered/s ${result.fixed.delivered_per_s}`,
  );
}
if (input.steps) Object.assign(result, await searchCeiling(input.steps, runPhase, drain, input.protocol));

// Stragglers of the last (failed) step: wait until every send is acked and delivered, or 3 s pass with nothing new.
await drain(3000);
totals.unacked = totals.sent - totals.acked;
for (const phase of phases) {
  for (let offset = 0; offset < phase.total; offset++) {
    if (!phase.acked[offset]) continue;
    for (let member = 0; member < M; member++) if (!phase.delivered[offset * M + member]) totals.lost++;
  }
}
progress(`${input.protocol}: totals ${JSON.stringify(totals)}`);
for (const row of connections) for (const connection of row) connection.close();
answer(result);
process.exit(0);
