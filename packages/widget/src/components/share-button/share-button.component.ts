import { html, nothing } from 'lit';
import type { Message, ParleyClient, Room, User } from '@parley/sdk';
import { shareToRoom } from '@parley/sdk/agent';
import { ClientController, connected } from '../../base/client-controller.js';
import { MessagingElement } from '../../base/messaging-element.js';
import { iconButton } from '../../base/icon-button.js';
import { closeIcon, sendIcon } from '../../base/icons.js';
import type { ShareEventDetails } from './share-button.events.js';
import { resolveShareStrings, type ShareStrings } from './share-button.strings.js';
import styles from './share-button.styles.js';
import { phaseTemplate, type Phase, type Target } from './share-button.templates.js';

/** How many recent rooms the picker offers before the user searches. */
const RECENT_ROOMS = 7;
/** Rooms searched by name: the most recent ones (there is no server-side room search yet). */
const SEARCHED_ROOMS = 100;
const SEARCH_DEBOUNCE_MS = 200;

/**
 * @summary "Send to room": shares an AI answer into one of the user's conversations as an
 * `ai_share` message that names its source conversation and message.
 *
 * The client is the `client` property, or else the one of the page's mounted
 * `<messaging-drawer>`. The picker offers the 7 most recent rooms, and a search over
 * rooms (by name) and people (the directory; choosing a person opens the direct room).
 *
 * @event messaging-share - `{ roomId, message }` once sent.
 * @event messaging-share-error - `{ roomId, error }` when sending failed or no client was found.
 * @event messaging-share-close - `{ sent }` when the picker closed.
 *
 * @csspart button - The "Send to room" button (absent with `hide-button`).
 * @csspart dialog - The picker (a modal `<dialog>`).
 * @csspart title - The picker's heading.
 * @csspart close-button - Closes the picker.
 * @csspart preview - The text being shared.
 * @csspart search - The search box.
 * @csspart list - A list of choices; `heading` labels it.
 * @csspart room - A room choice.
 * @csspart person - A person choice.
 * @csspart status - Progress and success text.
 * @csspart error - Failure text.
 * @csspart done-button - Closes the picker after a send.
 *
 * @cssproperty --messaging-color-primary - The done button.
 * @cssproperty --messaging-color-surface / -surface-alt / -border / -text / -text-muted / -danger
 * @cssproperty --messaging-radius, --messaging-radius-small, --messaging-spacing, --messaging-shadow
 */
export class MessagingShareButton extends MessagingElement {
  static override styles = styles;
  static override properties = {
    content: { type: String },
    sourceConversationId: { type: String, attribute: 'source-conversation-id' },
    sourceMessageId: { type: String, attribute: 'source-message-id' },
    hideButton: { type: Boolean, attribute: 'hide-button', reflect: true },
    client: { attribute: false },
    strings: { attribute: false },
    phase: { state: true },
    recent: { state: true },
    query: { state: true },
    results: { state: true },
    loading: { state: true },
    open: { state: true },
  };

  /** The text to share (an AI answer). */
  declare content: string;
  declare sourceConversationId: string;
  declare sourceMessageId: string;
  /** Render no button: the host opens the picker with `show()` (as `Parley.share()` does). */
  declare hideButton: boolean;
  /** A client the host made and owns; defaults to the page's mounted drawer's client. */
  declare client: ParleyClient | undefined;
  declare strings: Partial<ShareStrings> | undefined;
  declare private phase: Phase;
  declare private recent: Room[];
  declare private query: string;
  declare private results: { rooms: Room[]; people: User[] } | null;
  declare private loading: boolean;
  declare private open: boolean;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private searchSeq = 0;
  private searchedRooms: Promise<Room[]> | null = null;
  private sent = false;
  private readonly clients = new ClientController(this, {
    given: () => this.client,
    borrow: () => document.querySelector('messaging-drawer')?.activeClient,
  });

  constructor() {
    super();
    this.content = '';
    this.sourceConversationId = '';
    this.sourceMessageId = '';
    this.hideButton = false;
    this.phase = { state: 'picking' };
    this.recent = [];
    this.query = '';
    this.results = null;
    this.loading = false;
    this.open = false;
  }

  /** The client in use: the property, or the mounted drawer's. */
  get activeClient(): ParleyClient | undefined {
    return this.clients.client;
  }

  /** Open the picker and load the recent rooms. Resolves once it is shown. */
  async show(): Promise<void> {
    this.phase = { state: 'picking' };
    this.query = '';
    this.results = null;
    this.sent = false;
    this.searchedRooms = null;
    this.open = true;
    await this.updateComplete;
    const dialog = this.dialog;
    if (dialog && !dialog.open) dialog.showModal();
    this.renderRoot.querySelector<HTMLInputElement>('[part~=search]')?.focus();
    const client = this.activeClient;
    if (!client) {
      this.fail(
        null,
        '',
        this.text.shareNoClient,
        new Error('no ParleyClient: set .client or mount a <messaging-drawer>'),
      );
      return;
    }
    this.loading = true;
    try {
      this.recent = (await client.rest.listRooms({ limit: RECENT_ROOMS })).rooms;
    } catch (error) {
      this.fail(null, '', String((error as Error).message ?? error), error);
    } finally {
      this.loading = false;
    }
  }

  /** Close the picker. */
  hide(): void {
    this.dialog?.close();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  private get text(): ShareStrings {
    return resolveShareStrings(this.strings);
  }

  private emitShare<K extends keyof ShareEventDetails>(name: K, detail: ShareEventDetails[K]): void {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
  }

  private fail(roomId: string | null, name: string, message: string, error: unknown): void {
    this.phase = { state: 'failed', name, error: message };
    this.emitShare('messaging-share-error', { roomId, error });
  }

  private onDialogClose(): void {
    this.open = false;
    clearTimeout(this.searchTimer);
    this.emitShare('messaging-share-close', { sent: this.sent });
  }

  private onSearchInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    const query = this.query.trim();
    if (!query) {
      this.results = null;
      return;
    }
    this.searchTimer = setTimeout(() => void this.search(query), SEARCH_DEBOUNCE_MS);
  }

  private async search(query: string): Promise<void> {
    const client = this.activeClient;
    if (!client) return;
    const seq = ++this.searchSeq;
    this.loading = true;
    try {
      this.searchedRooms ??= client.rest.listRooms({ limit: SEARCHED_ROOMS }).then((page) => page.rooms);
      const [rooms, people] = await Promise.all([this.searchedRooms, client.searchUsers(query, 8)]);
      if (seq !== this.searchSeq) return; // a newer search answers instead
      const needle = query.toLowerCase();
      const me = client.user?.id ?? (await client.me()).id;
      this.results = {
        rooms: rooms.filter((r) => r.display_name.toLowerCase().includes(needle)).slice(0, RECENT_ROOMS),
        people: people.filter((u) => u.id !== me),
      };
    } catch (error) {
      this.searchedRooms = null;
      if (seq === this.searchSeq) this.fail(null, '', String((error as Error).message ?? error), error);
    } finally {
      if (seq === this.searchSeq) this.loading = false;
    }
  }

  private async choose(target: Target): Promise<void> {
    const client = this.activeClient;
    if (!client || this.phase.state === 'sending') return;
    const name = target.kind === 'room' ? target.room.display_name : target.user.name;
    this.phase = { state: 'sending', name };
    let roomId: string | null = target.kind === 'room' ? target.room.id : null;
    try {
      roomId ??= (await client.createDirectRoom((target as { user: User }).user.id)).id;
      // A host's own client may not be connected yet.
      const message: Message = await shareToRoom(await connected(client), roomId, this.content, {
        source_conversation_id: this.sourceConversationId,
        source_message_id: this.sourceMessageId,
      });
      this.sent = true;
      this.phase = { state: 'sent', name };
      this.emitShare('messaging-share', { roomId, message });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('[part~=done-button]')?.focus();
    } catch (error) {
      this.fail(roomId, name, String((error as Error).message ?? error), error);
    }
  }

  protected override render() {
    const s = this.text;
    return html`
      ${
        this.hideButton
          ? nothing
          : html`<button class="trigger" part="button" type="button" @click=${() => void this.show()}>
              ${sendIcon}<span>${s.shareButton}</span>
            </button>`
      }
      <dialog part="dialog" aria-labelledby="share-title" @close=${this.onDialogClose}>
        ${
          this.open
            ? html`<div class="panel">
                <header>
                  <h2 id="share-title" part="title">${s.shareTitle}</h2>
                  ${iconButton('close-button', s.shareClose, closeIcon, () => this.hide())}
                </header>
                <p class="preview" part="preview">${this.content}</p>
                ${phaseTemplate(s, this.phase, {
                  recent: this.recent,
                  query: this.query,
                  results: this.results,
                  loading: this.loading,
                  canPick: this.activeClient !== undefined,
                  onSearchInput: (event) => this.onSearchInput(event),
                  choose: (target) => void this.choose(target),
                  done: () => this.hide(),
                })}
              </div>`
            : nothing
        }
      </dialog>
    `;
  }
}
