import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameBudget } from './frame-budget.js';
import { Timers } from './timers.js';

describe('FrameBudget', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  const budgetOf = (perSecond: number) => {
    const host = { paused: 0, restored: 0, pauseReading: () => host.paused++, budgetRestored: () => host.restored++ };
    return { budget: new FrameBudget(perSecond, new Timers(), host), host };
  };

  it('lets a burst of three seconds through without pausing', () => {
    const { budget, host } = budgetOf(10);
    for (let i = 0; i < 30; i++) budget.spend(Date.now());
    expect(host.paused).toBe(0);
    expect(budget.overdrawn).toBe(false);
  });

  it('pauses once over the burst and resumes only when all of the debt is paid', () => {
    const { budget, host } = budgetOf(10);
    // 40 frames read in one go (one TCP chunk): the first over the burst pauses, the other nine deepen the debt.
    for (let i = 0; i < 40; i++) budget.spend(Date.now());
    expect(host.paused).toBe(1);
    vi.advanceTimersByTime(999);
    expect(host.restored).toBe(0);
    expect(budget.overdrawn).toBe(true);
    vi.advanceTimersByTime(1);
    expect(host.restored).toBe(1);
    expect(budget.overdrawn).toBe(false);
  });

  it('refills at its rate: a client within its budget is never paused', () => {
    const { budget, host } = budgetOf(10);
    for (let i = 0; i < 300; i++) {
      budget.spend(Date.now());
      vi.advanceTimersByTime(100);
    }
    expect(host.paused).toBe(0);
  });
});
