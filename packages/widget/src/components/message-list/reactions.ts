import { html, nothing } from 'lit';
import type { LocalMessage } from '@parley/sdk';
import { format, plural, type MessagingStrings } from '../../i18n.js';

/** The quick picker: the reactions people use most, in the order most pickers show them. */
export const COMMON_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;

type Toggle = (emoji: string) => void;

/** A message's reactions as toggle buttons: count, and `aria-pressed` when one of them is mine. */
export function renderReactionChips(
  message: LocalMessage,
  strings: MessagingStrings,
  locale: string | undefined,
  toggle: Toggle,
) {
  if (message.reactions.length === 0) return nothing;
  return html`<div class="reactions" part="reactions">
    ${message.reactions.map(
      (r) =>
        html`<button
          class="chip ${r.me ? 'mine' : ''}"
          part=${r.me ? 'reaction reaction--mine' : 'reaction'}
          type="button"
          aria-pressed=${r.me ? 'true' : 'false'}
          aria-label=${plural(strings.reactionCount, r.count, locale, { emoji: r.emoji })}
          @click=${() => toggle(r.emoji)}
        >
          <span aria-hidden="true">${r.emoji}</span> <span aria-hidden="true">${r.count}</span>
        </button>`,
    )}
  </div>`;
}

/** The picker row in a message's action menu; each emoji toggles my reaction. */
export function renderReactionPicker(message: LocalMessage, strings: MessagingStrings, toggle: Toggle) {
  const mine = new Set(message.reactions.filter((r) => r.me).map((r) => r.emoji));
  return html`<div class="picker" part="reaction-picker" role="group" aria-label=${strings.addReaction}>
    ${COMMON_EMOJI.map(
      (emoji) =>
        html`<button
          class="pick"
          part="reaction-option"
          type="button"
          aria-pressed=${mine.has(emoji) ? 'true' : 'false'}
          aria-label=${format(strings.react, { emoji })}
          @click=${() => toggle(emoji)}
        >
          ${emoji}
        </button>`,
    )}
  </div>`;
}
