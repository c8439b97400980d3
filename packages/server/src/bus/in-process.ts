import type { BusMessage, EventBus } from './bus.js';
import { LocalSubscribers } from './local-subscribers.js';

/** Single-node bus: delivers to this process's subscribers. */
export class InProcessBus extends LocalSubscribers implements EventBus {
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

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.observers.clear();
  }
}
