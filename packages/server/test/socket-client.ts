import WebSocket from 'ws';
import type { ServerFrame } from '@parley/sdk/protocol';

/** A test socket client that queues incoming frames and waits for the next matching one. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  /** The type of every frame received, in arrival order (for checks on order). */
  readonly arrived: string[] = [];
  private waiters: { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString()) as ServerFrame;
      this.arrived.push(frame.type);
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, { headers });
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  /** Opens a socket and authenticates; resolves with the `ready` frame. */
  static async connect(url: string, token: string): Promise<TestSocket> {
    const socket = await TestSocket.open(url);
    socket.send({ type: 'auth', token });
    await socket.next('ready');
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  next<T extends ServerFrame['type']>(
    type: T,
    where: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const match = (f: ServerFrame) => f.type === type && where(f as Extract<ServerFrame, { type: T }>);
    const i = this.frames.findIndex(match);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0] as Extract<ServerFrame, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} frame within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as Extract<ServerFrame, { type: T }>);
        },
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** The sockets a test file opens, each authenticated as a user of its own; closed together in afterAll. */
export class TestSockets {
  private readonly opened: TestSocket[] = [];

  /** `tokenOf`: the token to authenticate `connect(user)` with (by default `user` is the token itself). */
  constructor(
    private readonly url: () => string,
    private readonly tokenOf: (user: string) => string = (token) => token,
  ) {}

  async connect(user: string): Promise<TestSocket> {
    const socket = await TestSocket.connect(this.url(), this.tokenOf(user));
    this.opened.push(socket);
    return socket;
  }

  /** Sockets opened otherwise (e.g. `TestSocket.open`), to be closed with the others. */
  add(...sockets: TestSocket[]): void {
    this.opened.push(...sockets);
  }

  closeAll(): void {
    for (const socket of this.opened.splice(0)) socket.close();
  }
}
