import { html } from 'lit';
import { MessagingElement } from '../../base/messaging-element.js';
import { sendIcon } from '../../base/icons.js';
import { defaultStrings, type MessagingStrings } from '../../i18n.js';
import styles from './composer.styles.js';

/** After this long without a keystroke the composer reports that typing stopped. */
const TYPING_IDLE_MS = 4_000;

/**
 * @summary The message box: Enter sends, Shift+Enter inserts a newline.
 * Pure UI: it never talks to the SDK, so it can be reused (edit box, thread reply).
 *
 * @event messaging-send - `{ content }`, trimmed and non-empty; the box is cleared.
 * @event messaging-typing - `{ typing }` on the first keystroke and after idling or sending.
 *
 * @csspart base - The row holding the textarea and the button.
 * @csspart textarea - The `<textarea>`.
 * @csspart send-button - The send button.
 *
 * @cssproperty --messaging-color-primary - Send button background.
 * @cssproperty --messaging-color-border - Textarea border and top rule.
 * @cssproperty --messaging-radius - Textarea corner radius.
 */
export class MessagingComposer extends MessagingElement {
  static override styles = styles;
  static override properties = {
    value: { type: String },
    disabled: { type: Boolean, reflect: true },
    strings: { attribute: false },
  };

  /** The current text. */
  declare value: string;
  declare disabled: boolean;
  declare strings: MessagingStrings;
  private typing = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.value = '';
    this.disabled = false;
    this.strings = defaultStrings;
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector('textarea')?.focus(options);
  }

  /** Send the current text, as Enter does. */
  submit(): void {
    const content = this.value.trim();
    if (!content || this.disabled) return;
    this.value = '';
    this.stopTyping();
    this.emit('messaging-send', { detail: { content } });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTyping();
  }

  private onInput(event: Event): void {
    this.value = (event.target as HTMLTextAreaElement).value;
    if (!this.value) {
      this.stopTyping();
      return;
    }
    if (!this.typing) {
      this.typing = true;
      this.emit('messaging-typing', { detail: { typing: true } });
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private onKeyDown(event: KeyboardEvent): void {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.submit();
  }

  private stopTyping(): void {
    clearTimeout(this.idleTimer);
    if (!this.typing) return;
    this.typing = false;
    this.emit('messaging-typing', { detail: { typing: false } });
  }

  protected override render() {
    const s = this.strings;
    return html`
      <div class="base" part="base">
        <textarea
          part="textarea"
          rows="1"
          aria-label=${s.composerLabel}
          placeholder=${s.composerPlaceholder}
          .value=${this.value}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
        ></textarea>
        <button
          class="send"
          part="send-button"
          type="button"
          aria-label=${s.send}
          title=${s.send}
          ?disabled=${this.disabled || !this.value.trim()}
          @click=${this.submit}
        >
          ${sendIcon}
        </button>
      </div>
    `;
  }
}
