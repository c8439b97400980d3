import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StateStore } from '@parley/sdk';

/**
 * Binds a component to a slice of an SDK store: subscribes while the host is connected,
 * re-renders the host when the selected value changes (by `Object.is`), unsubscribes when
 * the host leaves the DOM. Components read `controller.value` in `render()`.
 *
 * The store comes from a getter because a component's `client` (and so its stores) may be
 * set or replaced after construction: before each update the controller checks whether
 * the getter now returns a different store or selector key and resubscribes.
 */
export class StoreController<T extends object, S> implements ReactiveController {
  /** The selected value; `fallback` while there is no store. */
  value: S;
  private subscribed: StateStore<T> | undefined;
  private subscribedKey: unknown;
  private unsubscribe: (() => void) | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getStore: () => StateStore<T> | undefined,
    private readonly select: (state: T) => S,
    private readonly fallback: S,
    /** Whatever else the selector depends on (a room id); a change resubscribes. */
    private readonly getKey: () => unknown = () => undefined,
  ) {
    this.value = fallback;
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.release();
  }

  hostUpdate(): void {
    // Runs before render: picks up a new client/room set since the last update.
    this.sync();
  }

  private sync(): void {
    if (!this.connected) return;
    const store = this.getStore();
    const key = this.getKey();
    if (store === this.subscribed && Object.is(key, this.subscribedKey)) return;
    this.release();
    this.subscribed = store;
    this.subscribedKey = key;
    if (!store) {
      this.value = this.fallback;
      return;
    }
    // subscribeWithSelector calls back at once with the current value, then on each change.
    this.unsubscribe = store.subscribeWithSelector(this.select, (selected) => {
      this.value = selected;
      this.host.requestUpdate();
    });
  }

  private release(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribed = undefined;
    this.subscribedKey = undefined;
  }
}
