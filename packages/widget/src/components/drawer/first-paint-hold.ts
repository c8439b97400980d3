import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How long the drawer's first paint may wait for something to show. */
export const FIRST_PAINT_HOLD_MS = 300;

/**
 * Holds the drawer's first paint until it has something to show (its first page of rooms, from the
 * socket or the tab's stored list; an open room; an error), for at most 300 ms. A delay that short
 * needs no progress indicator (under a second, Nielsen's response-time limits): a fast server then
 * paints the list once instead of "Loading…" and then the list, and the page does one style, layout
 * and paint pass less while it loads. Past that, the loading state shows. Once released, for good.
 */
export class FirstPaintHold implements ReactiveController {
  #held = true;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly hasContent: () => boolean,
  ) {
    host.addController(this);
  }

  /** Whether the host should render nothing yet; read in its `render()`. */
  get holding(): boolean {
    if (this.#held && this.hasContent()) this.release();
    return this.#held;
  }

  hostConnected(): void {
    if (this.#held) this.#timer ??= setTimeout(() => this.release(), FIRST_PAINT_HOLD_MS);
  }

  hostDisconnected(): void {
    // Taken off the page before it showed anything: it shows at once when it comes back.
    this.release();
  }

  release(): void {
    clearTimeout(this.#timer);
    if (!this.#held) return;
    this.#held = false;
    this.host.requestUpdate();
  }
}
