import type { BusHandler, BusObserver } from './bus.js';

/**
 * This node's subscribers and delivery observers, which every bus keeps: the in-process bus hands
 * them everything published here, the Redis bus that and what the other nodes publish.
 */
export abstract class LocalSubscribers {
  protected readonly handlers = new Set<BusHandler>();
  protected readonly observers = new Set<BusObserver>();

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  observe(observer: BusObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Tells every observer that a unit was handed to every subscriber (`since`: when this node had it). */
  protected delivered(since: number): void {
    for (const observer of this.observers) observer.delivered(since);
  }
}
