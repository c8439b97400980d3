import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { FrameData } from './room-streams.js';

/**
 * Writes one client's frames, gathering a tick's frames into one syscall, and
 * says when the client has stopped reading (the connection then drops it).
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
  ) {}

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** More is unsent than a reading client would leave behind. */
  get behind(): boolean {
    return this.socket.bufferedAmount > this.maxBufferedBytes;
  }

  /**
   * Sends an already serialised frame (fan-out serialises once for all
   * recipients, as a Buffer, so no socket re-encodes it). The first write of a
   * tick corks the TCP socket and the end of the tick uncorks it: every frame
   * this socket gets in one tick (a batch's events, its unread count) leaves
   * in one syscall.
   */
  write(text: FrameData): void {
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
