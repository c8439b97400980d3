import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { moveFocus } from '../../base/roving-focus.js';

/** What inside a row Tab could stop at: its actions button, reaction chips, links, the inline editor. */
const CONTROLS = 'a[href],button,textarea';

export interface RovingRowsHost extends ReactiveControllerHost {
  readonly renderRoot: ParentNode;
}

/**
 * The message list as one tab stop (a roving tabindex, WAI-ARIA APG "grid"-like): Tab enters at one
 * row — the one focused last, else the newest — and its controls; the arrow keys, Home and End move
 * between rows; Tab then leaves the list instead of walking every message's buttons. Rows are `li`
 * with `data-key`. Applied to the DOM after each render (and on focus), so templates stay unaware.
 */
export class RovingRowsController implements ReactiveController {
  /** The row key that holds the tab stop; unset, the newest row. */
  #stop: string | undefined;
  readonly #host: RovingRowsHost;

  constructor(host: RovingRowsHost) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdated(): void {
    this.#apply();
  }

  #rows(): HTMLElement[] {
    return [...this.#host.renderRoot.querySelectorAll<HTMLElement>('li[data-key]')];
  }

  #apply(): void {
    const rows = this.#rows();
    const active = rows.find((row) => row.dataset['key'] === this.#stop) ?? rows.at(-1);
    for (const row of rows) {
      const index = row === active ? 0 : -1;
      row.tabIndex = index;
      for (const control of row.querySelectorAll<HTMLElement>(CONTROLS)) control.tabIndex = index;
    }
    // With rows to stand in, the scroller itself is no tab stop of its own.
    const base = this.#host.renderRoot.querySelector<HTMLElement>('.base');
    if (base) base.tabIndex = rows.length ? -1 : 0;
  }

  /** Focus moved into a row (arrows, a click, a menu closing): that row holds the tab stop now. */
  readonly onFocusIn = (event: FocusEvent): void => {
    const row = (event.composedPath()[0] as Element).closest?.<HTMLElement>('li[data-key]');
    const key = row?.dataset['key'];
    if (!key || key === this.#stop) return;
    this.#stop = key;
    this.#apply();
  };

  /** Arrow keys, Home and End between rows, when focus is on a row itself (not in its editor or menu). */
  onKeyDown(event: KeyboardEvent): boolean {
    return moveFocus(event, this.#rows());
  }
}
