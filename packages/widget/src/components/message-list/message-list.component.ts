import { DEFAULT_SERVER_LIMITS, EMPTY_WINDOW, type ParleyClient, type Room } from '@parley/sdk';
import { MessagingElement } from '../../base/messaging-element.js';
import { StoreController } from '../../base/store-controller.js';
import { avatarStyles } from '../../base/avatar.js';
import { defaultStrings, format, type MessagingStrings } from '../../i18n.js';
import { MessageActionsController } from './message-actions-controller.js';
import { renderMessageList } from './message-list.templates.js';
import { findParticipant, listRows } from './message-rows.js';
import { ReadMarker } from './read-marker.js';
import { RovingRowsController } from './roving-rows-controller.js';
import { ScrollFollowController } from './scroll-follow-controller.js';
import styles from './message-list.styles.js';

// A composition: message-rows.ts decides what each row shows, message-list.templates.ts renders
// it; scroll-follow-controller.ts, message-actions-controller.ts and read-marker.ts own the state.

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
 * @csspart bubble - The message text; an `ai_share` card also has `ai-share`; 1–3 emoji alone, shown large, `jumbo`.
 * @csspart ai-share-label - "Shared AI answer".
 * @csspart ai-share-title - The card's title: the name of the conversation or assistant it comes from.
 * @csspart link - A link in a message.
 * @csspart system - A system message's text.
 * @csspart meta - Time and delivery state under the bubble.
 * @csspart time - The `<time>` element.
 * @csspart edited - "edited".
 * @csspart agent - "Sent by assistant" (messages with `metadata.via === 'agent'`).
 * @csspart status - "Sending…" / "Not sent".
 * @csspart unsent - Under a failed send: why it failed (`status`) and its buttons (each also `action`):
 *   `retry-button`, `edit-unsent-button` (its text back into the composer), `copy-button`, `discard-button`.
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
  };

  declare client: ParleyClient | undefined;
  declare roomId: string | undefined;
  /** The room (participant names, avatars, read markers); optional. */
  declare room: Room | undefined;
  declare strings: MessagingStrings;
  declare locale: string | undefined;
  /** The user is looking at it (the drawer is open): only then is the room marked read. */
  declare active: boolean;

  // Controllers run in the order they are added. The read marker's after-render check comes before
  // the follow controller scrolls to the new bottom (as before the split; that scroll checks again).
  // The follow controller's before-render hook must see the messages the last render showed, so it
  // comes before the store controllers, which resubscribe to a new client in that same hook.
  private readonly readMarker = new ReadMarker(
    this,
    () => ({ client: this.client, room: this.room }),
    () => this.active && this.window.value.loaded && this.follow.isAtBottom(),
  );
  private readonly follow: ScrollFollowController = new ScrollFollowController(this, {
    window: () => this.window.value,
    me: () => this.session.value,
    onArrival: (message) =>
      this.announce(
        format(this.strings.announceMessage, {
          name: findParticipant(this.room?.participants, message.sender_id)?.name ?? this.strings.unknownUser,
          text: message.content ?? '',
        }),
      ),
    onScroll: () => this.readMarker.check(),
  });
  private readonly actions = new MessageActionsController(this);
  private readonly roving = new RovingRowsController(this);
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
  /** What the polite live region says; replaced by each new message from someone else. */
  private announcement = '';

  constructor() {
    super();
    this.strings = defaultStrings;
    this.active = false;
  }

  /** Say something in the polite live region (a new message, "Copied"). */
  announce(text: string): void {
    this.announcement = text;
    this.requestUpdate();
  }

  /** Jump to the newest message. */
  scrollToBottom(): void {
    this.follow.scrollToBottom();
  }

  /** My read position when this room was opened (see RowOptions.unreadAfter): fixed until another room. */
  private unreadAfter: { roomId: string; seq: number } | undefined;

  protected override willUpdate(): void {
    const room = this.room;
    if (room && room.id === this.roomId && this.unreadAfter?.roomId !== room.id) {
      const mine = findParticipant(room.participants, this.session.value);
      if (mine) this.unreadAfter = { roomId: room.id, seq: mine.last_read_seq };
    }
  }

  protected override render() {
    const window = this.window.value;
    const opened = this.unreadAfter;
    const unreadAfter = opened && opened.roomId === this.roomId ? opened.seq : null;
    return renderMessageList({
      strings: this.strings,
      locale: this.locale,
      roomName: this.room?.display_name ?? '',
      participants: this.room?.participants,
      window,
      rows: listRows(window.messages, this.session.value, this.room?.participants, { unreadAfter }),
      follow: this.follow,
      actions: this.actions,
      roving: this.roving,
      announcement: this.announcement,
      maxLength: this.client?.limits.message_max_length ?? DEFAULT_SERVER_LIMITS.message_max_length,
      direct: this.room?.type === 'direct',
    });
  }
}
