// A little over 300 lines on purpose: the panel's four actions (rename, add, remove, leave) share its
// one confirm and notice state; its parts and styles live apart.
import { html, nothing } from 'lit';
import type { ParleyClient, Room, User } from '@parley/sdk';
import { renderAvatar } from '../../base/avatar.js';
import { myIdSlice, presenceSlice, roomSlice } from '../../base/client-stores.js';
import { MessagingElement } from '../../base/messaging-element.js';
import { backIcon } from '../../base/icons.js';
import { iconButton } from '../../base/icon-button.js';
import { defaultStrings, format, plural, type MessagingStrings } from '../../i18n.js';
import { presenceLabel } from '../../presence-text.js';
import styles from './room-details.styles.js';

/** Wait this long after the last keystroke before asking the directory. */
const SEARCH_DEBOUNCE_MS = 250;

/**
 * @summary One conversation's details: its name (a group's, renamed here), mute, its members with
 * their presence, adding people and — for the room's creator, as the server rules — removing them,
 * and leaving. Everything is live from the SDK's stores: a rename or a member another person adds
 * shows at once. Loaded apart from widget.js, on first use.
 *
 * @slot header-actions - Buttons at the end of the header (the drawer puts its close button here).
 *
 * @event messaging-back - Back to the conversation.
 * @event messaging-room-leave - `{ roomId }`: the user left the room (the drawer goes back to the list).
 *
 * @csspart header - The header bar; `back-button`, `title` in it.
 * @csspart room-name - The group's name `<input>`; `rename-button` saves it.
 * @csspart mute - The mute switch (`role="switch"`, `aria-checked`).
 * @csspart members - The member list; each is `member`, with `avatar`, `member-name`, `member-presence` and, for the creator, `remove-button`.
 * @csspart add-people - The search `<input>` to add people; matches are `candidate` buttons.
 * @csspart leave-button - Leave the conversation (asks first: `confirm`).
 * @csspart notice - Errors.
 */
export class MessagingRoomDetails extends MessagingElement {
  static override styles = styles;
  static override properties = {
    client: { attribute: false },
    roomId: { attribute: 'room-id' },
    strings: { attribute: false },
    locale: {},
    query: { state: true },
    candidates: { state: true },
    confirming: { state: true },
    error: { state: true },
  };

  declare client: ParleyClient | undefined;
  declare roomId: string | undefined;
  declare strings: MessagingStrings;
  declare locale: string | undefined;
  declare query: string;
  declare candidates: User[];
  /** What is being confirmed: `leave`, or the id of the member to remove. */
  declare confirming: string | undefined;
  declare error: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Only the newest search may update the candidates (answers can arrive out of order). */
  private searchId = 0;
  private presenceFor: string | undefined;

  private readonly room = roomSlice(this);
  private readonly presence = presenceSlice(this);
  private readonly me = myIdSlice(this);

  constructor() {
    super();
    this.strings = defaultStrings;
    this.query = '';
    this.candidates = [];
    this.error = '';
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('[part=back-button]')?.focus(options);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  protected override updated(): void {
    // The members' presence, once per room shown (it then stays live through the presence store).
    if (!this.client || !this.roomId || this.presenceFor === this.roomId) return;
    this.presenceFor = this.roomId;
    this.client.listParticipants(this.roomId).catch(() => undefined);
  }

  /** Run an SDK call; a failure shows a short alert instead of throwing. */
  private async act(run: (client: ParleyClient, roomId: string) => Promise<unknown>): Promise<boolean> {
    const { client, roomId } = this;
    if (!client || !roomId) return false;
    this.error = '';
    try {
      await run(client, roomId);
      return true;
    } catch {
      this.error = this.strings.actionFailed;
      return false;
    }
  }

  private rename(event: Event): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('[part=room-name]');
    const name = input?.value.trim() ?? '';
    if (name === (this.room.value?.name ?? '')) return;
    void this.act((client, roomId) => client.renameRoom(roomId, name || null));
  }

  private onSearch(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    const query = this.query.trim();
    this.clearSearch();
    if (query) this.timer = setTimeout(() => void this.search(query), SEARCH_DEBOUNCE_MS);
  }

  /** No candidates, and no search still to come or in flight that could bring some back. */
  private clearSearch(): void {
    clearTimeout(this.timer);
    this.searchId++;
    this.candidates = [];
  }

  private async search(query: string): Promise<void> {
    const id = this.searchId;
    const found = await this.client?.searchUsers(query).catch(() => [] as User[]);
    if (id !== this.searchId) return;
    const members = new Set(this.room.value?.participants.map((p) => p.id));
    this.candidates = (found ?? []).filter((user) => !members.has(user.id));
  }

  private async add(user: User): Promise<void> {
    if (await this.act((client, roomId) => client.addParticipants(roomId, [user.id]))) {
      this.query = '';
      this.clearSearch();
      this.renderRoot.querySelector<HTMLInputElement>('[part=add-people]')?.focus();
    }
  }

  private async removeMember(userId: string): Promise<void> {
    this.confirming = undefined;
    await this.act((client, roomId) => client.removeParticipant(roomId, userId));
  }

  private async leave(): Promise<void> {
    const roomId = this.roomId;
    this.confirming = undefined;
    if (roomId && (await this.act((client) => client.leaveRoom(roomId)))) {
      this.emit('messaging-room-leave', { detail: { roomId } });
    }
  }

  /** The members as listed: me first, then by name (the server's order is by when they joined). */
  private members(room: Room): Room['participants'] {
    const me = this.me.value;
    return [...room.participants].sort(
      (a, b) => Number(b.id === me) - Number(a.id === me) || a.name.localeCompare(b.name, this.locale),
    );
  }

  /** An inline "are you sure?": Cancel first, the safe choice for a stray Enter. */
  private renderConfirm(question: string, action: string, run: () => void) {
    return html`<div class="confirm" part="confirm" role="group" aria-label=${question}>
      <span>${question}</span>
      <button class="action cancel" type="button" @click=${() => (this.confirming = undefined)}>
        ${this.strings.cancel}
      </button>
      <button class="action danger" type="button" @click=${run}>${action}</button>
    </div>`;
  }

  private renderMember(room: Room, member: Room['participants'][number], canRemove: boolean) {
    const s = this.strings;
    const me = member.id === this.me.value;
    const { status, label } = presenceLabel(this.presence.value[member.id], s, this.locale);
    return html`<li class="member" part="member">
      ${renderAvatar(member.name, member.avatar_url, member.id)}
      <span class="who">
        <span class="name" part="member-name" dir="auto"
          >${me ? format(s.youSuffix, { name: member.name }) : member.name}</span
        >
        <span class="presence-text ${status}" part="member-presence">${label}</span>
      </span>
      ${
        canRemove && !me && room.type === 'group'
          ? html`<button
              class="action"
              part="remove-button"
              type="button"
              aria-label=${format(s.removeMember, { name: member.name })}
              @click=${() => (this.confirming = member.id)}
            >
              ${s.remove}
            </button>`
          : nothing
      }
      ${
        this.confirming === member.id
          ? this.renderConfirm(
              format(s.confirmRemoveMember, { name: member.name }),
              s.remove,
              () => void this.removeMember(member.id),
            )
          : nothing
      }
    </li>`;
  }

  private renderGroupName(room: Room) {
    const s = this.strings;
    return html`<form class="section name-form" @submit=${this.rename}>
      <label for="name">${s.roomName}</label>
      <div class="row">
        <input
          id="name"
          part="room-name"
          .value=${room.name ?? ''}
          placeholder=${s.roomNamePlaceholder}
          maxlength="200"
        />
        <button class="action primary" part="rename-button" type="submit">${s.rename}</button>
      </div>
    </form>`;
  }

  private renderAddPeople() {
    const s = this.strings;
    return html`<div class="section">
      <label for="add">${s.addPeople}</label>
      <input
        id="add"
        part="add-people"
        type="search"
        autocomplete="off"
        placeholder=${s.searchPlaceholder}
        .value=${this.query}
        @input=${this.onSearch}
      />
      ${
        this.candidates.length
          ? html`<ul class="candidates">
              ${this.candidates.map(
                (user) =>
                  html`<li>
                    <button
                      class="candidate"
                      part="candidate"
                      type="button"
                      aria-label=${format(s.addPerson, { name: user.name })}
                      @click=${() => this.add(user)}
                    >
                      ${renderAvatar(user.name, user.avatar_url, user.id)}<span dir="auto">${user.name}</span>
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
    </div>`;
  }

  protected override render() {
    const s = this.strings;
    const room = this.room.value;
    const group = room?.type === 'group';
    const creator = room?.created_by === this.me.value;
    return html`
      <header class="header" part="header">
        ${iconButton('back-button', s.detailsBack, backIcon, () => this.emit('messaging-back'))}
        <h2 class="title" part="title" dir="auto">${room?.display_name ?? s.details}</h2>
        <slot name="header-actions"></slot>
      </header>
      ${this.error ? html`<p class="notice error" part="notice" role="alert">${this.error}</p>` : nothing}
      ${
        room
          ? html`<div class="body">
              ${group ? this.renderGroupName(room) : nothing}
              <div class="section switch-row">
                <span id="mute-label">${s.muteRoom}<small>${s.mutedHint}</small></span>
                <button
                  class="switch"
                  part="mute"
                  type="button"
                  role="switch"
                  aria-checked=${room.muted ? 'true' : 'false'}
                  aria-labelledby="mute-label"
                  @click=${() => this.act((client, roomId) => client.setRoomMuted(roomId, !room.muted))}
                ></button>
              </div>
              <section class="section" aria-labelledby="members-title">
                <h3 id="members-title">${plural(s.memberCount, room.participants.length, this.locale)}</h3>
                <ul class="members" part="members">
                  ${this.members(room).map((member) => this.renderMember(room, member, creator))}
                </ul>
              </section>
              ${group ? this.renderAddPeople() : nothing}
              ${
                group
                  ? html`<div class="section">
                      <button
                        class="action danger"
                        part="leave-button"
                        type="button"
                        @click=${() => (this.confirming = 'leave')}
                      >
                        ${s.leaveRoom}
                      </button>
                      ${this.confirming === 'leave' ? this.renderConfirm(s.confirmLeave, s.leave, () => void this.leave()) : nothing}
                    </div>`
                  : nothing
              }
            </div>`
          : nothing
      }
    `;
  }
}
