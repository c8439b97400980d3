import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { selectRoomList, type ParleyClient, type PresenceState, type Room } from '@parley/sdk';
import { MessagingElement } from '../../base/messaging-element.js';
import { StoreController } from '../../base/store-controller.js';
import { formatFullTime, formatShortTime } from '../../format-time.js';
import { defaultStrings, format, type MessagingStrings } from '../../i18n.js';
import styles from './room-list.styles.js';

const NO_ROOMS: Room[] = [];
const NO_PRESENCE: PresenceState = {};

/**
 * @summary The user's conversations from the SDK's rooms store, most recent activity first:
 * name, last message preview, time, unread count and, for direct rooms, the other person's presence.
 *
 * @event messaging-room-select - `{ roomId }` when a room is chosen.
 *
 * @csspart base - The `<ul>`.
 * @csspart room - Each room's button; also `room--unread` when it has unread messages.
 * @csspart avatar - The initial circle.
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
  private readonly loaded = new StoreController(this, () => this.client?.stores.rooms, (s) => s.loaded, false);
  private readonly presence = new StoreController(this, () => this.client?.stores.presence, (s) => s.byUser, NO_PRESENCE);
  private readonly me = new StoreController(this, () => this.client?.stores.session, (s) => s.user?.id ?? null, null);

  constructor() {
    super();
    this.strings = defaultStrings;
  }

  /** Focus the first room (the drawer does this when it opens). */
  override focus(options?: FocusOptions): void {
    const first = this.renderRoot.querySelector<HTMLElement>('.room');
    if (first) first.focus(options);
    else super.focus(options);
  }

  private preview(room: Room): string {
    const message = room.last_message;
    if (!message) return '';
    if (message.deleted_at !== null || message.content === null) return this.strings.deleted;
    const prefix = message.sender_id !== null && message.sender_id === this.me.value ? this.strings.youPrefix : '';
    // The first line is enough; CSS ellipsis handles the rest.
    return prefix + message.content.split('\n', 1)[0];
  }

  private renderPresence(room: Room) {
    if (room.type !== 'direct') return nothing;
    const other = room.participants.find((p) => p.id !== this.me.value);
    const status = (other && this.presence.value[other.id]?.status) || 'offline';
    const label = this.strings[status];
    return html`<span class="presence ${status}" part="presence" role="img" aria-label=${label} title=${label}></span>`;
  }

  private renderRoom(room: Room) {
    const s = this.strings;
    const unread = room.unread_count;
    const when = room.last_message_at ?? room.created_at;
    return html`
      <li>
        <button
          class="room ${unread > 0 ? 'unread-room' : ''}"
          part=${unread > 0 ? 'room room--unread' : 'room'}
          type="button"
          data-room-id=${room.id}
          @click=${() => this.emit('messaging-room-select', { detail: { roomId: room.id } })}
        >
          <span class="avatar" part="avatar" aria-hidden="true">${Array.from(room.display_name.trim())[0]?.toUpperCase() ?? '#'}${this.renderPresence(room)}</span>
          <span class="name" part="name">${room.display_name}</span>
          <time class="time" part="time" datetime=${when} title=${formatFullTime(when, this.locale)}>${formatShortTime(when, this.locale)}</time>
          <span class="preview" part="preview">${this.preview(room)}</span>
          ${unread > 0
            ? html`<span class="unread" part="unread"
                ><span aria-hidden="true">${unread > 99 ? '99+' : unread}</span
                ><span class="visually-hidden">${format(s.unread, { count: unread })}</span></span
              >`
            : nothing}
        </button>
      </li>
    `;
  }

  protected override render() {
    const rooms = this.rooms.value;
    if (rooms.length === 0) {
      return html`<p class="notice" part="notice">${this.loaded.value ? this.strings.noRooms : this.strings.loading}</p>`;
    }
    return html`<ul part="base" aria-label=${this.strings.title}>${repeat(rooms, (r) => r.id, (r) => this.renderRoom(r))}</ul>`;
  }
}
