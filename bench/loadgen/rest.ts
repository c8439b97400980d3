/**
 * REST under autocannon: `GET /api/v1/rooms?limit=100` for a user in `rooms` rooms (each with a last
 * message), and `GET /api/v1/rooms/:id/messages?limit=50` on a room with `messages` messages.
 */
import autocannon from 'autocannon';
import { mapLimit, mintToken, parleyRequest, signInUsers } from '../clients/fixtures.js';
import { cpuWindow } from '../lib/cpu.js';
import { answer, loadgenInput, progress, type TargetInput } from '../lib/processes.js';

export interface RestInput extends TargetInput {
  rooms: number;
  messages: number;
  seconds: number;
  connections: number;
}

export interface EndpointResult {
  path: string;
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  non_2xx: number;
  errors: number;
  cpu_percent: Record<string, number>;
}

const input = loadgenInput<RestInput>();
const owner = `rest-owner-${Date.now().toString(36)}`;
const peer = `${owner}-peer`;
await signInUsers(input.url, input.secret, [owner, peer]);
const token = mintToken(input.secret, owner);
const roomIds = await mapLimit(
  Array.from({ length: input.rooms }, (_, i) => i),
  8,
  async (i) => {
    const room = await parleyRequest<{ id: string }>(input.url, token, 'POST', '/rooms', {
      type: 'group',
      name: `rest ${i}`,
      user_ids: [peer],
    });
    await parleyRequest(input.url, token, 'POST', `/rooms/${room.id}/messages`, {
      content: `last message of room ${i}`,
    });
    return room.id;
  },
);
const historyRoom = roomIds[0]!;
await mapLimit(
  Array.from({ length: Math.max(0, input.messages - 1) }, (_, i) => i),
  8,
  (i) =>
    parleyRequest(input.url, token, 'POST', `/rooms/${historyRoom}/messages`, {
      content: `history ${i} `.padEnd(100, 'x'),
    }),
);
progress(`rest: ${input.rooms} rooms, ${input.messages} messages in one`);

async function hammer(path: string): Promise<EndpointResult> {
  const cpu = cpuWindow({ server: input.serverPid, loadgen: process.pid });
  const result = await autocannon({
    url: `${input.url}${path}`,
    connections: input.connections,
    duration: input.seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    path,
    requests_per_s: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors,
    cpu_percent: cpu.stop(),
  };
}

answer({
  rooms: await hammer('/api/v1/rooms?limit=100'),
  messages: await hammer(`/api/v1/rooms/${historyRoom}/messages?limit=50`),
});
process.exit(0);
