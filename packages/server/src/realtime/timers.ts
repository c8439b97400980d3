/** setTimeout's ceiling: longer delays fire at once (Node clamps them to 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One socket's timers: unref'd (they never keep a process alive), all cleared when the socket goes. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        this.pending.delete(timer);
        fn();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    timer.unref();
    this.pending.add(timer);
    return timer;
  }

  clear(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.pending.delete(timer);
  }

  clearAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
