import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { LocalMessage, MessageWindow, Participant } from '@parley/sdk';
import { renderAvatar } from '../../base/avatar.js';
import { downIcon, moreIcon } from '../../base/icons.js';
import { formatDay, formatFullTime, formatShortTime } from '../../format-time.js';
import { format, plural, type MessagingStrings } from '../../i18n.js';
import { systemMessageText } from '../../system-message.js';
import { renderBubble, sentByAgent } from './message-content.js';
import type { MessageActionsController } from './message-actions-controller.js';
import { findParticipant, rowClasses, rowParts, seenByText, type ListRow, type MessageRow } from './message-rows.js';
import { renderReactionChips, renderReactionPicker } from './reactions.js';
import type { RovingRowsController } from './roving-rows-controller.js';
import type { ScrollFollowController } from './scroll-follow-controller.js';

/** Everything the templates read: the list's inputs, its rows and its controllers (whose handlers they bind). */
export interface MessageListView {
  strings: MessagingStrings;
  locale: string | undefined;
  roomName: string;
  participants: readonly Participant[] | undefined;
  window: MessageWindow;
  rows: readonly ListRow[];
  follow: ScrollFollowController;
  actions: MessageActionsController;
  roving: RovingRowsController;
  /** What the polite live region says. */
  announcement: string;
  /** The server's longest message (`client.limits`), to say why a send was refused. */
  maxLength: number;
  /** A direct room: receipts say "Delivered" / "Seen" rather than show readers. */
  direct: boolean;
}

function renderMenu(s: MessagingStrings, actions: MessageActionsController, message: LocalMessage, own: boolean) {
  return html`<div class="menu" part="actions" role="group" aria-label=${s.messageActions}>
    ${renderReactionPicker(message, s, (emoji) => actions.toggleReaction(message, emoji))}
    ${
      own
        ? html`<button class="action" part="action" type="button" @click=${() => actions.startEdit(message)}>
              ${s.edit}
            </button>
            <button class="action danger" part="action" type="button" @click=${() => actions.askDelete(message)}>
              ${s.delete}
            </button>`
        : nothing
    }
  </div>`;
}

function renderEditor(s: MessagingStrings, actions: MessageActionsController, message: LocalMessage) {
  const save = (event: Event) => {
    const box = (event.target as Element).closest('.edit')?.querySelector('textarea');
    if (box) actions.saveEdit(message, box);
  };
  return html`<div class="edit">
    <textarea
      part="edit-textarea"
      aria-label=${s.editLabel}
      .value=${message.content ?? ''}
      @keydown=${(e: KeyboardEvent) => actions.onEditKeyDown(message, e)}
    ></textarea>
    <div class="edit-buttons">
      <button class="action" part="action" type="button" @click=${() => actions.close(message.id)}>${s.cancel}</button>
      <button class="action primary" part="action" type="button" @click=${save}>${s.save}</button>
    </div>
  </div>`;
}

function renderConfirm(s: MessagingStrings, actions: MessageActionsController, message: LocalMessage) {
  return html`<div class="confirm" part="confirm" role="group" aria-label=${s.confirmDelete}>
    <span>${s.confirmDelete}</span>
    <button class="action cancel" part="action" type="button" @click=${() => actions.close(message.id)}>
      ${s.cancel}
    </button>
    <button class="action danger" part="action" type="button" @click=${() => actions.confirmDelete(message)}>
      ${s.delete}
    </button>
  </div>`;
}

function renderSystem(view: MessageListView, message: LocalMessage) {
  const text = systemMessageText(message, (id) => findParticipant(view.participants, id)?.name, view.strings);
  return html`<li
    class="message system"
    part="message message--system"
    data-key=${message.client_id ?? message.id}
    data-message-id=${message.id}
  >
    <span class="system-text" part="system">${text}</span>
  </li>`;
}

/** A message's time: its short form, the full date and time on hover (`title`) and for machines (`datetime`). */
function renderTime(message: LocalMessage, locale: string | undefined, className = '') {
  return html`<time
    class=${className}
    part="time"
    datetime=${message.created_at}
    title=${formatFullTime(message.created_at, locale)}
    >${formatShortTime(message.created_at, locale)}</time
  >`;
}

/** Under the bubble: the run's time (on its last message only), "edited", "Sent by assistant", "Sending…". */
function renderMeta(view: MessageListView, row: MessageRow) {
  const { strings: s, locale } = view;
  const { message, deleted } = row;
  const edited = message.edited_at !== null && !deleted;
  const agent = sentByAgent(message);
  const pending = message.status === 'pending';
  if (!row.last && !edited && !agent && !pending) return nothing;
  return html`<div class="meta" part="meta">
    ${row.last ? renderTime(message, locale) : nothing}
    ${edited ? html`<span part="edited">${s.edited}</span>` : nothing}
    ${agent ? html`<span class="agent" part="agent">${s.sentByAssistant}</span>` : nothing}
    ${pending ? html`<span class="status" part="status">${s.sending}</span>` : nothing}
  </div>`;
}

/** What a screen reader says on a focused row: who, what, when (the row is the list's tab stop). */
function rowLabel(view: MessageListView, row: MessageRow): string {
  const { strings: s, locale } = view;
  const who = row.own ? s.you : (row.sender?.name ?? s.unknownUser);
  const text = row.deleted ? s.deleted : (row.message.content ?? '');
  return `${who}: ${text}, ${formatShortTime(row.message.created_at, locale)}`;
}

/** Enter on a focused row opens its actions (as its "⋯" button does). */
function onRowKey(event: KeyboardEvent, view: MessageListView, row: MessageRow): void {
  if (event.key !== 'Enter' || event.target !== event.currentTarget || !row.canAct) return;
  event.preventDefault();
  void view.actions.toggleMenu(row.message.id);
}

function renderMessage(view: MessageListView, row: MessageRow) {
  const { strings: s, locale, actions } = view;
  const { message, own, first, sender, deleted } = row;
  const name = sender?.name ?? s.unknownUser;
  const menuOpen = actions.menuFor === message.id;
  return html`
    <li
      class=${rowClasses(row)}
      part=${rowParts(row)}
      data-key=${row.key}
      data-message-id=${message.id}
      data-status=${message.status}
      aria-label=${rowLabel(view, row)}
      @keydown=${(e: KeyboardEvent) => onRowKey(e, view, row)}
    >
      ${own ? nothing : first ? renderAvatar(name, sender?.avatar_url, message.sender_id ?? '') : html`<span class="avatar-space"></span>`}
      <div class="body">
        ${first && !own ? html`<span class="sender" part="sender" dir="auto">${name}</span>` : nothing}
        ${own ? html`<span class="visually-hidden">${s.you}</span>` : nothing}
        ${
          actions.editingId === message.id
            ? renderEditor(s, actions, message)
            : html`<div class="line">
                ${renderBubble(message, s)} ${row.last ? nothing : renderTime(message, locale, 'hover-time')}
                ${
                  row.canAct
                    ? html`<button
                        class="more icon-button"
                        part="actions-button"
                        type="button"
                        aria-label=${s.messageActions}
                        title=${s.messageActions}
                        aria-expanded=${menuOpen ? 'true' : 'false'}
                        @click=${() => actions.toggleMenu(message.id)}
                      >
                        ${moreIcon}
                      </button>`
                    : nothing
                }
              </div>`
        }
        ${menuOpen ? renderMenu(s, actions, message, own) : nothing}
        ${actions.confirmingId === message.id ? renderConfirm(s, actions, message) : nothing}
        ${deleted ? nothing : renderReactionChips(message, s, locale, (emoji) => actions.toggleReaction(message, emoji))}
        ${renderMeta(view, row)} ${message.status === 'failed' ? renderUnsent(view, message) : nothing}
        ${row.receipt ? renderReceipt(view, row.receipt) : nothing}
      </div>
    </li>
  `;
}

/** Why a send failed, in words, from the server's error code (its own message stays in the title). */
function failureText(message: LocalMessage, s: MessagingStrings, maxLength: number): string {
  switch (message.error?.code) {
    case 'message_too_long':
      return format(s.failedTooLong, { max: maxLength });
    case 'room_not_found':
    case 'forbidden':
      return s.failedNoAccess;
    case 'messaging_disabled':
      return s.failedDisabled;
    default:
      return s.failedRefused;
  }
}

/** A failed send: why, inline, and what can be done with it (it stays, in its place, until one of them). */
function renderUnsent(view: MessageListView, message: LocalMessage) {
  const { strings: s, actions } = view;
  const button = (label: string, part: string, run: () => void) =>
    html`<button class="action" part="action ${part}" type="button" @click=${run}>${label}</button>`;
  return html`<div class="unsent" part="unsent" role="group" aria-label=${s.unsentActions}>
    <span class="status" part="status" title=${message.error?.message ?? ''}
      >${failureText(message, s, view.maxLength)}</span
    >
    ${button(s.retry, 'retry-button', () => actions.retry(message))}
    ${button(s.editUnsent, 'edit-unsent-button', () => actions.editUnsent(message))}
    ${button(s.copy, 'copy-button', () => actions.copy(message))}
    ${button(s.discard, 'discard-button', () => actions.discard(message))}
  </div>`;
}

/** Readers' avatars shown on a group's receipt before it just counts the rest. */
const RECEIPT_AVATARS = 3;

/**
 * Under my newest message: in a direct room "Delivered" or "Seen"; in a group the avatars of those who
 * read it (three, then "+N"), named in full for screen readers and on hover.
 */
function renderReceipt(view: MessageListView, receipt: NonNullable<MessageRow['receipt']>) {
  const { strings: s, locale } = view;
  if (receipt === 'delivered') return html`<span class="receipt" part="receipt">${s.delivered}</span>`;
  if (view.direct) return html`<span class="receipt" part="receipt">${s.seen}</span>`;
  const label = seenByText(
    receipt.readers.map((p) => p.name),
    s,
    locale,
  );
  const more = receipt.readers.length - RECEIPT_AVATARS;
  return html`<span class="receipt readers" part="receipt" role="img" aria-label=${label} title=${label}>
    ${receipt.readers.slice(0, RECEIPT_AVATARS).map((p) => renderAvatar(p.name, p.avatar_url, p.id))}
    ${more > 0 ? html`<span class="more-readers" aria-hidden="true">+${more}</span>` : nothing}
  </span>`;
}

function renderRow(view: MessageListView, row: ListRow) {
  switch (row.kind) {
    case 'day':
      return html`<li class="day" part="day"><span>${formatDay(row.at, view.locale)}</span></li>`;
    case 'unread':
      return html`<li class="day unread" part="unread-line"><span>${view.strings.unreadLine}</span></li>`;
    case 'system':
      return renderSystem(view, row.message);
    case 'message':
      return renderMessage(view, row);
  }
}

/** The whole list: notices, the rows, an action's error, the "N new messages" button, the live region. */
export function renderMessageList(view: MessageListView) {
  const { strings: s, locale, follow, actions } = view;
  const { messages, loaded } = view.window;
  return html`
    <div
      class="base"
      part="base"
      role="region"
      aria-label=${format(s.messageList, { name: view.roomName })}
      tabindex="0"
      @scroll=${follow.onScroll}
      @keydown=${(e: KeyboardEvent) => view.roving.onKeyDown(e) || actions.onKeyDown(e)}
      @focusin=${view.roving.onFocusIn}
    >
      ${follow.loadingOlder ? html`<p class="notice" part="notice">${s.loadingOlder}</p>` : nothing}
      ${!loaded && messages.length === 0 ? html`<p class="notice" part="notice">${s.loading}</p>` : nothing}
      ${loaded && messages.length === 0 ? html`<p class="notice" part="notice">${s.noMessages}</p>` : nothing}
      <ol>
        ${repeat(
          view.rows,
          (row) => row.key,
          (row) => renderRow(view, row),
        )}
      </ol>
    </div>
    ${actions.error ? html`<p class="notice error" part="notice" role="alert">${actions.error}</p>` : nothing}
    ${
      follow.unseen > 0 || follow.farFromBottom
        ? html`<button class="pill" part="new-messages" type="button" @click=${() => follow.scrollToBottom()}>
            ${follow.unseen > 0 ? plural(s.newMessages, follow.unseen, locale) : s.jumpToLatest} ${downIcon}
          </button>`
        : nothing
    }
    <p class="visually-hidden" aria-live="polite">${view.announcement}</p>
  `;
}
