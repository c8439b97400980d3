/**
 * Baseline (b): a Socket.IO server using rooms — what users pick instead. JWT in the handshake's
 * `auth`, rooms joined on connect, `send` (with an ack) → `event` to the room. Connection state
 * recovery is on, so a client that drops gets the events it missed (Socket.IO's resume), in memory only.
 *
 *   PORT=… BENCH_JWT_SECRET=… node --import tsx bench/servers/socketio-rooms.ts
 */
import { createServer } from 'node:http';
import jwt from 'jsonwebtoken';
import { Server } from 'socket.io';
import { messageCreatedEvent } from './chat-frames.js';

const port = Number(process.env['PORT'] ?? 0);
const secret = process.env['BENCH_JWT_SECRET'] ?? '';

const lastSeq = new Map<string, number>();
const http = createServer((req, res) => {
  if (req.url === '/healthz') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
});
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 64 * 1024,
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
});

io.use((socket, next) => {
  try {
    const auth = socket.handshake.auth as { token?: string; rooms?: string[] };
    (socket.data as { userId: string }).userId = String(
      (jwt.verify(auth.token ?? '', secret, { algorithms: ['HS256'] }) as { sub: string }).sub,
    );
    next();
  } catch {
    next(new Error('unauthorized'));
  }
});

io.on('connection', (socket) => {
  // A recovered socket is back in its rooms already, and has been sent what it missed.
  if (!socket.recovered) {
    const rooms = (socket.handshake.auth as { rooms?: string[] }).rooms;
    if (Array.isArray(rooms)) void socket.join(rooms);
  }
  socket.on(
    'send',
    (frame: { room_id?: string; content?: string; client_id?: string }, ack?: (reply: unknown) => void) => {
      if (!frame?.room_id || !socket.rooms.has(frame.room_id)) {
        ack?.({ error: { code: 'room_not_found' } });
        return;
      }
      const seq = (lastSeq.get(frame.room_id) ?? 0) + 1;
      lastSeq.set(frame.room_id, seq);
      const event = messageCreatedEvent(
        frame.room_id,
        seq,
        (socket.data as { userId: string }).userId,
        String(frame.content),
        frame.client_id ?? null,
      );
      io.to(frame.room_id).emit('event', event);
      ack?.({ message: event.data.message });
    },
  );
});

http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  void io.close(() => process.exit(0));
});
