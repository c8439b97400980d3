import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { EMPTY_WINDOW, type LocalMessage, type MessageWindow, type ParleyClient, type Room } from '@parley/sdk';
import { MessagingElement } from '../../base/messaging-element.js';
import { StoreController } from '../../base/store-controller.js';
import { formatFullTime, formatShortTime } from '../../format-time.js';
import { defaultStrings, format, type MessagingStrings } from '../../i18n.js';
import styles from './message-list.styles.js';

/** Within this many pixels of an edge counts as "at" it. */
const EDGE_PX = 48;

/**
 * @summary One room's messages from the SDK's messages store, oldest first, live.
 * Message text is always rendered through text bindings: markup in a message stays text.
 * Scrolled to the top it loads older messages; at the bottom it follows new ones.
 *
 * @csspart base - The scrolling container (`role="log"`).
 * @csspart message - Each message row; also `message--own`, `message--pending`, `message--failed`, `message--deleted`.
 * @csspart sender - The sender's name (first message of a run by one sender).
 * @csspart bubble - The message text.
 * @csspart meta - Time and delivery state under the bubble.
 * @csspart time - The `<time>` element.
 * @csspart status - "Sending…" / "Not sent".
 * @csspart retry-button - Retries a failed send.
 * @csspart notice - Loading / empty / loading-older notices.
 *
 * @cssproperty --messaging-color-bubble-own - Background of the user's own messages.
 * @cssproperty --messaging-color-on-bubble-own - Text on own messages.
 * @cssproperty --messaging-color-bubble-other - Background of other people's messages.
 * @cssproperty --messaging-color-on-bubble-other - Text on other people's messages.
 * @cssproperty --messaging-color-danger - Failed state.
 */
export class MessagingMessageList extends MessagingElement {
  static override styles = styles;
  static override properties = {
    client: { attribute: false },
    roomId: { attribute: 'room-id' },
    room: { attribute: false },
    strings: { attribute: false },
    locale: {},
    loadingOlder: { state: true },
  };

  declare client: ParleyClient | undefined;
  declare roomId: string | undefined;
  /** The room (for participant names); optional. */
  declare room: Room | undefined;
  declare strings: MessagingStrings;
  declare locale: string | undefined;
  declare loadingOlder: boolean;

  private readonly window = new StoreController(
    this,
    () => this.client?.stores.messages,
    (s) => (this.roomId ? s.byRoom[this.roomId] : undefined) ?? EMPTY_WINDOW,
    EMPTY_WINDOW as MessageWindow,
    () => this.roomId,
  );
  private readonly session = new StoreController(this, () => this.client?.stores.session, (s) => s.user?.id ?? null, null);
  private wasAtBottom = true;
  private previousHeight = 0;
  private previousFirstId: string | undefined;
  private previousLastId: string | undefined;

  constructor() {
    super();
    this.strings = defaultStrings;
    this.loadingOlder = false;
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.base');
  }

  /** Jump to the newest message. */
  scrollToBottom(): void {
    const el = this.scroller;
    if (el) el.scrollTop = el.scrollHeight;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('roomId')) this.wasAtBottom = true;
    const el = this.scroller;
    if (el && !changed.has('roomId')) {
      this.wasAtBottom = el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX;
      this.previousHeight = el.scrollHeight;
    }
  }

  protected override updated(): void {
    const el = this.scroller;
    const messages = this.window.value.messages;
    const firstId = messages[0]?.id;
    const last = messages[messages.length - 1];
    if (el) {
      const prepended = firstId !== this.previousFirstId && this.previousFirstId !== undefined && last?.id === this.previousLastId;
      const ownNew = last && last.id !== this.previousLastId && last.sender_id === this.session.value;
      if (prepended && !this.wasAtBottom) {
        // Older messages came in above: keep the ones being read where they were.
        el.scrollTop += el.scrollHeight - this.previousHeight;
      } else if (this.wasAtBottom || ownNew) {
        el.scrollTop = el.scrollHeight;
      }
    }
    this.previousFirstId = firstId;
    this.previousLastId = last?.id;
  }

  private async onScroll(): Promise<void> {
    const el = this.scroller;
    const { roomId, client } = this;
    if (!el || !roomId || !client || this.loadingOlder) return;
    const window = this.window.value;
    if (el.scrollTop > EDGE_PX || !window.loaded || !window.hasOlder) return;
    this.loadingOlder = true;
    try {
      await client.loadOlderMessages(roomId);
    } catch {
      // Scrolling up again retries; the list keeps what it has.
    } finally {
      this.loadingOlder = false;
    }
  }

  private retry(message: LocalMessage): void {
    if (this.client && message.client_id) void this.client.retrySend(message.room_id, message.client_id);
  }

  private senderName(senderId: string | null): string {
    if (!senderId) return '';
    const participant = this.room?.participants.find((p) => p.id === senderId);
    return participant?.name ?? this.strings.unknownUser;
  }

  private renderMessage(message: LocalMessage, previous: LocalMessage | undefined) {
    const s = this.strings;
    const own = message.sender_id !== null && message.sender_id === this.session.value;
    const first = !previous || previous.sender_id !== message.sender_id;
    const deleted = message.deleted_at !== null || message.content === null;
    const classes = ['message', own ? 'own' : '', first ? 'first' : '', message.status, deleted ? 'deleted' : ''].filter(Boolean).join(' ');
    const parts = ['message', own ? 'message--own' : '', message.status !== 'sent' ? `message--${message.status}` : '', deleted ? 'message--deleted' : '']
      .filter(Boolean)
      .join(' ');
    return html`
      <li class=${classes} part=${parts} data-message-id=${message.id} data-status=${message.status}>
        ${first && !own ? html`<span class="sender" part="sender">${this.senderName(message.sender_id)}</span>` : nothing}
        ${own ? html`<span class="visually-hidden">${s.you}</span>` : nothing}
        <div class="bubble" part="bubble">${deleted ? s.deleted : message.content}</div>
        <div class="meta" part="meta">
          <time part="time" datetime=${message.created_at} title=${formatFullTime(message.created_at, this.locale)}
            >${formatShortTime(message.created_at, this.locale)}</time
          >
          ${message.status === 'pending' ? html`<span class="status" part="status">${s.sending}</span>` : nothing}
          ${message.status === 'failed'
            ? html`<span class="status" part="status" title=${message.error?.message ?? ''}>${s.failed}</span>
                <button class="retry" part="retry-button" type="button" @click=${() => this.retry(message)}>${s.retry}</button>`
            : nothing}
        </div>
      </li>
    `;
  }

  protected override render() {
    const s = this.strings;
    const { messages, loaded } = this.window.value;
    return html`
      <div
        class="base"
        part="base"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label=${format(s.messageList, { name: this.room?.display_name ?? '' })}
        tabindex="0"
        @scroll=${this.onScroll}
      >
        ${this.loadingOlder ? html`<p class="notice" part="notice">${s.loadingOlder}</p>` : nothing}
        ${!loaded && messages.length === 0 ? html`<p class="notice" part="notice">${s.loading}</p>` : nothing}
        ${loaded && messages.length === 0 ? html`<p class="notice" part="notice">${s.noMessages}</p>` : nothing}
        <ol>
          ${repeat(
            messages,
            (m) => m.client_id ?? m.id,
            (m, i) => this.renderMessage(m, messages[i - 1]),
          )}
        </ol>
      </div>
    `;
  }
}
