// Over 300 lines on purpose: a third of it is the element's public contract (the JSDoc of its events,
// parts and tokens, its documented properties); the rest is one state machine — which panel shows and
// where focus goes as it changes. The panels' templates, parts, lazy loading and page watching live apart.
import { html, nothing, type PropertyValues } from 'lit';
import { selectTotalUnread, type GetToken, type ParleyClient } from '@parley/sdk';
import { ClientController, type ClientStatus } from '../../base/client-controller.js';
import { MessagingElement } from '../../base/messaging-element.js';
import { StoreController } from '../../base/store-controller.js';
import { chatIcon, closeIcon, plusIcon } from '../../base/icons.js';
import { iconButton } from '../../base/icon-button.js';
import type { CloseSource } from '../../base/events.js';
import { plural, resolveStrings, type MessagingStrings, type StringOverrides } from '../../i18n.js';
import type { MessagingNewConversation } from '../new-conversation/new-conversation.component.js';
import { MessagingRoomList } from '../room-list/room-list.component.js';
import type { MessagingRoomView } from '../room-view/room-view.component.js';
import { wrapFocus } from '../../base/focus-trap.js';
import styles from './drawer.styles.js';
import { loadNewConversation, loadPanel, loadRoomDetails, loadRoomView, whenIdle } from './lazy-panels.js';
import { FirstPaintHold } from './first-paint-hold.js';
import { PageWatchController } from './page-watch-controller.js';
import {
  newConversationPanel,
  roomDetailsPanel,
  roomListPanel,
  roomViewPanel,
  type PanelContext,
} from './drawer.templates.js';

/** Rooms in the list's first page (more load as it scrolls). */
const ROOM_PAGE = 50;

/**
 * @summary The whole widget: a floating button with the total unread count that opens a
 * right-side drawer (a full-screen sheet under 600px) with the room list, the "new
 * conversation" flow and, once a room is chosen, the room view. Esc closes it and focus
 * returns to the button. While the page is hidden the user's presence is `away`.
 *
 * Gets its client either from the `client` property (a `ParleyClient` the host made; the
 * drawer connects it if still idle and loads rooms if not loaded) or builds its own from
 * `server` + `token-url` (or the `getToken` property), which it destroys when removed.
 *
 * @event messaging-open - The drawer opened.
 * @event messaging-request-close - Cancelable, `{ source: 'button' | 'keyboard' | 'method' }`.
 * @event messaging-close - The drawer closed.
 * @event messaging-ready - Its own client connected and loaded the rooms.
 * @event messaging-error - `{ error }`: no token, no connection, or a failed load.
 * @event messaging-room-select - Bubbles from the room list; `{ roomId }`.
 * @event messaging-room-create - Bubbles from the new-conversation flow; `{ roomId }` (the drawer then opens it).
 * @event messaging-new-conversation - The "new conversation" button was pressed.
 * @event messaging-back - Back from a room or the new-conversation flow to the list.
 * @event messaging-unread-change - `{ total }`: the total unread count changed (and once when first known).
 * @event messaging-send - Bubbles from the composer; `{ content }`.
 * @event messaging-typing - Bubbles from the composer; `{ typing }`.
 *
 * @csspart button - The floating button.
 * @csspart badge - The total unread badge on the button.
 * @csspart panel - The drawer (`role="dialog"`).
 * @csspart header - The room list's header bar.
 * @csspart title - "Messages".
 * @csspart close-button - Closes the drawer (in every view).
 * @csspart new-conversation-button - Opens the "new conversation" flow.
 * @csspart banner - "Reconnecting…" while the connection is down.
 * @csspart error - Shown when the client could not be set up.
 * @csspart room-list - The `<messaging-room-list>`; its parts are exported as `room`, `room--unread`, `name`, `preview`, `room-time`, `unread`, `presence`, `avatar`.
 * @csspart room-view - The `<messaging-room-view>`; its parts are exported under their own names (`back-button`, `room-title`, `messages`, `message`, `message--own`, `bubble`, `textarea`, `send-button`, …).
 * @csspart room-details - The `<messaging-room-details>`; its parts are exported as `details-header`, `details-back-button`, `details-title`, `room-name`, `rename-button`, `mute`, `members`, `member`, `member-avatar`, `member-name`, `member-presence`, `remove-button`, `add-people`, `candidate`, `leave-button`, `details-confirm`, `details-notice`.
 * @csspart new-conversation - The `<messaging-new-conversation>`; its parts are exported as `search`, `results`, `person`, `chosen`, `chosen-person`, `group-name`, `create-button`.
 *
 * @cssproperty --messaging-color-primary - Button, own messages, links.
 * @cssproperty --messaging-color-surface - Drawer background.
 * @cssproperty --messaging-drawer-width - Drawer width on wide screens (380px).
 * @cssproperty --messaging-fab-size - Button diameter (56px).
 * @cssproperty --messaging-fab-offset - Button distance from the corner (20px).
 * @cssproperty --messaging-z-index - Stacking level of the button and drawer.
 * (Every other `--messaging-*` token is listed in `base/theme.styles.ts`.)
 */
export class MessagingDrawer extends MessagingElement {
  static override styles = styles;
  static override dependencies = {
    'messaging-room-list': MessagingRoomList,
    // <messaging-room-view> and <messaging-new-conversation> are not here: they load apart (see loadRoomView).
  };
  static override properties = {
    client: { attribute: false },
    server: {},
    tokenUrl: { attribute: 'token-url' },
    getToken: { attribute: false },
    open: { type: Boolean, reflect: true },
    theme: { reflect: true },
    roomId: { attribute: 'room-id' },
    composing: { state: true },
    roomViewReady: { state: true },
    showingDetails: { state: true },
    strings: { attribute: false },
    locale: {},
  };

  /** A client the host made and owns. Takes precedence over `server` + `token-url`. */
  declare client: ParleyClient | undefined;
  /** Base URL of the Parley server (for a client the drawer makes itself). */
  declare server: string | undefined;
  /** The host app's endpoint answering `{"token": "…"}` for the signed-in user (cookies included). */
  declare tokenUrl: string | undefined;
  /** Alternative to `tokenUrl`: a function returning a token. */
  declare getToken: GetToken | undefined;
  declare open: boolean;
  /** `light`, `dark`, or unset to follow `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;
  /** The open room; unset shows the room list. */
  declare roomId: string | undefined;
  /** The "new conversation" flow is shown (instead of the list). */
  declare composing: boolean;
  /** `<messaging-room-view>` is loaded and registered. */
  declare roomViewReady: boolean;
  /** The open room's details are shown (instead of its messages). */
  declare showingDetails: boolean;
  /** Overrides for any of the English strings (see `defaultStrings`). */
  declare strings: StringOverrides | undefined;
  /** BCP 47 locale for dates and times; default: the browser's. */
  declare locale: string | undefined;

  // First, so that a rebuilt client is in place before the stores below resubscribe to it.
  private readonly clients: ClientController = new ClientController(this, {
    given: () => this.client,
    own: () => ({ server: this.server, tokenUrl: this.tokenUrl, getToken: this.getToken }),
    // The room list is the drawer's first view: on the socket as its own client connects, else once per client.
    roomsOnConnect: ROOM_PAGE,
    prepare: (client) => (client.stores.rooms.getLatestValue().loaded ? undefined : client.loadRooms(ROOM_PAGE)),
  });
  private resolved: MessagingStrings = resolveStrings(undefined);
  /** Room to put focus back on after "back". */
  private lastRoomId: string | undefined;
  private roomViewRequested = false;

  private readonly totalUnread = new StoreController(this, () => this.activeClient?.stores.rooms, selectTotalUnread, 0);
  private readonly roomsLoaded = new StoreController(
    this,
    () => this.activeClient?.stores.rooms,
    (s) => s.loaded,
    false,
  );
  /** Rooms to show: the first page, or the tab's stored list before it. */
  private readonly roomsListed = new StoreController(
    this,
    () => this.activeClient?.stores.rooms,
    (s) => s.loaded || s.order.length > 0,
    false,
  );
  private readonly firstPaint = new FirstPaintHold(
    this,
    () =>
      this.roomsListed.value ||
      this.status === 'idle' ||
      this.status === 'error' ||
      this.roomId !== undefined ||
      this.composing,
  );
  /** The total last announced with `messaging-unread-change`. */
  private reportedUnread: number | undefined;
  private readonly connection = new StoreController(
    this,
    () => this.activeClient?.stores.connection,
    (s) => s.state,
    'idle',
  );

  constructor() {
    super();
    this.open = false;
    this.composing = false;
    this.roomViewReady = false;
    this.showingDetails = false;
    // Keeps the phone sheet above the on-screen keyboard, and presence `away` while the page is hidden.
    new PageWatchController(this, () => this.activeClient);
  }

  /** The client in use: the host's, or the one built from `server` + `token-url`. */
  get activeClient(): ParleyClient | undefined {
    return this.clients.client;
  }

  /** Where that client is: `idle`, `connecting`, `ready` or `error`. */
  get status(): ClientStatus {
    return this.clients.status;
  }

  /** Open the drawer; resolves once it is shown and focus is inside. */
  async show(): Promise<void> {
    if (this.open) return;
    this.firstPaint.release(); // focus goes inside, so something must be there
    this.open = true;
    await this.updateComplete;
    this.focusInside();
    this.emit('messaging-open');
  }

  /** Close the drawer (unless a `messaging-request-close` listener cancels); focus returns to the button. */
  async hide(source: CloseSource = 'method'): Promise<void> {
    if (!this.open) return;
    const request = this.emit('messaging-request-close', { detail: { source }, cancelable: true });
    if (request.defaultPrevented) return;
    this.open = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.fab')?.focus();
    this.emit('messaging-close');
  }

  /**
   * The room view's chunk, fetched ahead of the first click: once the room list is shown (its
   * evaluation would otherwise compete with the token and room-list requests on the main thread,
   * delaying the list), or at once when a room is to be shown from the start.
   */
  private prefetchRoomView(): void {
    if (this.roomViewRequested || !(this.roomsLoaded.value || this.roomId || this.status === 'error')) return;
    this.roomViewRequested = true;
    const load = () => void this.loadRoomView();
    if (this.roomId) load();
    else whenIdle(load);
  }

  /** Load a panel that comes apart from widget.js (see loadPanel); a failure is reported as `messaging-error`. */
  private loadPart(load: () => Promise<void>): Promise<boolean> {
    return loadPanel(load, (error) => this.emit('messaging-error', { detail: { error } }));
  }

  /** Resolves once the room view can render. */
  private async loadRoomView(): Promise<boolean> {
    if (!(await this.loadPart(loadRoomView))) return false;
    this.roomViewReady = true;
    return true;
  }

  /** After the render now due, the panel's `tag` element, itself rendered (to put focus in it). */
  private async rendered<K extends keyof HTMLElementTagNameMap>(tag: K): Promise<HTMLElementTagNameMap[K] | null> {
    await this.updateComplete;
    const element = this.renderRoot.querySelector(tag);
    await (element as Partial<MessagingElement> | null)?.updateComplete;
    return element;
  }

  protected override updated(): void {
    this.prefetchRoomView();
    const total = this.totalUnread.value;
    if (this.roomsLoaded.value && total !== this.reportedUnread) {
      this.reportedUnread = total;
      this.emit('messaging-unread-change', { detail: { total } });
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('strings')) this.resolved = resolveStrings(this.strings);
  }

  private focusInside(): void {
    if (this.composing && !this.roomId) {
      this.renderRoot.querySelector<MessagingNewConversation>('messaging-new-conversation')?.focus();
    } else if (this.roomId) {
      this.renderRoot.querySelector<MessagingRoomView>('messaging-room-view')?.focusComposer();
    } else {
      this.renderRoot.querySelector<MessagingRoomList>('messaging-room-list')?.focus();
      // A list still loading has no room to take focus: the header's first button does, so focus is inside.
      if (!(this.renderRoot as ShadowRoot).activeElement)
        this.renderRoot.querySelector<HTMLElement>('.header button')?.focus();
    }
  }

  private async startConversation(): Promise<void> {
    this.emit('messaging-new-conversation');
    if (!(await this.loadPart(loadNewConversation))) return;
    this.composing = true;
    (await this.rendered('messaging-new-conversation'))?.focus();
  }

  private async endConversation(): Promise<void> {
    this.composing = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.new')?.focus();
  }

  /** The open room's details, loaded on first use; focus goes into them. */
  private async showDetails(): Promise<void> {
    if (!(await this.loadPart(loadRoomDetails))) return;
    this.showingDetails = true;
    (await this.rendered('messaging-room-details'))?.focus();
  }

  /** Back from the details to the room, with focus on the button that opened them. */
  private async hideDetails(): Promise<void> {
    this.showingDetails = false;
    (await this.rendered('messaging-room-view'))?.shadowRoot
      ?.querySelector<HTMLElement>('[part=details-button]')
      ?.focus();
  }

  private async selectRoom(roomId: string | undefined): Promise<void> {
    if (roomId === undefined) this.lastRoomId = this.roomId;
    this.roomId = roomId;
    this.composing = false;
    this.showingDetails = false;
    await this.updateComplete;
    if (roomId && !(await this.loadRoomView())) {
      // Its chunk did not load (reported): stay on the list rather than show an empty panel.
      this.roomId = undefined;
      return;
    }
    if (roomId) {
      (await this.rendered('messaging-room-view'))?.focusComposer();
    } else {
      const list = this.renderRoot.querySelector<MessagingRoomList>('messaging-room-list');
      await list?.updateComplete;
      const previous = this.lastRoomId
        ? list?.shadowRoot?.querySelector<HTMLElement>(`[data-room-id="${CSS.escape(this.lastRoomId)}"]`)
        : null;
      if (previous) previous.focus();
      else list?.focus();
    }
  }

  /** Tab past either end of the open panel comes back in at the other end (see wrapFocus). */
  private wrap(event: FocusEvent, sentinel: 'start' | 'end'): void {
    const panel = this.renderRoot.querySelector('.panel');
    if (panel) wrapFocus(event, panel, sentinel);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && !event.isComposing) {
      event.stopPropagation();
      void this.hide('keyboard');
    }
  }

  private renderCloseButton(slot?: string) {
    return iconButton(
      'close-button',
      this.resolved.close,
      closeIcon,
      () => void this.hide('button'),
      slot ? { slot } : {},
    );
  }

  private renderBody() {
    const s = this.resolved;
    const client = this.activeClient;
    const panel: PanelContext = {
      client,
      strings: s,
      locale: this.locale,
      closeButton: this.renderCloseButton('header-actions'),
    };
    if (this.roomId && client && this.showingDetails) {
      return roomDetailsPanel(panel, this.roomId, {
        back: () => void this.hideDetails(),
        leave: () => void this.selectRoom(undefined),
      });
    }
    if (this.roomId && client) {
      // The room view's chunk is fetched from the start; in the rare case it is not there yet, an empty panel.
      if (!this.roomViewReady) return nothing;
      return roomViewPanel(panel, this.roomId, this.open, {
        back: () => void this.selectRoom(undefined),
        details: () => void this.showDetails(),
      });
    }
    if (this.composing && client) {
      return newConversationPanel(panel, {
        back: () => void this.endConversation(),
        create: (roomId) => void this.selectRoom(roomId),
      });
    }
    return html`
      <header class="header" part="header">
        <h2 class="title" part="title">${s.title}</h2>
        ${
          client
            ? iconButton('new-conversation-button', s.newConversation, plusIcon, () => void this.startConversation(), {
                className: 'new',
              })
            : nothing
        }
        ${this.renderCloseButton()}
      </header>
      ${this.clients.status === 'error' ? html`<p class="error" part="error" role="alert">${s.connectError}</p>` : nothing}
      ${roomListPanel(panel, { select: (roomId) => void this.selectRoom(roomId) })}
    `;
  }

  protected override render() {
    if (this.firstPaint.holding) return nothing;
    const s = this.resolved;
    const unread = this.totalUnread.value;
    const down =
      this.clients.status === 'ready' &&
      (this.connection.value === 'reconnecting' || this.connection.value === 'offline');
    return html`
      <button
        class="fab"
        part="button"
        type="button"
        aria-haspopup="dialog"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="panel"
        aria-label=${unread > 0 ? plural(s.openMessagesUnread, unread, this.locale) : s.openMessages}
        @click=${() => (this.open ? this.hide('button') : this.show())}
      >
        ${chatIcon}
        <span class="badge" part="badge" aria-hidden="true" ?hidden=${unread === 0}
          >${unread > 99 ? '99+' : unread}</span
        >
      </button>
      <section
        id="panel"
        class="panel"
        part="panel"
        role="dialog"
        aria-label=${s.title}
        ?inert=${!this.open}
        @keydown=${this.onKeyDown}
      >
        <span class="sentinel" tabindex="0" @focus=${(e: FocusEvent) => this.wrap(e, 'start')}></span>
        ${down ? html`<p class="banner" part="banner" role="status">${s.connectionLost}</p>` : nothing}
        ${this.renderBody()}
        <span class="sentinel" tabindex="0" @focus=${(e: FocusEvent) => this.wrap(e, 'end')}></span>
      </section>
    `;
  }
}
