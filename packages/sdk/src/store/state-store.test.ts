import { describe, expect, it } from 'vitest';
import { StateStore } from './state-store.js';

describe('StateStore', () => {
  it('notifies subscribers with the new and previous value and stops after unsubscribe', () => {
    const store = new StateStore({ count: 0, other: 'x' });
    const seen: Array<[number, number | undefined]> = [];
    const off = store.subscribe((value, previous) => seen.push([value.count, previous?.count]));
    store.partialNext({ count: 1 });
    off();
    store.partialNext({ count: 2 });
    expect(seen).toEqual([
      [0, undefined],
      [1, 0],
    ]);
  });

  it('runs selector listeners only when the selected value changes', () => {
    const store = new StateStore({ count: 0, other: 'x' });
    const seen: number[] = [];
    store.subscribeWithSelector(
      (s) => s.count,
      (count) => seen.push(count),
    );
    store.partialNext({ other: 'y' });
    store.partialNext({ count: 1 });
    store.next((s) => s); // same object: no notification at all
    expect(seen).toEqual([0, 1]);
  });
});
