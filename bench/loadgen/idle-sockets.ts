/**
 * Memory per idle authenticated socket: the server's RSS before and after `sockets` clients (each
 * its own user) have authenticated and gone quiet, each reading after a full GC in the server;
 * (after − before) / sockets.
 */
import { connect, type ChatConnection, type Protocol } from '../clients/chat-client.js';
import { mapLimit, mintToken } from '../clients/fixtures.js';
import { rssOf } from '../lib/cpu.js';
import { answer, loadgenInput, progress, type TargetInput } from '../lib/processes.js';

export interface IdleInput extends TargetInput {
  protocol: Protocol;
  sockets: number;
  settleMs: number;
}

export interface IdleResult {
  sockets: number;
  rss_before_bytes: number;
  rss_after_bytes: number;
  bytes_per_socket: number;
  connect_seconds: number;
}

const input = loadgenInput<IdleInput>();
/** Quiet time, then a full collection in the server (bench/servers/gc-on-signal.mjs, every target alike) and a moment for it. */
const settle = async () => {
  await new Promise((r) => setTimeout(r, input.settleMs));
  process.kill(input.serverPid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 500));
};
const prefix = `idle${Date.now().toString(36)}`;
const open = (users: string[]) =>
  mapLimit(
    users,
    100,
    async (user) =>
      (await connect(input.protocol, { url: input.url, token: mintToken(input.secret, user), rooms: [], onEvent() {} }))
        .connection,
  );

// Warm-up: the first sockets load code and grow pools (a one-off cost, not a per-socket one).
const warmup = await open(Array.from({ length: Math.min(50, input.sockets) }, (_, i) => `${prefix}-warm-${i}`));
for (const connection of warmup) connection.close();
await settle();
const before = rssOf(input.serverPid);
const startedAt = performance.now();
const connections: ChatConnection[] = await open(Array.from({ length: input.sockets }, (_, i) => `${prefix}-${i}`));
const connectSeconds = (performance.now() - startedAt) / 1000;
progress(`${input.protocol}: ${connections.length} idle sockets authenticated in ${connectSeconds.toFixed(1)} s`);
await settle();
const after = rssOf(input.serverPid);
for (const connection of connections) connection.close();

answer({
  sockets: input.sockets,
  rss_before_bytes: before,
  rss_after_bytes: after,
  bytes_per_socket: Math.round((after - before) / input.sockets),
  connect_seconds: Math.round(connectSeconds * 100) / 100,
} satisfies IdleResult);
process.exit(0);
