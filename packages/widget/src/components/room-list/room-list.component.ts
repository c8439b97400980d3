import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { selectRoomList, type ParleyClient, type Room } from '@parley/sdk';
import { myIdSlice, presenceSlice } from '../../base/client-stores.js';
import { MessagingElement } from '../../base/messaging-element.js';
import { StoreController } from '../../base/store-controller.js';
import { renderAvatar } from '../../base/avatar.js';
import { moveFocus } from '../../base/roving-focus.js';
import { afterNextPaint } from '../../base/after-paint.js';
import { formatFullTime, formatShortTime, listTimesReady, prepareListTimes } from '../../format-time.js';
import { defaultStrings, format, plural, type MessagingStrings } from '../../i18n.js';
import { presenceLabel } from '../../presence-text.js';
import { systemMessageText } from '../../system-message.js';
import styles from './room-list.styles.js';

const NO_ROOMS: Room[] = [];
/** "Last seen 5 minutes ago" ages: re-render that often while shown. */
const CLOCK_MS = 60_000;

/**
 * @summary The user's conversations from the SDK's rooms store, most recent activity first:
 * avatar (picture or initials), name, last message preview, time, unread count and, for
 * direct rooms, the other person's presence (its tooltip says when they were last seen).
 * Loads the presence of the people it shows, and the next page of rooms when scrolled to the end.
 *
 * @event messaging-room-select - `{ roomId }` when a room is chosen.
 *
 * @csspart base - The `<ul>`.
 * @csspart room - Each room's button; also `room--unread` when it has unread messages.
 * @csspart avatar - The picture or initials circle.
 * @csspart presence - The presence dot (direct rooms), with class online|away|offline.
 * @csspart name - The room's display name.
 * @csspart preview - The last message's text.
 * @csspart time - The last activity time.
 * @csspart unread - The unread count badge.
 * @csspart notice - Loading / empty notice.
 *
 * @cssproperty --messaging-color-badge - Unread badge background.
 * @cssproperty --messaging-color-online - Presence dot when online.
 * @cssproperty --messaging-color-away - Presence dot when away.
 * @cssproperty --messaging-color-offline - Presence dot when offline.
 */
export class MessagingRoomList extends MessagingElement {
  static override styles = styles;
  static override properties = {
    client: { attribute: false },
    strings: { attribute: false },
    locale: {},
  };

  declare client: ParleyClient | undefined;
  declare strings: MessagingStrings;
  declare locale: string | undefined;

  private readonly rooms = new StoreController(this, () => this.client?.stores.rooms, selectRoomList, NO_ROOMS);
  private readonly loaded = new StoreController(
    this,
    () => this.client?.stores.rooms,
    (s) => s.loaded,
    false,
  );
  private readonly hasMore = new StoreController(
    this,
    () => this.client?.stores.rooms,
    (s) => s.nextCursor !== null,
    false,
  );
  private loadingMore = false;
  private readonly presence = presenceSlice(this);
  private readonly me = myIdSlice(this);
  private presenceLoadedFor = '';
  /** The room whose button is the list's one tab stop; unset, the first. */
  private tabStop: string | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.strings = defaultStrings;
    // The element itself scrolls; near the end, the next page of rooms is fetched.
    this.addEventListener('scroll', () => void this.loadMoreIfNeeded());
  }

  private async loadMoreIfNeeded(): Promise<void> {
    if (!this.client || this.loadingMore || !this.hasMore.value) return;
    if (this.scrollTop + this.clientHeight < this.scrollHeight - 200) return;
    this.loadingMore = true;
    try {
      await this.client.loadMoreRooms();
    } catch {
      // Scrolling again retries.
    } finally {
      this.loadingMore = false;
    }
  }

  /** Focus the room that holds the list's tab stop (the first, until another was focused). */
  override focus(options?: FocusOptions): void {
    const buttons = this.roomButtons();
    const current = buttons.find((b) => b.tabIndex === 0) ?? buttons[0];
    if (current) current.focus(options);
    else super.focus(options);
  }

  private roomButtons(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('.room')];
  }

  /**
   * The list is one tab stop (a roving tabindex, WAI-ARIA APG): Tab enters at the room focused last,
   * the arrow keys, Home and End move between rooms, Tab leaves the list.
   */
  private onKeyDown(event: KeyboardEvent): void {
    // Near the end, the next page of rooms (as scrolling there would).
    if (moveFocus(event, this.roomButtons())) void this.loadMoreIfNeeded();
  }

  /** Whichever room gets focus (arrows, a click, the drawer's "back") holds the tab stop from then on. */
  private onFocusIn(event: FocusEvent): void {
    const id = (event.composedPath()[0] as HTMLElement).dataset?.['roomId'];
    if (id && id !== this.tabStop) {
      this.tabStop = id;
      this.requestUpdate();
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.clock = setInterval(() => this.requestUpdate(), CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  protected override updated(): void {
    // Presence of the people behind direct rooms, fetched again only when that set changes. Not before
    // the user is known (the first room page can arrive first): "the other person" would be a guess.
    if (!this.me.value) return;
    const ids = this.rooms.value
      .flatMap((room) => (room.type === 'direct' ? [this.otherPerson(room)?.id ?? ''] : []))
      .filter(Boolean);
    const key = ids.sort().join('\n');
    const client = this.client;
    if (!client || key === this.presenceLoadedFor) return;
    this.presenceLoadedFor = key;
    // Presence is decoration: asked for once the list is painted (the request must not delay that
    // paint), and a server without it leaves every dot grey.
    void afterNextPaint().then(() => {
      if (this.client === client && this.presenceLoadedFor === key) client.loadPresence(ids).catch(() => undefined);
    });
  }

  private otherPerson(room: Room) {
    return room.participants.find((p) => p.id !== this.me.value);
  }

  private preview(room: Room): string {
    const message = room.last_message;
    if (!message) return '';
    if (message.deleted_at !== null) return this.strings.deleted;
    if (message.content === null && message.type !== 'system')
      return message.unreadable ? this.strings.unreadable : this.strings.deleted;
    if (message.type === 'system') {
      return systemMessageText(message, (id) => room.participants.find((p) => p.id === id)?.name, this.strings);
    }
    // Whose it is: "You: …" for mine and, in a group, "Bob: …" for someone else's.
    const mine = message.sender_id !== null && message.sender_id === this.me.value;
    const sender =
      room.type === 'group' && !mine ? room.participants.find((p) => p.id === message.sender_id) : undefined;
    const prefix = mine
      ? this.strings.youPrefix
      : sender
        ? format(this.strings.senderPrefix, { name: sender.name })
        : '';
    // The first line is enough; CSS ellipsis handles the rest.
    return prefix + (message.content ?? '').split('\n', 1)[0];
  }

  private renderPresence(room: Room) {
    const other = this.otherPerson(room);
    const { status, label } = presenceLabel(other && this.presence.value[other.id], this.strings, this.locale);
    return html`<span class="presence ${status}" part="presence" role="img" aria-label=${label} title=${label}></span>`;
  }

  private renderRoom(room: Room, tabStop: string | undefined, timesReady: boolean) {
    const s = this.strings;
    const unread = room.unread_count;
    const when = room.last_message_at ?? room.created_at;
    const direct = room.type === 'direct';
    const other = direct ? this.otherPerson(room) : undefined;
    return html`
      <li>
        <button
          class="room ${unread > 0 ? 'unread-room' : ''}"
          part=${unread > 0 ? 'room room--unread' : 'room'}
          type="button"
          tabindex=${room.id === tabStop ? 0 : -1}
          data-room-id=${room.id}
          @click=${() => this.emit('messaging-room-select', { detail: { roomId: room.id } })}
        >
          ${renderAvatar(
            room.display_name,
            direct ? other?.avatar_url : null,
            (direct && other?.id) || room.id,
            direct ? this.renderPresence(room) : nothing,
          )}
          <span class="name" part="name" dir="auto">${room.display_name}</span>
          ${
            timesReady
              ? html`<time class="time" part="time" datetime=${when} title=${formatFullTime(when, this.locale)}
                  >${formatShortTime(when, this.locale)}</time
                >`
              : html`<time class="time" part="time" datetime=${when}></time>`
          }
          <span class="preview" part="preview" dir="auto">${this.preview(room)}</span>
          ${
            unread > 0
              ? html`<span class="unread" part="unread"
                  ><span aria-hidden="true">${unread > 99 ? '99+' : unread}</span
                  ><span class="visually-hidden">${plural(s.unread, unread, this.locale)}</span></span
                >`
              : nothing
          }
        </button>
      </li>
    `;
  }

  protected override render() {
    const rooms = this.rooms.value;
    if (rooms.length === 0) {
      return html`<p class="notice" part="notice">
        ${this.loaded.value ? this.strings.noRooms : this.strings.loading}
      </p>`;
    }
    const tabStop = rooms.some((r) => r.id === this.tabStop) ? this.tabStop : rooms[0]?.id;
    // The first paint does not wait for the date formats (see listTimesReady): the times follow.
    const timesReady = listTimesReady(this.locale);
    if (!timesReady) void prepareListTimes(this.locale).then(() => this.requestUpdate());
    return html`<ul part="base" aria-label=${this.strings.title} @keydown=${this.onKeyDown} @focusin=${this.onFocusIn}>
      ${repeat(
        rooms,
        (r) => r.id,
        (r) => this.renderRoom(r, tabStop, timesReady),
      )}
    </ul>`;
  }
}
