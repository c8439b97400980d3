import { html, nothing } from 'lit';
import { MessagingElement } from '../../base/messaging-element.js';
import { sendIcon } from '../../base/icons.js';
import { defaultStrings, plural, type MessagingStrings } from '../../i18n.js';
import styles from './composer.styles.js';

/** After this long without a keystroke the composer reports that typing stopped. */
const TYPING_IDLE_MS = 4_000;
/** Characters as people (and the server) count them: an emoji is one, not two UTF-16 units. */
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The counter shows once the text is within this share of `maxLength` (and always past it). */
const COUNTER_FROM = 0.9;

/**
 * @summary The message box: Enter sends, Shift+Enter inserts a newline. Near `maxLength` a
 * counter says how many characters are left; past it, how many too many, and nothing is sent
 * (the server would refuse it). Pure UI: it never talks to the SDK, so it can be reused.
 *
 * @event messaging-send - `{ content }`, trimmed and non-empty; the box is cleared.
 * @event messaging-typing - `{ typing }` on the first keystroke and after idling or sending.
 *
 * @csspart base - The row holding the textarea and the button.
 * @csspart textarea - The `<textarea>`.
 * @csspart send-button - The send button.
 * @csspart counter - "N characters left" near the limit, "N characters too many" past it.
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
    maxLength: { type: Number, attribute: 'max-length' },
    strings: { attribute: false },
  };

  /** The current text. */
  declare value: string;
  declare disabled: boolean;
  /** The longest text the server accepts (the SDK's `client.limits.message_max_length`); unset: no counter. */
  declare maxLength: number | undefined;
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

  /** Send the current text, as Enter does (not when it is empty or too long). */
  submit(): void {
    const content = this.value.trim();
    if (!content || this.disabled || this.over(content) > 0) return;
    this.value = '';
    this.stopTyping();
    this.emit('messaging-send', { detail: { content } });
  }

  /** Characters past `maxLength` (0 or less: within it), counted as the server counts them: code points. */
  private over(text: string): number {
    return this.maxLength ? codePoints(text) - this.maxLength : -Infinity;
  }

  private renderCounter() {
    const { maxLength, strings: s } = this;
    const length = codePoints(this.value.trim());
    if (!maxLength || length < maxLength * COUNTER_FROM) return nothing;
    const over = length - maxLength;
    return html`<p class="counter ${over > 0 ? 'over' : ''}" part="counter" id="counter" aria-live="polite">
      ${over > 0 ? plural(s.charactersOver, over, undefined) : plural(s.charactersLeft, -over, undefined)}
    </p>`;
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
    const counter = this.renderCounter();
    return html`
      ${counter}
      <div class="base" part="base">
        <textarea
          part="textarea"
          rows="1"
          aria-label=${s.composerLabel}
          aria-describedby=${counter === nothing ? nothing : 'counter'}
          aria-invalid=${this.over(this.value.trim()) > 0 ? 'true' : nothing}
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
          ?disabled=${this.disabled || !this.value.trim() || this.over(this.value.trim()) > 0}
          @click=${this.submit}
        >
          ${sendIcon}
        </button>
      </div>
    `;
  }
}
