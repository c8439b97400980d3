/**
 * Baseline (a): a bare `ws` broadcast server, no database — the Node ceiling. Same wire shape as
 * Parley (first frame `auth` with a JWT, `send` → `event` to every member of the room and `ack`
 * to the sender) but nothing is stored, checked or recovered.
 *
 *   PORT=… BENCH_JWT_SECRET=… node --import tsx bench/servers/ws-broadcast.ts
 */
import { createServer } from 'node:http';
import jwt from 'jsonwebtoken';
import { WebSocketServer, type WebSocket } from 'ws';
import { messageCreatedEvent } from './chat-frames.js';

const port = Number(process.env['PORT'] ?? 0);
const secret = process.env['BENCH_JWT_SECRET'] ?? '';

const members = new Map<string, Set<WebSocket>>();
const lastSeq = new Map<string, number>();

const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
const wss = new WebSocketServer({ server: http, path: '/api/v1/ws', perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (ws) => {
  let userId: string | null = null;
  let rooms: string[] = [];
  ws.on('message', (data) => {
    let frame: {
      type?: string;
      token?: string;
      rooms?: string[];
      room_id?: string;
      content?: string;
      client_id?: string;
      ref?: string;
    };
    try {
      frame = JSON.parse((data as Buffer).toString()) as typeof frame;
    } catch {
      ws.send(JSON.stringify({ type: 'error', code: 'bad_request', message: 'not JSON' }));
      return;
    }
    if (userId === null) {
      try {
        userId = String((jwt.verify(frame.token ?? '', secret, { algorithms: ['HS256'] }) as { sub: string }).sub);
      } catch {
        ws.close(4401, 'unauthorized');
        return;
      }
      rooms = Array.isArray(frame.rooms) ? frame.rooms : [];
      for (const room of rooms) {
        let set = members.get(room);
        if (!set) members.set(room, (set = new Set()));
        set.add(ws);
      }
      ws.send(JSON.stringify({ type: 'ready', user: { id: userId } }));
      return;
    }
    if (frame.type === 'send' && frame.room_id && members.get(frame.room_id)?.has(ws)) {
      const seq = (lastSeq.get(frame.room_id) ?? 0) + 1;
      lastSeq.set(frame.room_id, seq);
      const event = messageCreatedEvent(frame.room_id, seq, userId, String(frame.content), frame.client_id ?? null);
      const serialised = JSON.stringify(event);
      for (const member of members.get(frame.room_id)!) member.send(serialised);
      ws.send(JSON.stringify({ type: 'ack', ref: frame.ref, message: event.data.message }));
    }
  });
  ws.on('close', () => {
    for (const room of rooms) members.get(room)?.delete(ws);
  });
});

http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  http.close(() => process.exit(0));
});
