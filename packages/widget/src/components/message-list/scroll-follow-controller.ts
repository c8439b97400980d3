import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LocalMessage, MessageWindow, ParleyClient } from '@parley/sdk';
import { arrivedFromOthers } from './message-rows.js';

/** Within this many pixels of an edge counts as "at" it. */
const EDGE_PX = 48;

/** The message list: its client and room (another room starts again at the bottom); its scroller is `.base`. */
export interface ScrollFollowHost extends ReactiveControllerHost {
  readonly renderRoot: ParentNode;
  readonly client: ParleyClient | undefined;
  readonly roomId: string | undefined;
}

export interface ScrollFollowOptions {
  /** The room's loaded messages. */
  window(): MessageWindow;
  /** The signed-in user: their own new message always scrolls into view. */
  me(): string | null;
  /** Someone else's message arrived (called before the render that shows it). */
  onArrival(message: LocalMessage): void;
  /** After every scroll (the read marker checks whether the newest message is now in view). */
  onScroll(): void;
}

/**
 * Keeps a message list where the reader wants it: at the bottom it follows new messages (and the
 * user's own always scroll into view); scrolled up it stays put and counts what arrived below
 * (`unseen`); at the top it loads older messages and keeps the ones being read in place.
 *
 * Register it before the host's store controllers: its `hostUpdate` compares against the messages
 * the last render showed, before they resubscribe to a new client's store.
 */
export class ScrollFollowController implements ReactiveController {
  /** Messages from others that arrived while scrolled up. */
  unseen = 0;
  loadingOlder = false;
  /** Scrolled up more than a screen from the newest message: "Jump to latest" is offered. */
  farFromBottom = false;
  // `#` names: terser shortens them (it keeps property names), and widget.js has a 30 KiB budget.
  readonly #host: ScrollFollowHost;
  readonly #options: ScrollFollowOptions;
  #shownRoom: string | undefined;
  #wasAtBottom = true;
  /** The row the reader was looking at (the first one on screen) and its distance from the scroller's top. */
  #anchor: { key: string; offset: number } | undefined;
  #previousLastId: string | undefined;
  /** The room was just opened: its first loaded render starts at the "New messages" line if it is above. */
  #openingAtUnread = false;

  constructor(host: ScrollFollowHost, options: ScrollFollowOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get scroller(): HTMLElement | null {
    return this.#host.renderRoot.querySelector('.base');
  }

  isAtBottom(): boolean {
    const el = this.scroller;
    return !!el && el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX;
  }

  /** Jump to the newest message. */
  scrollToBottom(): void {
    const el = this.scroller;
    if (el) el.scrollTop = el.scrollHeight;
    this.#setUnseen(0);
  }

  /** Before render: remember where the reader was, and count news that lands out of view. */
  hostUpdate(): void {
    const roomId = this.#host.roomId;
    if (roomId !== this.#shownRoom) {
      this.#shownRoom = roomId;
      this.#wasAtBottom = true;
      this.#openingAtUnread = true;
      this.unseen = 0;
      return;
    }
    const el = this.scroller;
    if (el) {
      this.#wasAtBottom = this.isAtBottom();
      this.#anchor = this.#wasAtBottom ? undefined : this.#firstVisibleRow(el);
    }
    const arrived = arrivedFromOthers(this.#options.window().messages, this.#previousLastId, this.#options.me());
    if (!arrived) return;
    this.#options.onArrival(arrived);
    if (!this.#wasAtBottom) this.unseen += 1;
  }

  /**
   * After render: follow the bottom, or keep the row being read where it was on screen, whatever
   * changed above it (older history, a day separator, a notice, reactions). The browser's own scroll
   * anchoring is off for the scroller (`overflow-anchor: none`): it would correct a second time, and
   * not every browser has it.
   */
  hostUpdated(): void {
    const el = this.scroller;
    const messages = this.#options.window().messages;
    const last = messages[messages.length - 1];
    if (el && this.#openingAtUnread && this.#options.window().loaded) {
      this.#openingAtUnread = false;
      el.scrollTop = el.scrollHeight;
      const line = el.querySelector('.unread');
      // Opened with more unread than fits: start at the line, the oldest unread message at the top.
      if (line && line.getBoundingClientRect().top < el.getBoundingClientRect().top) {
        el.scrollTop += line.getBoundingClientRect().top - el.getBoundingClientRect().top - 8;
        this.#wasAtBottom = false;
        this.#previousLastId = last?.id;
        return;
      }
    }
    if (el) {
      const ownNew = last && last.id !== this.#previousLastId && last.sender_id === this.#options.me();
      if (this.#wasAtBottom || ownNew) {
        el.scrollTop = el.scrollHeight;
        if (ownNew) this.#setUnseen(0);
      } else if (this.#anchor) {
        const row = el.querySelector(`li[data-key="${CSS.escape(this.#anchor.key)}"]`);
        if (row) el.scrollTop += this.#offsetOf(row, el) - this.#anchor.offset;
      }
    }
    this.#previousLastId = last?.id;
  }

  #offsetOf(row: Element, scroller: HTMLElement): number {
    return row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
  }

  #firstVisibleRow(scroller: HTMLElement): { key: string; offset: number } | undefined {
    const top = scroller.getBoundingClientRect().top;
    for (const row of scroller.querySelectorAll<HTMLElement>('li[data-key]')) {
      if (row.getBoundingClientRect().bottom > top)
        return { key: row.dataset['key']!, offset: this.#offsetOf(row, scroller) };
    }
    return undefined;
  }

  /** The scroller's `scroll` listener. */
  readonly onScroll = (): void => {
    if (this.unseen && this.isAtBottom()) this.#setUnseen(0);
    const scroller = this.scroller;
    const far =
      !!scroller && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight > scroller.clientHeight;
    if (far !== this.farFromBottom) {
      this.farFromBottom = far;
      this.#host.requestUpdate();
    }
    this.#options.onScroll();
    const el = this.scroller;
    const { client, roomId } = this.#host;
    if (!el || !roomId || !client || this.loadingOlder) return;
    const { loaded, hasOlder } = this.#options.window();
    if (el.scrollTop > EDGE_PX || !loaded || !hasOlder) return;
    this.#setLoadingOlder(true);
    client
      .loadOlderMessages(roomId)
      // Scrolling up again retries; the list keeps what it has.
      .catch(() => undefined)
      .finally(() => this.#setLoadingOlder(false));
  };

  #setUnseen(count: number): void {
    if (count === this.unseen) return;
    this.unseen = count;
    this.#host.requestUpdate();
  }

  #setLoadingOlder(loading: boolean): void {
    this.loadingOlder = loading;
    this.#host.requestUpdate();
  }
}
