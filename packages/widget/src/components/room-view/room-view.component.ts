import { html, nothing, type PropertyValues } from 'lit';
import { selectTypingUsers, type ParleyClient, type Room } from '@parley/sdk';
import { myIdSlice, presenceSlice, roomSlice } from '../../base/client-stores.js';
import { MessagingElement } from '../../base/messaging-element.js';
import { StoreController } from '../../base/store-controller.js';
import { backIcon, infoIcon } from '../../base/icons.js';
import { iconButton } from '../../base/icon-button.js';
import type { MessagingEventDetails } from '../../base/events.js';
import { defaultStrings, format, formatList, type MessagingStrings } from '../../i18n.js';
import { presenceLabel } from '../../presence-text.js';
import { MessagingComposer } from '../composer/composer.component.js';
import { MessagingMessageList } from '../message-list/message-list.component.js';
import { draftsFor, type Drafts } from './drafts.js';
import styles from './room-view.styles.js';
import { COMPOSER_EXPORTS, MESSAGE_LIST_EXPORTS } from './room-view.parts.js';

const EMPTY: readonly string[] = Object.freeze([]);
/** Names listed in the typing line before it just counts. */
const TYPING_NAMES = 3;

/**
 * @summary One conversation: header (back button, name and, in a direct room, the other
 * person's presence), the live message list, who is typing, and the composer. Loads the
 * room's messages when shown; the list marks them read while `active`. Sends through the
 * SDK (optimistic: the message shows at once as pending) and reports typing to it.
 *
 * @slot header-actions - Buttons at the end of the header (the drawer puts its close button here).
 *
 * @event messaging-back - The back button was pressed.
 * @event messaging-room-details - `{ roomId }`: the details button was pressed.
 * @event messaging-send - Re-dispatched from the composer (after the SDK was asked to send).
 *
 * @csspart header - The header bar.
 * @csspart back-button - The back button.
 * @csspart details-button - Opens the conversation's details (`messaging-room-details` event).
 * @csspart title - The room's name (`<h2>`).
 * @csspart subtitle - The other person's presence in a direct room.
 * @csspart message-list - The `<messaging-message-list>` (its own parts are re-exported with `exportparts`).
 * @csspart typing - The "… is typing" line.
 * @csspart composer - The `<messaging-composer>`.
 *
 * @cssproperty --messaging-color-border - Header rule.
 */
export class MessagingRoomView extends MessagingElement {
  static override styles = styles;
  static override dependencies = {
    'messaging-message-list': MessagingMessageList,
    'messaging-composer': MessagingComposer,
  };
  static override properties = {
    client: { attribute: false },
    roomId: { attribute: 'room-id' },
    active: { type: Boolean },
    strings: { attribute: false },
    locale: {},
  };

  declare client: ParleyClient | undefined;
  declare roomId: string | undefined;
  /** Whether the user is looking at it (the drawer is open): only then is the room marked read. */
  declare active: boolean;
  declare strings: MessagingStrings;
  declare locale: string | undefined;

  private readonly room = roomSlice(this);
  private readonly typing = new StoreController(
    this,
    () => this.client?.stores.typing,
    (s) => (this.roomId ? s.byRoom[this.roomId] : undefined),
    undefined as Readonly<Record<string, number>> | undefined,
    () => this.roomId,
  );
  private readonly me = myIdSlice(this);
  private readonly maxLength = new StoreController(
    this,
    () => this.client?.stores.session,
    (s) => s.limits.message_max_length,
    undefined as number | undefined,
  );
  private readonly presence = presenceSlice(this);
  private loadedFor: string | undefined;
  /** The user whose draft the composer shows (it is shown again once the client knows who is signed in). */
  private draftsShownFor: string | null = null;

  constructor() {
    super();
    this.active = false;
    this.strings = defaultStrings;
  }

  /** Put the keyboard in the composer. */
  focusComposer(): void {
    this.renderRoot.querySelector('messaging-composer')?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const { client, roomId } = this;
    if (!client || !roomId) return;
    if (changed.has('client')) this.loadedFor = undefined;
    this.loadIfNeeded(client, roomId);
    if (changed.has('roomId') || changed.has('client') || this.draftsShownFor !== this.me.value) this.showDraft();
  }

  /** The drafts of the signed-in user (none before the client knows who that is). */
  private get drafts(): Drafts | undefined {
    const me = this.me.value;
    return me ? draftsFor(me) : undefined;
  }

  /** Put this room's draft in the composer (each keystroke saved it: see onInput). */
  private showDraft(): void {
    const composer = this.composer;
    const drafts = this.drafts;
    if (!composer || !drafts || !this.roomId) return;
    this.draftsShownFor = this.me.value;
    composer.value = drafts.get(this.roomId);
  }

  private get composer(): MessagingComposer | null {
    return this.renderRoot.querySelector<MessagingComposer>('messaging-composer');
  }

  private onInput(): void {
    if (this.roomId && this.composer) this.drafts?.set(this.roomId, this.composer.value);
  }

  /** "Edit" on a failed send: its text is the draft now, in the composer, with the keyboard there. */
  private onEditUnsent(event: CustomEvent<MessagingEventDetails['messaging-edit-unsent']>): void {
    const composer = this.composer;
    if (!composer || !this.roomId) return;
    composer.value = event.detail.content;
    this.drafts?.set(this.roomId, composer.value);
    composer.focus();
  }

  private loadIfNeeded(client: ParleyClient, roomId: string): void {
    if (this.loadedFor === roomId) return;
    this.loadedFor = roomId;
    if (client.stores.messages.getLatestValue().byRoom[roomId]?.loaded) return;
    // Failure leaves the window unloaded; showing the room again retries.
    client.loadMessages(roomId).catch((error: unknown) => {
      if (this.loadedFor === roomId) this.loadedFor = undefined;
      this.emit('messaging-error', { detail: { error } });
    });
  }

  private onSend(event: CustomEvent<MessagingEventDetails['messaging-send']>): void {
    if (!this.client || !this.roomId) return;
    this.drafts?.set(this.roomId, '');
    void this.client.sendMessage(this.roomId, event.detail.content);
  }

  private onTyping(event: CustomEvent<MessagingEventDetails['messaging-typing']>): void {
    if (!this.client || !this.roomId) return;
    try {
      this.client.sendTyping(this.roomId, event.detail.typing);
    } catch {
      // Typing is a hint; never let it break the composer.
    }
  }

  private typingText(): string {
    const me = this.me.value;
    const ids =
      this.roomId && this.typing.value ? selectTypingUsers({ [this.roomId]: this.typing.value }, this.roomId) : EMPTY;
    const others = ids.filter((id) => id !== me);
    if (others.length === 0) return '';
    if (others.length > TYPING_NAMES) return format(this.strings.typingMany, { count: others.length });
    const names = others.map(
      (id) => this.room.value?.participants.find((p) => p.id === id)?.name ?? this.strings.unknownUser,
    );
    if (names.length === 1) return format(this.strings.typingOne, { name: names[0]! });
    return format(this.strings.typingSome, { names: formatList(names, this.locale) });
  }

  private subtitle(room: Room | undefined): string {
    if (room?.type !== 'direct') return '';
    const other = room.participants.find((p) => p.id !== this.me.value);
    return other ? presenceLabel(this.presence.value[other.id], this.strings, this.locale).label : '';
  }

  protected override render() {
    const s = this.strings;
    const room = this.room.value;
    return html`
      <header class="header" part="header">
        ${iconButton('back-button', s.back, backIcon, () => this.emit('messaging-back'))}
        <div class="heading">
          <h2 class="title" part="title" id="title">${room?.display_name ?? ''}</h2>
          ${room?.type === 'direct' ? html`<p class="subtitle" part="subtitle">${this.subtitle(room)}</p>` : nothing}
        </div>
        ${iconButton('details-button', s.details, infoIcon, () => {
          if (this.roomId) this.emit('messaging-room-details', { detail: { roomId: this.roomId } });
        })}
        <slot name="header-actions"></slot>
      </header>
      <messaging-message-list
        part="message-list"
        exportparts=${MESSAGE_LIST_EXPORTS}
        .client=${this.client}
        .roomId=${this.roomId}
        .room=${room}
        .active=${this.active}
        .strings=${s}
        .locale=${this.locale}
        @messaging-edit-unsent=${this.onEditUnsent}
      ></messaging-message-list>
      <p class="typing" part="typing" aria-live="polite">${this.typingText()}</p>
      <messaging-composer
        part="composer"
        exportparts=${COMPOSER_EXPORTS}
        .strings=${s}
        .maxLength=${this.maxLength.value}
        @input=${this.onInput}
        @messaging-send=${this.onSend}
        @messaging-typing=${this.onTyping}
      ></messaging-composer>
    `;
  }
}
