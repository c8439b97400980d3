type Listener<T> = (value: T, previous: T | undefined) => void;

/**
 * A minimal immutable state container: replace the value, never mutate it, and
 * subscribers are told. Subscribing calls the listener once with the current value.
 */
export class StateStore<T extends object> {
  private value: T;
  private readonly listeners = new Set<Listener<T>>();

  constructor(initial: T) {
    this.value = initial;
  }

  getLatestValue(): T {
    return this.value;
  }

  /** Replace the value, or derive the next value from the current one. */
  next(next: T | ((current: T) => T)): void {
    const value = typeof next === 'function' ? next(this.value) : next;
    if (value === this.value) return;
    const previous = this.value;
    this.value = value;
    for (const listener of [...this.listeners]) listener(value, previous);
  }

  partialNext(patch: Partial<T>): void {
    this.next({ ...this.value, ...patch });
  }

  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    listener(this.value, undefined);
    return () => this.listeners.delete(listener);
  }

  /** Listen to a derived value; the listener runs only when the selected value changes (by `Object.is`). */
  subscribeWithSelector<S>(
    selector: (value: T) => S,
    listener: (selected: S, previous: S | undefined) => void,
  ): () => void {
    let current: S | undefined;
    let first = true;
    return this.subscribe((value) => {
      const selected = selector(value);
      if (!first && Object.is(selected, current)) return;
      const previous = first ? undefined : current;
      first = false;
      current = selected;
      listener(selected, previous);
    });
  }
}
