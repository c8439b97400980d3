import { html, nothing } from 'lit';
import { selectRoomList, type ParleyClient, type User } from '@parley/sdk';
import { presenceSlice } from '../../base/client-stores.js';
import { MessagingElement } from '../../base/messaging-element.js';
import { StoreController } from '../../base/store-controller.js';
import { renderAvatar } from '../../base/avatar.js';
import { backIcon, closeIcon } from '../../base/icons.js';
import { iconButton } from '../../base/icon-button.js';
import { defaultStrings, format, type MessagingStrings } from '../../i18n.js';
import styles from './new-conversation.styles.js';
import { suggestedPeople } from './suggestions.js';

/** Wait this long after the last keystroke before asking the directory. */
const SEARCH_DEBOUNCE_MS = 250;

/**
 * @summary "New conversation": before anything is typed, the people of recent conversations (online
 * ones first); then search the user directory (debounced `searchUsers`), pick one person for a
 * direct room or several for a group (with an optional name), and create it.
 *
 * @slot header-actions - Buttons at the end of the header (the drawer puts its close button here).
 *
 * @event messaging-room-create - `{ roomId }` once the room exists (an existing direct room is reused).
 * @event messaging-back - The back button was pressed.
 *
 * @csspart header - The header bar.
 * @csspart back-button - Back to the room list.
 * @csspart title - "New conversation".
 * @csspart search - The search `<input>`.
 * @csspart chosen - The chips of chosen people; each chip is `chosen-person`.
 * @csspart results - The list of matches; each match is a `person` button (`aria-pressed` when chosen).
 * @csspart avatar - A person's picture or initials.
 * @csspart group-name - The group name `<input>` (two or more people chosen).
 * @csspart create-button - "Start chat" / "Create group".
 * @csspart notice - Searching / no matches / errors.
 */
export class MessagingNewConversation extends MessagingElement {
  static override styles = styles;
  static override properties = {
    client: { attribute: false },
    strings: { attribute: false },
    query: { state: true },
    results: { state: true },
    chosen: { state: true },
    searching: { state: true },
    creating: { state: true },
    error: { state: true },
  };

  declare client: ParleyClient | undefined;
  declare strings: MessagingStrings;
  declare query: string;
  declare results: User[];
  declare chosen: User[];
  declare searching: boolean;
  declare creating: boolean;
  declare error: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Only the newest search may update the results (answers can arrive out of order). */
  private searchId = 0;
  private readonly rooms = new StoreController(this, () => this.client?.stores.rooms, selectRoomList, []);
  private readonly presence = presenceSlice(this);

  constructor() {
    super();
    this.strings = defaultStrings;
    this.query = '';
    this.results = [];
    this.chosen = [];
    this.searching = false;
    this.creating = false;
    this.error = '';
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector('input')?.focus(options);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    const query = this.query.trim();
    const id = ++this.searchId;
    if (!query || !this.client) {
      this.results = [];
      this.searching = false;
      return;
    }
    this.searching = true;
    this.timer = setTimeout(() => void this.search(id, query), SEARCH_DEBOUNCE_MS);
  }

  private async search(id: number, query: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const users = await client.searchUsers(query);
      if (id !== this.searchId) return;
      const me = client.user?.id;
      this.results = users.filter((u) => u.id !== me);
      this.error = '';
    } catch {
      if (id === this.searchId) this.error = this.strings.actionFailed;
    } finally {
      if (id === this.searchId) this.searching = false;
    }
  }

  private toggle(user: User): void {
    this.chosen = this.chosen.some((u) => u.id === user.id)
      ? this.chosen.filter((u) => u.id !== user.id)
      : [...this.chosen, user];
  }

  private async create(event: Event): Promise<void> {
    event.preventDefault();
    const client = this.client;
    if (!client || this.chosen.length === 0 || this.creating) return;
    this.creating = true;
    this.error = '';
    try {
      const ids = this.chosen.map((u) => u.id);
      const name = this.renderRoot.querySelector<HTMLInputElement>('.group-name')?.value.trim() || null;
      const room = ids.length === 1 ? await client.createDirectRoom(ids[0]!) : await client.createGroupRoom(name, ids);
      this.emit('messaging-room-create', { detail: { roomId: room.id } });
    } catch {
      this.error = this.strings.createFailed;
    } finally {
      this.creating = false;
    }
  }

  private renderResults() {
    const s = this.strings;
    if (this.searching) return html`<p class="notice" part="notice" role="status">${s.searching}</p>`;
    const searched = this.query.trim() !== '';
    if (searched && this.results.length === 0)
      return html`<p class="notice" part="notice" role="status">${s.noMatches}</p>`;
    const people = searched
      ? this.results
      : suggestedPeople(this.rooms.value, this.client?.user?.id ?? null, this.presence.value);
    return html`${searched || !people.length ? nothing : html`<h3 class="suggested" id="suggested">${s.suggestedPeople}</h3>`}
      <ul
        class="results"
        part="results"
        aria-label=${searched ? s.searchPeople : nothing}
        aria-labelledby=${searched ? nothing : 'suggested'}
      >
        ${people.map((user) => {
          const chosen = this.chosen.some((u) => u.id === user.id);
          return html`<li>
            <button
              class="person"
              part="person"
              type="button"
              aria-pressed=${chosen ? 'true' : 'false'}
              @click=${() => this.toggle(user)}
            >
              ${renderAvatar(user.name, user.avatar_url, user.id)}<span class="name" dir="auto">${user.name}</span>
            </button>
          </li>`;
        })}
      </ul>`;
  }

  protected override render() {
    const s = this.strings;
    const group = this.chosen.length > 1;
    return html`
      <header class="header" part="header">
        ${iconButton('back-button', s.back, backIcon, () => this.emit('messaging-back'))}
        <h2 class="title" part="title">${s.newConversation}</h2>
        <slot name="header-actions"></slot>
      </header>
      <form class="form" @submit=${this.create}>
        <input
          class="search"
          part="search"
          type="search"
          autocomplete="off"
          aria-label=${s.searchPeople}
          placeholder=${s.searchPlaceholder}
          .value=${this.query}
          @input=${this.onInput}
        />
        ${
          this.chosen.length
            ? html`<ul class="chosen" part="chosen" aria-label=${s.selectedPeople}>
                ${this.chosen.map(
                  (user) =>
                    html`<li>
                      <button
                        class="chip"
                        part="chosen-person"
                        type="button"
                        aria-label=${format(s.removePerson, { name: user.name })}
                        @click=${() => this.toggle(user)}
                      >
                        ${user.name} ${closeIcon}
                      </button>
                    </li>`,
                )}
              </ul>`
            : nothing
        }
        ${
          group
            ? html`<input
                class="group-name"
                part="group-name"
                type="text"
                maxlength="200"
                aria-label=${s.groupName}
                placeholder=${s.groupName}
              />`
            : nothing
        }
        <button
          class="create"
          part="create-button"
          type="submit"
          ?disabled=${this.chosen.length === 0 || this.creating}
        >
          ${group ? s.createGroup : s.startChat}
        </button>
        ${this.error ? html`<p class="notice error" part="notice" role="alert">${this.error}</p>` : nothing}
      </form>
      ${this.renderResults()}
    `;
  }
}
