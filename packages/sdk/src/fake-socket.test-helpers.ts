import type { SocketLike } from './connection.js';
import type { ClientFrame, ServerFrame } from './protocol.js';

/** An in-memory WebSocket: the test plays the server by answering what the client sends. */
export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  /** How the fake server answers `auth` (each test file sets it). */
  static onAuth: (socket: FakeSocket, frame: Extract<ClientFrame, { type: 'auth' }>) => void = () => undefined;
  /** How the fake server answers every other frame; default: nothing. */
  static onFrame: (socket: FakeSocket, frame: ClientFrame) => void = () => undefined;
  readyState = 0;
  readonly sent: ClientFrame[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.onopen?.({});
    }, 0);
  }

  send(data: string): void {
    const frame = JSON.parse(data) as ClientFrame;
    this.sent.push(frame);
    if (frame.type === 'auth') setTimeout(() => FakeSocket.onAuth(this, frame), 0);
    else setTimeout(() => FakeSocket.onFrame(this, frame), 0);
  }

  close(code = 1000): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code, reason: '' }), 0);
  }

  reply(frame: ServerFrame): void {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The server closes the socket with a close frame. */
  serverClose(code: number, reason: string): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The network dies under the socket. */
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }

  static latest(): FakeSocket {
    return FakeSocket.all[FakeSocket.all.length - 1]!;
  }
}
