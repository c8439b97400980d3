/**
 * Fairness (Parley only): bystanders send at a fixed, modest rate and time each send → ack, first
 * on a quiet server, then while one hostile client floods the server with `ping` frames as fast as
 * its socket drains. The figure is the bystanders' p95 under the flood over their p95 when quiet:
 * how much one client's flood costs everyone else. The flooder is bounded only by its own socket
 * (it keeps up to 1 MiB queued), so the server decides how much of its time the flood gets.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { connect, type ChatConnection } from '../clients/chat-client.js';
import { makeRooms, mapLimit, messageContent, mintToken } from '../clients/fixtures.js';
import { cpuWindow } from '../lib/cpu.js';
import { LatencyHistogram, type LatencySummary } from '../lib/histogram.js';
import { answer, loadgenInput, progress, type TargetInput } from '../lib/processes.js';

export interface FairnessInput extends TargetInput {
  /** Bystander rooms, one sender each. */
  rooms: number;
  /** Sends per second, all bystanders together. */
  sendsPerSecond: number;
  /** Length of each phase (quiet, then flooded). */
  seconds: number;
  contentLength: number;
}

export interface FairnessResult {
  quiet: LatencySummary;
  flooded: LatencySummary;
  /** flooded p95 / quiet p95. */
  p95_ratio: number;
  /** Frames the flooder got answered per second during the flood. */
  flood_frames_per_second: number;
  cpu_percent: Record<string, number>;
}

const input = loadgenInput<FairnessInput>();
const rooms = await makeRooms('parley', input.url, input.secret, `fair${Date.now().toString(36)}`, input.rooms, 2);

const sentAt = new Map<string, number>();
let histogram = new LatencyHistogram();
const senders: ChatConnection[] = await mapLimit(rooms, 4, async (room) => {
  const { connection } = await connect('parley', {
    url: input.url,
    token: mintToken(input.secret, room.members[0]!),
    rooms: [room.id],
    onEvent() {},
    onAck(ref) {
      const at = sentAt.get(ref);
      if (at === undefined) return;
      sentAt.delete(ref);
      histogram.record(performance.now() - at);
    },
  });
  return connection;
});

let next = 0;
/** Sends on a fixed schedule for `seconds`; resolves when every send of the phase is acknowledged. */
async function phase(seconds: number): Promise<LatencySummary> {
  histogram = new LatencyHistogram();
  const intervalMs = 1000 / input.sendsPerSecond;
  const endAt = performance.now() + seconds * 1000;
  let due = performance.now();
  while (performance.now() < endAt) {
    const i = next++;
    const room = rooms[i % rooms.length]!;
    const ref = String(i);
    sentAt.set(ref, performance.now());
    senders[i % rooms.length]!.send(room.id, messageContent(i, input.contentLength), ref, `fair-${i}`);
    due += intervalMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
  const deadline = performance.now() + 30_000;
  while (sentAt.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return histogram.summary();
}

await phase(1); // warm-up: plans cached, pools grown
const quiet = await phase(input.seconds);
progress(`quiet: p95 ${quiet.p95_ms} ms over ${quiet.count} sends`);

// The flooder: its own user, a raw socket, pings in bursts whenever its send buffer has room.
const flooder = new WebSocket(`${input.url.replace(/^http/, 'ws')}/api/v1/ws`);
let pongs = 0;
await new Promise<void>((resolve, reject) => {
  flooder.once('open', () => flooder.send(JSON.stringify({ type: 'auth', token: mintToken(input.secret, 'flooder') })));
  flooder.once('message', () => resolve()); // `ready`
  flooder.once('error', reject);
});
flooder.on('message', () => pongs++);
const ping = JSON.stringify({ type: 'ping' });
/** What the flooder's TCP socket has not handed to the kernel yet: the flood is bounded by it. */
const unsent = () => (flooder as unknown as { _socket: Socket })._socket.writableLength;
const flood = setInterval(() => {
  if (flooder.readyState !== WebSocket.OPEN) return;
  for (let burst = 0; burst < 20 && unsent() < 1 << 20; burst++) for (let i = 0; i < 100; i++) flooder.send(ping);
}, 1);

const cpu = cpuWindow({ server: input.serverPid, loadgen: process.pid });
const floodStartedPongs = pongs;
const floodStartedAt = performance.now();
const flooded = await phase(input.seconds);
const floodSeconds = (performance.now() - floodStartedAt) / 1000;
const cpuPercent = cpu.stop();
clearInterval(flood);
flooder.terminate();
for (const sender of senders) sender.close();
progress(`flooded: p95 ${flooded.p95_ms} ms over ${flooded.count} sends`);

answer({
  quiet,
  flooded,
  p95_ratio: Math.round((flooded.p95_ms / Math.max(quiet.p95_ms, 0.001)) * 100) / 100,
  flood_frames_per_second: Math.round((pongs - floodStartedPongs) / floodSeconds),
  cpu_percent: cpuPercent,
} satisfies FairnessResult);
process.exit(0);
