/**
 * Reconnect storm: every client of every room drops its TCP connection at once (client side, no
 * close handshake) while one sender per room keeps sending on a fixed schedule. Measures the time
 * from the drop until every client is live again with its resume complete (Parley: `ready` with
 * the per-room outcomes; Socket.IO: `connect` after state recovery), and counts the messages a
 * client never received although the server acknowledged them.
 */
import { randomUUID } from 'node:crypto';
import { connect, type ChatConnection, type Protocol, type ReadyInfo } from '../clients/chat-client.js';
import { makeRooms, mapLimit, messageContent, messageIndex, mintToken } from '../clients/fixtures.js';
import { cpuWindow } from '../lib/cpu.js';
import { LatencyHistogram, type LatencySummary } from '../lib/histogram.js';
import { answer, loadgenInput, progress, type TargetInput } from '../lib/processes.js';

export interface StormInput extends TargetInput {
  protocol: Protocol;
  rooms: number;
  membersPerRoom: number;
  sendsPerSecond: number;
  sendSeconds: number;
  contentLength: number;
}

export interface StormResult {
  clients: number;
  /** Drop → the last client ready again with resume complete. */
  all_live_ms: number;
  reconnect: LatencySummary;
  sent: number;
  acked: number;
  /** Acknowledged messages some client never received (summed over clients). */
  lost: number;
  resume_outcomes: Record<string, number>;
  cpu_percent: Record<string, number>;
}

const input = loadgenInput<StormInput>();
// Member 0 of each room is its sender and stays connected; the others drop.
const rooms = await makeRooms(
  input.protocol,
  input.url,
  input.secret,
  `storm${Date.now().toString(36)}`,
  input.rooms,
  input.membersPerRoom + 1,
);

interface StormClient {
  roomIndex: number;
  connection: ChatConnection;
  received: Set<number>;
  lastSeq: number;
}

const acked = new Set<number>();
let lastReceivedAt = performance.now();
const senders: ChatConnection[] = [];
const clients: StormClient[] = [];
await mapLimit(rooms, 4, async (room, roomIndex) => {
  senders[roomIndex] = (
    await connect(input.protocol, {
      url: input.url,
      token: mintToken(input.secret, room.members[0]!),
      rooms: [room.id],
      onEvent() {},
      onAck: (ref) => acked.add(Number(ref)),
    })
  ).connection;
  await mapLimit(room.members.slice(1), 25, async (member) => {
    const client: StormClient = {
      roomIndex,
      connection: null as unknown as ChatConnection,
      received: new Set(),
      lastSeq: 0,
    };
    client.connection = (
      await connect(input.protocol, {
        url: input.url,
        token: mintToken(input.secret, member),
        rooms: [room.id],
        onEvent(event) {
          lastReceivedAt = performance.now();
          client.received.add(messageIndex(event.content));
          if (event.seq > client.lastSeq) client.lastSeq = event.seq;
        },
      })
    ).connection;
    clients.push(client);
  });
});
progress(`${input.protocol}: ${clients.length} clients + ${senders.length} senders connected`);

const total = Math.max(1, Math.round(input.sendsPerSecond * input.sendSeconds));
const interval = 1000 / input.sendsPerSecond;
const cpu = cpuWindow({ server: input.serverPid, loadgen: process.pid });
const start = performance.now() + 20;
const sending = new Promise<void>((resolve) => {
  let i = 0;
  const tick = () => {
    const now = performance.now();
    while (i < total && start + i * interval <= now) {
      const roomIndex = i % rooms.length;
      senders[roomIndex]!.send(rooms[roomIndex]!.id, messageContent(i, input.contentLength), String(i), randomUUID());
      i++;
    }
    if (i < total) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    else resolve();
  };
  setTimeout(tick, 20);
});

// The storm: a quarter into the send window, every client drops in the same tick.
await new Promise((r) => setTimeout(r, 20 + input.sendSeconds * 250));
const reconnectTimes = new LatencyHistogram();
const outcomes: Record<string, number> = {};
const droppedAt = performance.now();
let lastReadyAt = droppedAt;
const reconnecting: Promise<ReadyInfo>[] = clients.map((client) =>
  client.connection.dropAndReconnect({ [rooms[client.roomIndex]!.id]: client.lastSeq }),
);
await Promise.all(
  reconnecting.map((ready) =>
    ready.then((info) => {
      const at = performance.now();
      lastReadyAt = Math.max(lastReadyAt, at);
      reconnectTimes.record(at - droppedAt);
      const labels =
        info.recovered === null ? Object.values(info.resume) : [info.recovered ? 'recovered' : 'not_recovered'];
      for (const label of labels.length ? labels : ['no_resume']) outcomes[label] = (outcomes[label] ?? 0) + 1;
    }),
  ),
);
progress(
  `${input.protocol}: all ${clients.length} clients live again after ${(lastReadyAt - droppedAt).toFixed(0)} ms`,
);
await sending;

// Let deliveries settle: until every client has every acknowledged message of its room, or 10 s.
const missing = () => {
  let lost = 0;
  for (const client of clients) {
    for (const index of acked) if (index % rooms.length === client.roomIndex && !client.received.has(index)) lost++;
  }
  return lost;
};
// Every ack first; then a target that lost messages for good (no recovery) stops after 1 s without a new delivery.
const settleDeadline = performance.now() + 10_000;
while (
  (acked.size < total || (missing() > 0 && performance.now() - lastReceivedAt < 1000)) &&
  performance.now() < settleDeadline
) {
  await new Promise((r) => setTimeout(r, 100));
}
const cpuPercent = cpu.stop();

for (const connection of [...senders, ...clients.map((c) => c.connection)]) connection.close();
answer({
  clients: clients.length,
  all_live_ms: Math.round(lastReadyAt - droppedAt),
  reconnect: reconnectTimes.summary(),
  sent: total,
  acked: acked.size,
  lost: missing(),
  resume_outcomes: outcomes,
  cpu_percent: cpuPercent,
} satisfies StormResult);
process.exit(0);
