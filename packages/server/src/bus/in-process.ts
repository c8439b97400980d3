import type { BusHandler, BusMessage, EventBus } from './bus.js';

/** Single-node bus: delivers to this process's subscribers. */
export class InProcessBus implements EventBus {
  private readonly handlers = new Set<BusHandler>();

  async publish(message: BusMessage): Promise<void> {
    // Delivered on a later tick, as a networked bus would, so that nothing
    // depends on publish() running subscribers synchronously.
    queueMicrotask(() => {
      for (const handler of this.handlers) handler(message);
    });
  }

  async publishBatch(messages: readonly BusMessage[]): Promise<void> {
    queueMicrotask(() => {
      for (const message of messages) for (const handler of this.handlers) handler(message);
    });
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
