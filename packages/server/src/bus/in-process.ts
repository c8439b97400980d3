import type { BusHandler, BusMessage, BusObserver, EventBus } from './bus.js';

/** Single-node bus: delivers to this process's subscribers. */
export class InProcessBus implements EventBus {
  private readonly handlers = new Set<BusHandler>();
  private readonly observers = new Set<BusObserver>();

  async publish(message: BusMessage): Promise<void> {
    const since = performance.now();
    // Delivered on a later tick, as a networked bus would, so that nothing
    // depends on publish() running subscribers synchronously.
    queueMicrotask(() => {
      for (const handler of this.handlers) handler(message);
      this.delivered(since);
    });
  }

  async publishBatch(messages: readonly BusMessage[]): Promise<void> {
    const since = performance.now();
    queueMicrotask(() => {
      for (const message of messages) for (const handler of this.handlers) handler(message);
      this.delivered(since);
    });
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  observe(observer: BusObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.observers.clear();
  }

  private delivered(since: number): void {
    for (const observer of this.observers) observer.delivered(since);
  }
}
