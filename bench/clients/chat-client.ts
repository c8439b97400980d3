/**
 * One chat connection as a load generator sees it, for each target: Parley's raw socket protocol,
 * the bare `ws` baseline (same frames), and Socket.IO. Only what the scenarios need: connect and
 * authenticate, send, mark read (Parley), hear `message.created` events, and drop the TCP connection
 * then come back (with Parley's resume map; Socket.IO recovers by itself).
 */
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

export type Protocol = 'parley' | 'ws' | 'socketio';

export interface MessageEventInfo {
  roomId: string;
  seq: number;
  content: string;
}

export interface ConnectOptions {
  /** The server's base URL (http://host:port). */
  url: string;
  token: string;
  /** Rooms the baselines join on connect (Parley knows its rooms from the database). */
  rooms: string[];
  /** Parley resume map: last seq seen per room. */
  resume?: Record<string, number>;
  onEvent(event: MessageEventInfo): void;
  onAck?(ref: string): void;
  /** Socket-level failures after connect (for the report; the connection may come back). */
  onError?(error: Error): void;
  /** Raw sockets: an `error` frame from the server (its text); without this handler it goes to `onError`. */
  onErrorFrame?(text: string): void;
  /** Raw sockets: any other frame after `ready` (e.g. Parley's `reads` and `unread` pushes), unparsed. */
  onOtherFrame?(text: string): void;
}

/** What the server said when (re)connecting finished. */
export interface ReadyInfo {
  /** Parley: per-room resume outcome; Socket.IO: whether state recovery worked. */
  resume: Record<string, string>;
  recovered: boolean | null;
}

export interface ChatConnection {
  send(roomId: string, content: string, ref: string, clientId: string): void;
  /** Parley's `read` frame: everything up to `seq` in the room is read (no answer on success, an `error` frame on failure). */
  read(roomId: string, seq: number): void;
  /** Drop the TCP connection abruptly (no close handshake), then connect again; resolves when ready. */
  dropAndReconnect(resume?: Record<string, number>): Promise<ReadyInfo>;
  close(): void;
}

export function connect(
  protocol: Protocol,
  options: ConnectOptions,
): Promise<{ connection: ChatConnection; ready: ReadyInfo }> {
  return protocol === 'socketio' ? connectSocketIo(options) : connectRawSocket(protocol, options);
}

/**
 * Extracts room, seq and content from a `message.created` event without JSON.parse: the load
 * generator parses tens of thousands of these a second and must not become the bottleneck.
 * Content is made by the bench (`bm:<index>:<padding>`), so it holds no quotes or escapes.
 */
export function parseMessageCreated(text: string): MessageEventInfo | null {
  if (!text.startsWith('{"type":"event"') || !text.includes('"kind":"message.created"')) return null;
  const roomAt = text.indexOf('"room_id":"') + 11;
  const seqAt = text.indexOf('"seq":') + 6;
  const contentAt = text.indexOf('"content":"') + 11;
  return {
    roomId: text.slice(roomAt, text.indexOf('"', roomAt)),
    seq: parseInt(text.slice(seqAt, seqAt + 16), 10),
    content: text.slice(contentAt, text.indexOf('"', contentAt)),
  };
}

function connectRawSocket(
  protocol: 'parley' | 'ws',
  options: ConnectOptions,
): Promise<{ connection: ChatConnection; ready: ReadyInfo }> {
  const socketUrl = `${options.url.replace(/^http/, 'ws')}/api/v1/ws`;
  let ws: WebSocket;

  const open = (resume: Record<string, number> | undefined) =>
    new Promise<ReadyInfo>((resolve, reject) => {
      const socket = new WebSocket(socketUrl, { perMessageDeflate: false });
      ws = socket;
      let ready = false;
      socket.once('open', () => {
        const auth =
          protocol === 'parley'
            ? { type: 'auth', token: options.token, resume: resume ?? {} }
            : { type: 'auth', token: options.token, rooms: options.rooms };
        socket.send(JSON.stringify(auth));
      });
      socket.on('message', (data: Buffer) => {
        const text = data.toString();
        const event = parseMessageCreated(text);
        if (event) return options.onEvent(event);
        if (text.startsWith('{"type":"ack"')) {
          const refAt = text.indexOf('"ref":"') + 7;
          options.onAck?.(text.slice(refAt, text.indexOf('"', refAt)));
          return;
        }
        if (text.startsWith('{"type":"ready"')) {
          ready = true;
          const frame = JSON.parse(text) as { resume?: Record<string, string> };
          resolve({ resume: frame.resume ?? {}, recovered: null });
          return;
        }
        if (text.startsWith('{"type":"error"')) {
          if (options.onErrorFrame) options.onErrorFrame(text);
          else options.onError?.(new Error(text));
          return;
        }
        options.onOtherFrame?.(text);
      });
      socket.once('error', (err) => (ready ? options.onError?.(err) : reject(err)));
      socket.once('close', (code) => {
        if (!ready) reject(new Error(`closed ${code} before ready`));
      });
    });

  const connection: ChatConnection = {
    send(roomId, content, ref, clientId) {
      ws.send(JSON.stringify({ type: 'send', room_id: roomId, content, client_id: clientId, ref }));
    },
    read(roomId, seq) {
      // Room ids are UUIDs: no escaping needed, and no JSON.stringify on this hot path.
      ws.send(`{"type":"read","room_id":"${roomId}","seq":${seq}}`);
    },
    dropAndReconnect(resume) {
      ws.terminate();
      return open(resume);
    },
    close() {
      ws.terminate();
    },
  };
  return open(options.resume).then((ready) => ({ connection, ready }));
}

function connectSocketIo(options: ConnectOptions): Promise<{ connection: ChatConnection; ready: ReadyInfo }> {
  // forceNew: one engine per client (the default multiplexes every io() to one URL over one socket).
  // Reconnect at once, like the Parley load generator does, so both storms measure the server.
  const socket: Socket = io(options.url, {
    transports: ['websocket'],
    forceNew: true,
    auth: { token: options.token, rooms: options.rooms },
    reconnectionDelay: 1,
    reconnectionDelayMax: 1,
    randomizationFactor: 0,
  });
  socket.on('event', (event: { room_id: string; seq: number; data: { message: { content: string } } }) =>
    options.onEvent({ roomId: event.room_id, seq: event.seq, content: event.data.message.content }),
  );
  const nextConnect = () =>
    new Promise<ReadyInfo>((resolve, reject) => {
      const onConnect = () => {
        socket.off('connect_error', onError);
        resolve({ resume: {}, recovered: socket.recovered });
      };
      const onError = (err: Error) => {
        // The manager retries by itself while the socket is active; a refused handshake ends it.
        if (!socket.active) {
          socket.off('connect', onConnect);
          reject(err);
        }
      };
      socket.once('connect', onConnect);
      socket.on('connect_error', onError);
    });

  const connection: ChatConnection = {
    send(roomId, content, ref, clientId) {
      socket.emit('send', { room_id: roomId, content, client_id: clientId }, () => options.onAck?.(ref));
    },
    read() {
      throw new Error('read receipts are a Parley frame: the Socket.IO baseline has none');
    },
    dropAndReconnect() {
      const reconnected = nextConnect();
      // The engine's underlying `ws` socket: terminating it is a TCP drop the manager recovers from.
      const transport = (socket.io.engine as unknown as { transport: { ws?: WebSocket } }).transport;
      if (transport.ws) transport.ws.terminate();
      else socket.io.engine.close();
      return reconnected;
    },
    close() {
      socket.disconnect();
    },
  };
  return nextConnect().then((ready) => ({ connection, ready }));
}
