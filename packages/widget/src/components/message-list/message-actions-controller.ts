import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LocalMessage, ParleyClient } from '@parley/sdk';
import type { MessagingElement } from '../../base/messaging-element.js';
import type { MessagingStrings } from '../../i18n.js';

/** The message list the actions run in: its client and room (another room closes whatever was open). */
export interface MessageActionsHost extends ReactiveControllerHost {
  readonly renderRoot: ParentNode;
  readonly client: ParleyClient | undefined;
  readonly roomId: string | undefined;
  readonly strings: MessagingStrings;
  emit: MessagingElement['emit'];
  /** Say something in the list's polite live region. */
  announce(text: string): void;
}

/**
 * What is open on a message and what the user does with it: the actions menu, reactions, the
 * inline editor, the delete confirmation, retrying a failed send. At most one thing is open;
 * closing it puts focus back on that message's actions button. A failed call shows `error`.
 */
export class MessageActionsController implements ReactiveController {
  /** The message whose actions menu is open. */
  menuFor: string | undefined;
  editingId: string | undefined;
  confirmingId: string | undefined;
  /** The last action's failure, for a short alert; '' when there is none. */
  error = '';
  // `#` names: terser shortens them (it keeps property names), and widget.js has a 30 KiB budget.
  readonly #host: MessageActionsHost;
  #shownRoom: string | undefined;

  constructor(host: MessageActionsHost) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdate(): void {
    const roomId = this.#host.roomId;
    if (roomId === this.#shownRoom) return;
    this.#shownRoom = roomId;
    // Before render, so no update of its own: what was open belonged to the other room.
    this.menuFor = this.editingId = this.confirmingId = undefined;
  }

  /** Run an SDK call for a message; a failure shows a short alert instead of throwing. */
  #act(run: (client: ParleyClient, roomId: string) => Promise<unknown>): void {
    const { client, roomId } = this.#host;
    if (!client || !roomId) return;
    this.#setError('');
    run(client, roomId).catch(() => this.#setError(this.#host.strings.actionFailed));
  }

  #setError(error: string): void {
    if (error === this.error) return;
    this.error = error;
    this.#host.requestUpdate();
  }

  /** Change what is open and wait for that render; resolves with the root to find what to focus in. */
  async #open(
    menuFor: string | undefined,
    editingId: string | undefined,
    confirmingId: string | undefined,
  ): Promise<ParentNode> {
    if (menuFor !== this.menuFor || editingId !== this.editingId || confirmingId !== this.confirmingId) {
      this.menuFor = menuFor;
      this.editingId = editingId;
      this.confirmingId = confirmingId;
      this.#host.requestUpdate();
    }
    await this.#host.updateComplete;
    return this.#host.renderRoot;
  }

  /** Close whatever is open on a message and put focus back on its actions button. */
  async close(messageId: string): Promise<void> {
    const root = await this.#open(undefined, undefined, undefined);
    const row = root.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
    // Its button is gone when the message was deleted meanwhile: then the list itself.
    (row?.querySelector<HTMLElement>('.more') ?? root.querySelector<HTMLElement>('.base'))?.focus();
  }

  async toggleMenu(messageId: string): Promise<void> {
    if (this.menuFor === messageId) return this.close(messageId);
    (await this.#open(messageId, undefined, undefined)).querySelector<HTMLElement>('.menu button')?.focus();
  }

  toggleReaction(message: LocalMessage, emoji: string): void {
    this.#act((client, roomId) => client.toggleReaction(roomId, message.id, emoji));
    if (this.menuFor === message.id) void this.close(message.id);
  }

  async startEdit(message: LocalMessage): Promise<void> {
    const box = (await this.#open(undefined, message.id, this.confirmingId)).querySelector<HTMLTextAreaElement>(
      '.edit textarea',
    );
    box?.focus();
    box?.select();
  }

  saveEdit(message: LocalMessage, box: HTMLTextAreaElement): void {
    const content = box.value.trim();
    if (content && content !== message.content)
      this.#act((client, roomId) => client.editMessage(roomId, message.id, content));
    void this.close(message.id);
  }

  /** The editor's keys: Enter saves (Shift+Enter is a new line; never while an IME composes). */
  onEditKeyDown(message: LocalMessage, event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.saveEdit(message, event.target as HTMLTextAreaElement);
  }

  async askDelete(message: LocalMessage): Promise<void> {
    const root = await this.#open(undefined, this.editingId, message.id);
    // Cancel first: the safe choice for a stray Enter.
    root.querySelector<HTMLElement>('.confirm .cancel')?.focus();
  }

  confirmDelete(message: LocalMessage): void {
    this.#act((client, roomId) => client.deleteMessage(roomId, message.id));
    void this.close(message.id);
  }

  retry(message: LocalMessage): void {
    const client = this.#host.client;
    if (client && message.client_id) void client.retrySend(message.room_id, message.client_id);
  }

  /** A failed send's text back into the composer (the room view puts it there), and the failed copy gone. */
  editUnsent(message: LocalMessage): void {
    this.#host.emit('messaging-edit-unsent', { detail: { content: message.content ?? '' } });
    this.discard(message);
  }

  discard(message: LocalMessage): void {
    if (message.client_id) this.#host.client?.discardFailed(message.room_id, message.client_id);
  }

  /** The text to the clipboard; says whether that worked (the clipboard needs a secure, focused page). */
  copy(message: LocalMessage): void {
    const s = this.#host.strings;
    navigator.clipboard.writeText(message.content ?? '').then(
      () => this.#host.announce(s.copied),
      () => this.#setError(s.copyFailed),
    );
  }

  /** The list's keydown listener: Esc closes the innermost thing (the menu or editor), not the whole drawer. */
  readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.isComposing) return;
    const open = this.menuFor ?? this.editingId ?? this.confirmingId;
    if (!open) return;
    event.stopPropagation();
    void this.close(open);
  };
}
