import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { EMPTY_WINDOW, type LocalMessage, type ParleyClient, type Room } from '@parley/sdk';
import { MessagingElement } from '../../base/messaging-element.js';
import { StoreController } from '../../base/store-controller.js';
import { avatarStyles, renderAvatar } from '../../base/avatar.js';
import { downIcon, moreIcon } from '../../base/icons.js';
import { dayKey, formatDay, formatFullTime, formatShortTime } from '../../format-time.js';
import { defaultStrings, format, formatList, plural, type MessagingStrings } from '../../i18n.js';
import { systemMessageText } from '../../system-message.js';
import { renderBubble, sentByAgent } from './message-content.js';
import { renderReactionChips, renderReactionPicker } from './reactions.js';
import { ReadMarker } from './read-marker.js';
import styles from './message-list.styles.js';

/** Within this many pixels of an edge counts as "at" it. */
const EDGE_PX = 48;
/** Consecutive messages from one sender closer than this share one header (name, avatar). */
const GROUP_GAP_MS = 5 * 60_000;
/** "Seen by" names shown before "and N others". */
const RECEIPT_NAMES = 3;

/**
 * @summary One room's messages from the SDK's messages store, oldest first, live: day
 * separators, runs of messages grouped by sender, system messages, `ai_share` cards,
 * reactions, edit and delete of one's own messages, "seen by" under the user's last message.
 * Message text is always rendered through text bindings (links only for http/https).
 * Scrolled to the top it loads older messages; at the bottom it follows new ones, otherwise
 * a "new messages" button appears. New messages from others are announced politely.
 * While `active` it marks the room read whenever the newest message is in view.
 *
 * @csspart base - The scrolling container.
 * @csspart day - A day separator.
 * @csspart message - Each message row; also `message--own`, `message--pending`, `message--failed`, `message--deleted`, `message--system`.
 * @csspart avatar - The sender's picture or initials (first message of a run).
 * @csspart sender - The sender's name (first message of a run by one sender).
 * @csspart bubble - The message text; an `ai_share` card also has `ai-share`.
 * @csspart ai-share-label - "Shared AI answer".
 * @csspart ai-share-source - The card's source.
 * @csspart link - A link in a message.
 * @csspart system - A system message's text.
 * @csspart meta - Time and delivery state under the bubble.
 * @csspart time - The `<time>` element.
 * @csspart edited - "edited".
 * @csspart agent - "Sent by assistant" (messages with `metadata.via === 'agent'`).
 * @csspart status - "Sending…" / "Not sent".
 * @csspart retry-button - Retries a failed send.
 * @csspart receipt - "Seen by …" under the user's last message.
 * @csspart reactions - The row of reaction buttons; each is `reaction` (+ `reaction--mine`).
 * @csspart actions-button - Opens a message's actions.
 * @csspart actions - The actions menu: `reaction-picker` (with `reaction-option`s), `action` buttons.
 * @csspart edit-textarea - The inline edit box.
 * @csspart confirm - The delete confirmation.
 * @csspart new-messages - The "N new messages" button shown when scrolled up.
 * @csspart notice - Loading / empty / loading-older notices, and action errors.
 *
 * @cssproperty --messaging-color-bubble-own - Background of the user's own messages.
 * @cssproperty --messaging-color-on-bubble-own - Text on own messages.
 * @cssproperty --messaging-color-bubble-other - Background of other people's messages.
 * @cssproperty --messaging-color-on-bubble-other - Text on other people's messages.
 * @cssproperty --messaging-color-danger - Failed state, delete.
 */
export class MessagingMessageList extends MessagingElement {
  static override styles = [avatarStyles, styles];
  static override properties = {
    client: { attribute: false },
    roomId: { attribute: 'room-id' },
    room: { attribute: false },
    strings: { attribute: false },
    locale: {},
    active: { type: Boolean },
    loadingOlder: { state: true },
    menuFor: { state: true },
    editingId: { state: true },
    confirmingId: { state: true },
    unseen: { state: true },
    actionError: { state: true },
  };

  declare client: ParleyClient | undefined;
  declare roomId: string | undefined;
  /** The room (participant names, avatars, read markers); optional. */
  declare room: Room | undefined;
  declare strings: MessagingStrings;
  declare locale: string | undefined;
  /** The user is looking at it (the drawer is open): only then is the room marked read. */
  declare active: boolean;
  declare loadingOlder: boolean;
  /** The message whose actions menu is open. */
  declare menuFor: string | undefined;
  declare editingId: string | undefined;
  declare confirmingId: string | undefined;
  /** Messages from others that arrived while scrolled up. */
  declare unseen: number;
  declare actionError: string;

  private readonly window = new StoreController(
    this,
    () => this.client?.stores.messages,
    (s) => (this.roomId ? s.byRoom[this.roomId] : undefined) ?? EMPTY_WINDOW,
    EMPTY_WINDOW,
    () => this.roomId,
  );
  private readonly session = new StoreController(
    this,
    () => this.client?.stores.session,
    (s) => s.user?.id ?? null,
    null,
  );
  private readonly readMarker = new ReadMarker(
    this,
    () => ({ client: this.client, room: this.room }),
    () => this.active && this.window.value.loaded && this.isAtBottom(),
  );
  private wasAtBottom = true;
  private previousHeight = 0;
  private previousFirstId: string | undefined;
  private previousLastId: string | undefined;
  /** What the polite live region says; replaced by each new message from someone else. */
  private announcement = '';

  constructor() {
    super();
    this.strings = defaultStrings;
    this.active = false;
    this.loadingOlder = false;
    this.unseen = 0;
    this.actionError = '';
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.base');
  }

  private isAtBottom(): boolean {
    const el = this.scroller;
    return !!el && el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX;
  }

  /** Jump to the newest message. */
  scrollToBottom(): void {
    const el = this.scroller;
    if (el) el.scrollTop = el.scrollHeight;
    this.unseen = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('roomId')) {
      this.wasAtBottom = true;
      this.unseen = 0;
      this.menuFor = this.editingId = this.confirmingId = undefined;
      return;
    }
    if (this.scroller) {
      this.wasAtBottom = this.isAtBottom();
      this.previousHeight = this.scroller.scrollHeight;
    }
    const messages = this.window.value.messages;
    const last = messages[messages.length - 1];
    if (!last || this.previousLastId === undefined || last.id === this.previousLastId) return;
    // Only someone else's new message is news; my own sends and system notes are not announced.
    if (last.status !== 'sent' || last.sender_id === this.session.value || last.type === 'system') return;
    this.announcement = format(this.strings.announceMessage, {
      name: this.senderName(last.sender_id),
      text: last.content ?? '',
    });
    if (!this.wasAtBottom) this.unseen += 1;
  }

  protected override updated(): void {
    const el = this.scroller;
    const messages = this.window.value.messages;
    const firstId = messages[0]?.id;
    const last = messages[messages.length - 1];
    if (el) {
      const prepended =
        firstId !== this.previousFirstId && this.previousFirstId !== undefined && last?.id === this.previousLastId;
      const ownNew = last && last.id !== this.previousLastId && last.sender_id === this.session.value;
      if (prepended && !this.wasAtBottom) {
        // Older messages came in above: keep the ones being read where they were.
        el.scrollTop += el.scrollHeight - this.previousHeight;
      } else if (this.wasAtBottom || ownNew) {
        el.scrollTop = el.scrollHeight;
        if (ownNew) this.unseen = 0;
      }
    }
    this.previousFirstId = firstId;
    this.previousLastId = last?.id;
  }

  private async onScroll(): Promise<void> {
    const el = this.scroller;
    if (this.unseen && this.isAtBottom()) this.unseen = 0;
    this.readMarker.check();
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

  private participant(userId: string | null) {
    return userId ? this.room?.participants.find((p) => p.id === userId) : undefined;
  }

  private senderName(senderId: string | null): string {
    return this.participant(senderId)?.name ?? this.strings.unknownUser;
  }

  // --- actions -------------------------------------------------------------------------

  /** Run an SDK call for a message; a failure shows a short alert instead of throwing. */
  private act(run: (client: ParleyClient, roomId: string) => Promise<unknown>): void {
    const { client, roomId } = this;
    if (!client || !roomId) return;
    this.actionError = '';
    run(client, roomId).catch(() => {
      this.actionError = this.strings.actionFailed;
    });
  }

  /** Close whatever is open on a message and put focus back on its actions button. */
  private async closeActions(messageId: string): Promise<void> {
    this.menuFor = this.editingId = this.confirmingId = undefined;
    await this.updateComplete;
    const row = this.renderRoot.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
    (row?.querySelector<HTMLElement>('.more') ?? this.scroller)?.focus();
  }

  private async openMenu(messageId: string): Promise<void> {
    if (this.menuFor === messageId) return void this.closeActions(messageId);
    this.editingId = this.confirmingId = undefined;
    this.menuFor = messageId;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.menu button')?.focus();
  }

  private toggleReaction(message: LocalMessage, emoji: string): void {
    this.act((client, roomId) => client.toggleReaction(roomId, message.id, emoji));
    if (this.menuFor === message.id) void this.closeActions(message.id);
  }

  private async startEdit(message: LocalMessage): Promise<void> {
    this.menuFor = undefined;
    this.editingId = message.id;
    await this.updateComplete;
    const box = this.renderRoot.querySelector<HTMLTextAreaElement>('.edit textarea');
    box?.focus();
    box?.select();
  }

  private saveEdit(message: LocalMessage, box: HTMLTextAreaElement): void {
    const content = box.value.trim();
    if (content && content !== message.content)
      this.act((client, roomId) => client.editMessage(roomId, message.id, content));
    void this.closeActions(message.id);
  }

  private async askDelete(message: LocalMessage): Promise<void> {
    this.menuFor = undefined;
    this.confirmingId = message.id;
    await this.updateComplete;
    // Cancel first: the safe choice for a stray Enter.
    this.renderRoot.querySelector<HTMLElement>('.confirm .cancel')?.focus();
  }

  private confirmDelete(message: LocalMessage): void {
    this.act((client, roomId) => client.deleteMessage(roomId, message.id));
    void this.closeActions(message.id);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.isComposing) return;
    const open = this.menuFor ?? this.editingId ?? this.confirmingId;
    if (!open) return;
    // Esc closes the innermost thing: the menu or editor, not the whole drawer.
    event.stopPropagation();
    void this.closeActions(open);
  }

  private onEditKeyDown(message: LocalMessage, event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.saveEdit(message, event.target as HTMLTextAreaElement);
  }

  private retry(message: LocalMessage): void {
    if (this.client && message.client_id) void this.client.retrySend(message.room_id, message.client_id);
  }

  // --- rendering ---------------------------------------------------------------------

  /** "Seen by …" for my newest stored message, from the other participants' read markers. */
  private receipt(messages: readonly LocalMessage[]): { id: string; text: string } | undefined {
    const me = this.session.value;
    const mine = messages.findLast((m) => m.status === 'sent' && m.sender_id === me && m.type !== 'system');
    if (!mine || !this.room) return undefined;
    // In the order they read it (then by name): stable whatever order the server lists participants in.
    const names = this.room.participants
      .filter((p) => p.id !== me && p.last_read_seq >= mine.seq)
      .sort((a, b) => (a.last_read_at ?? '').localeCompare(b.last_read_at ?? '') || a.name.localeCompare(b.name))
      .map((p) => p.name);
    if (names.length === 0) return undefined;
    const shown = names.slice(0, RECEIPT_NAMES);
    const rest = names.length - shown.length;
    const list = formatList(shown, this.locale);
    return {
      id: mine.id,
      text:
        rest > 0
          ? plural(this.strings.seenByOthers, rest, this.locale, { names: list })
          : format(this.strings.seenBy, { names: list }),
    };
  }

  private renderMenu(message: LocalMessage, own: boolean) {
    const s = this.strings;
    return html`<div class="menu" part="actions" role="group" aria-label=${s.messageActions}>
      ${renderReactionPicker(message, s, (emoji) => this.toggleReaction(message, emoji))}
      ${
        own
          ? html`<button class="action" part="action" type="button" @click=${() => this.startEdit(message)}>
                ${s.edit}
              </button>
              <button class="action danger" part="action" type="button" @click=${() => this.askDelete(message)}>
                ${s.delete}
              </button>`
          : nothing
      }
    </div>`;
  }

  private renderEditor(message: LocalMessage) {
    const s = this.strings;
    const save = () => {
      const box = this.renderRoot.querySelector<HTMLTextAreaElement>('.edit textarea');
      if (box) this.saveEdit(message, box);
    };
    return html`<div class="edit">
      <textarea
        part="edit-textarea"
        aria-label=${s.editLabel}
        .value=${message.content ?? ''}
        @keydown=${(e: KeyboardEvent) => this.onEditKeyDown(message, e)}
      ></textarea>
      <div class="edit-buttons">
        <button class="action" part="action" type="button" @click=${() => this.closeActions(message.id)}>
          ${s.cancel}
        </button>
        <button class="action primary" part="action" type="button" @click=${save}>${s.save}</button>
      </div>
    </div>`;
  }

  private renderConfirm(message: LocalMessage) {
    const s = this.strings;
    return html`<div class="confirm" part="confirm" role="group" aria-label=${s.confirmDelete}>
      <span>${s.confirmDelete}</span>
      <button class="action cancel" part="action" type="button" @click=${() => this.closeActions(message.id)}>
        ${s.cancel}
      </button>
      <button class="action danger" part="action" type="button" @click=${() => this.confirmDelete(message)}>
        ${s.delete}
      </button>
    </div>`;
  }

  private renderSystem(message: LocalMessage) {
    const text = systemMessageText(message, (id) => this.participant(id)?.name, this.strings);
    return html`<li class="message system" part="message message--system" data-message-id=${message.id}>
      <span class="system-text" part="system">${text}</span>
    </li>`;
  }

  private renderMessage(message: LocalMessage, first: boolean, receipt: string | undefined) {
    const s = this.strings;
    const own = message.sender_id !== null && message.sender_id === this.session.value;
    const deleted = message.deleted_at !== null || message.content === null;
    const sent = message.status === 'sent';
    const classes = ['message', own ? 'own' : '', first ? 'first' : '', message.status, deleted ? 'deleted' : '']
      .filter(Boolean)
      .join(' ');
    const parts = [
      'message',
      own ? 'message--own' : '',
      sent ? '' : `message--${message.status}`,
      deleted ? 'message--deleted' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const sender = this.participant(message.sender_id);
    const editing = this.editingId === message.id;
    const menuOpen = this.menuFor === message.id;
    const canAct = sent && !deleted;
    return html`
      <li class=${classes} part=${parts} data-message-id=${message.id} data-status=${message.status}>
        ${own ? nothing : first ? renderAvatar(sender?.name ?? s.unknownUser, sender?.avatar_url) : html`<span class="avatar-space"></span>`}
        <div class="body">
          ${first && !own ? html`<span class="sender" part="sender">${sender?.name ?? s.unknownUser}</span>` : nothing}
          ${own ? html`<span class="visually-hidden">${s.you}</span>` : nothing}
          ${
            editing
              ? this.renderEditor(message)
              : html`<div class="line">
                  ${renderBubble(message, s)}
                  ${
                    canAct
                      ? html`<button
                          class="more icon-button"
                          part="actions-button"
                          type="button"
                          aria-label=${s.messageActions}
                          title=${s.messageActions}
                          aria-expanded=${menuOpen ? 'true' : 'false'}
                          @click=${() => this.openMenu(message.id)}
                        >
                          ${moreIcon}
                        </button>`
                      : nothing
                  }
                </div>`
          }
          ${menuOpen ? this.renderMenu(message, own) : nothing}
          ${this.confirmingId === message.id ? this.renderConfirm(message) : nothing}
          ${deleted ? nothing : renderReactionChips(message, s, this.locale, (emoji) => this.toggleReaction(message, emoji))}
          <div class="meta" part="meta">
            <time part="time" datetime=${message.created_at} title=${formatFullTime(message.created_at, this.locale)}
              >${formatShortTime(message.created_at, this.locale)}</time
            >
            ${message.edited_at && !deleted ? html`<span part="edited">${s.edited}</span>` : nothing}
            ${sentByAgent(message) ? html`<span class="agent" part="agent">${s.sentByAssistant}</span>` : nothing}
            ${message.status === 'pending' ? html`<span class="status" part="status">${s.sending}</span>` : nothing}
            ${
              message.status === 'failed'
                ? html`<span class="status" part="status" title=${message.error?.message ?? ''}>${s.failed}</span>
                    <button class="retry" part="retry-button" type="button" @click=${() => this.retry(message)}>
                      ${s.retry}
                    </button>`
                : nothing
            }
          </div>
          ${receipt ? html`<span class="receipt" part="receipt">${receipt}</span>` : nothing}
        </div>
      </li>
    `;
  }

  /** Messages with a day separator wherever the calendar day changes, keyed for `repeat`. */
  private rows(messages: readonly LocalMessage[]): Array<[string, TemplateResult]> {
    const receipt = this.receipt(messages);
    const rows: Array<[string, TemplateResult]> = [];
    let previous: LocalMessage | undefined;
    for (const message of messages) {
      const day = dayKey(message.created_at);
      const newDay = !previous || dayKey(previous.created_at) !== day;
      if (newDay) {
        rows.push([
          `day:${day}`,
          html`<li class="day" part="day"><span>${formatDay(message.created_at, this.locale)}</span></li>`,
        ]);
      }
      const key = message.client_id ?? message.id;
      if (message.type === 'system') {
        rows.push([key, this.renderSystem(message)]);
      } else {
        const first =
          newDay ||
          !previous ||
          previous.type === 'system' ||
          previous.sender_id !== message.sender_id ||
          Date.parse(message.created_at) - Date.parse(previous.created_at) > GROUP_GAP_MS;
        rows.push([key, this.renderMessage(message, first, receipt?.id === message.id ? receipt.text : undefined)]);
      }
      previous = message;
    }
    return rows;
  }

  protected override render() {
    const s = this.strings;
    const { messages, loaded } = this.window.value;
    return html`
      <div
        class="base"
        part="base"
        role="region"
        aria-label=${format(s.messageList, { name: this.room?.display_name ?? '' })}
        tabindex="0"
        @scroll=${this.onScroll}
        @keydown=${this.onKeyDown}
      >
        ${this.loadingOlder ? html`<p class="notice" part="notice">${s.loadingOlder}</p>` : nothing}
        ${!loaded && messages.length === 0 ? html`<p class="notice" part="notice">${s.loading}</p>` : nothing}
        ${loaded && messages.length === 0 ? html`<p class="notice" part="notice">${s.noMessages}</p>` : nothing}
        <ol>
          ${repeat(
            this.rows(messages),
            ([key]) => key,
            ([, row]) => row,
          )}
        </ol>
      </div>
      ${this.actionError ? html`<p class="notice error" part="notice" role="alert">${this.actionError}</p>` : nothing}
      ${
        this.unseen > 0
          ? html`<button class="pill" part="new-messages" type="button" @click=${() => this.scrollToBottom()}>
              ${plural(s.newMessages, this.unseen, this.locale)} ${downIcon}
            </button>`
          : nothing
      }
      <p class="visually-hidden" aria-live="polite">${this.announcement}</p>
    `;
  }
}
