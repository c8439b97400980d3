import { html, nothing } from 'lit';
import type { LocalMessage } from '@parley/sdk';
import type { MessagingStrings } from '../../i18n.js';
import { renderMessageText } from '../../message-text.js';

function metaString(message: LocalMessage, key: string): string {
  const value = message.metadata[key];
  return typeof value === 'string' ? value : '';
}

/** `metadata.via === 'agent'`: an AI assistant sent it on the user's behalf. */
export function sentByAgent(message: LocalMessage): boolean {
  return message.metadata['via'] === 'agent';
}

/**
 * 1–3 emoji and nothing else (spaces aside): shown large, without a bubble. An emoji here is a
 * pictograph or a flag, with its variation selector, skin tone and zero-width-joined parts.
 */
const EMOJI_ONLY =
  /^\s*(?:(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2})(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*\s*){1,3}$/u;

export function isJumboEmoji(text: string | null): boolean {
  return text !== null && EMOJI_ONLY.test(text);
}

/**
 * The bubble: a tombstone, an `ai_share` card (titled with its source's name from metadata,
 * `source_title` or `source`: never a raw id), or plain text with links. Text is `dir="auto"`,
 * so a right-to-left message reads right to left.
 */
export function renderBubble(message: LocalMessage, strings: MessagingStrings) {
  if (message.deleted_at !== null || message.content === null) {
    return html`<div class="bubble" part="bubble">${message.unreadable ? strings.unreadable : strings.deleted}</div>`;
  }
  if (message.type === 'ai_share') {
    const source = metaString(message, 'source_title') || metaString(message, 'source');
    return html`<div class="bubble card" part="bubble ai-share">
      <span class="card-label" part="ai-share-label">${strings.aiShare}</span>
      ${source ? html`<span class="card-title" part="ai-share-title" dir="auto">${source}</span>` : nothing}
      <span class="text" dir="auto">${renderMessageText(message.content)}</span>
    </div>`;
  }
  const jumbo = isJumboEmoji(message.content);
  const classes = jumbo ? 'bubble jumbo' : 'bubble';
  // One line: the bubble keeps white space as written, so the template must add none.
  // prettier-ignore
  return html`<div class=${classes} part=${classes} dir="auto">${renderMessageText(message.content)}</div>`;
}
