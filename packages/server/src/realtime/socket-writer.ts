import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ServerFrame } from '@parley/sdk/protocol';
import type { FrameData } from './room-streams.js';

/**
 * Writes one client's frames: refuses once the socket is gone, drops a
 * consumer that stopped reading, and gathers a tick's frames into one syscall.
 */
export class SocketWriter {
  /** True while writes of this tick are being gathered into one syscall. */
  private corked = false;

  constructor(
    private readonly socket: WebSocket,
    /** The TCP socket under `socket`: corked per tick so a tick's frames leave in one write. */
    private readonly transport: Duplex | null,
    /** Unsent bytes past which the client counts as not reading. */
    private readonly maxBufferedBytes: number,
    /** Called (once per write refused) when the client stopped reading: close it. */
    private readonly onSlowConsumer: () => void,
  ) {}

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  /**
   * Sends an already serialised frame (fan-out serialises once for all
   * recipients, as a Buffer, so no socket re-encodes it). The first write of a
   * tick corks the TCP socket and the end of the tick uncorks it: every frame
   * this socket gets in one tick (a batch's events, its unread count) leaves
   * in one syscall.
   */
  sendText(text: FrameData): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) return this.onSlowConsumer();
    if (this.transport && !this.corked) {
      this.corked = true;
      this.transport.cork();
      process.nextTick(() => {
        this.corked = false;
        this.transport!.uncork();
      });
    }
    this.socket.send(text, { binary: false });
  }
}
