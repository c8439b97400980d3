/**
 * The socket's keep-alive: a ping every beat (the server's `heartbeat_seconds`), and a verdict of
 * dead when nothing at all has arrived for two beats — the TCP connection can be gone for minutes
 * before the OS notices.
 */
export class Heartbeat {
  private interval: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;

  /** Beat every `everyMs`: `ping()`, or `dead()` (once; the beat stops) when the line went silent. */
  start(everyMs: number, on: { ping: () => void; dead: () => void }): void {
    this.stop();
    this.heard();
    this.interval = setInterval(() => {
      if (Date.now() - this.lastFrameAt > everyMs * 2 + 5_000) {
        this.stop();
        on.dead();
        return;
      }
      on.ping();
    }, everyMs);
  }

  /** Something arrived: the line is alive. */
  heard(): void {
    this.lastFrameAt = Date.now();
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
  }
}
