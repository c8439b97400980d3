import type { Timers } from './timers.js';

/** A socket's frame budget holds this many seconds' worth of frames at once (a page load's burst of reads). */
const FRAME_BURST = 3;

/** What the budget pauses and resumes: the socket's reading, which also has other reasons to pause. */
export interface FrameBudgetHost {
  pauseReading(): void;
  /** Called once the debt is paid; the host resumes unless something else still holds the socket. */
  budgetRestored(): void;
}

/**
 * One socket's frame budget (PARLEY_SOCKET_FRAMES_PER_SECOND, bursts of three times that): a token
 * bucket kept in two numbers. Over it the socket is not read until the debt is paid: what it sent
 * waits in TCP (nothing is dropped), and its flood stops costing the server, and so the others.
 */
export class FrameBudget {
  private tokens: number;
  private tokensAt = Date.now();
  /** True while the socket is paused for debt. */
  overdrawn = false;

  constructor(
    private readonly perSecond: number,
    private readonly timers: Timers,
    private readonly host: FrameBudgetHost,
  ) {
    this.tokens = perSecond * FRAME_BURST;
  }

  /** Charges one frame that was read; pauses the socket when that overdraws the budget. */
  spend(now: number): void {
    this.refill(now);
    if (--this.tokens >= 0 || this.overdrawn) return;
    this.overdrawn = true;
    this.host.pauseReading();
    this.waitOutDebt();
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.perSecond * FRAME_BURST, this.tokens + ((now - this.tokensAt) / 1000) * this.perSecond);
    this.tokensAt = now;
  }

  /**
   * Frames already in the chunk the socket was reading still arrive after pause() and deepen the
   * debt, so the wait is re-armed until all of it is paid, not only the frame that first went over.
   */
  private waitOutDebt(): void {
    this.timers.after(Math.max(1, Math.ceil((-this.tokens / this.perSecond) * 1000)), () => {
      this.refill(Date.now());
      if (this.tokens < 0) return this.waitOutDebt();
      this.overdrawn = false;
      this.host.budgetRestored();
    });
  }
}
