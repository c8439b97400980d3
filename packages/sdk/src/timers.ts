type Timer = ReturnType<typeof setTimeout>;

/** One-shot timers that can all be cancelled at once (a closed connection leaves none running). */
export class Timers {
  private readonly pending = new Set<Timer>();

  set(fn: () => void, ms: number): Timer {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, ms);
    this.pending.add(timer);
    return timer;
  }

  cancel(timer: Timer): void {
    clearTimeout(timer);
    this.pending.delete(timer);
  }

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
