import { html, nothing } from 'lit';
import type { LocalMessage } from '@parley/sdk';
import { format, type MessagingStrings } from '../../i18n.js';
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
 * The bubble: a tombstone, an `ai_share` card (labelled, with its source from metadata:
 * `source_title`, else `source`, else `source_conversation_id`), or plain text with links.
 */
export function renderBubble(message: LocalMessage, strings: MessagingStrings) {
  if (message.deleted_at !== null || message.content === null) {
    return html`<div class="bubble" part="bubble">${message.unreadable ? strings.unreadable : strings.deleted}</div>`;
  }
  if (message.type === 'ai_share') {
    const source =
      metaString(message, 'source_title') ||
      metaString(message, 'source') ||
      metaString(message, 'source_conversation_id');
    return html`<div class="bubble card" part="bubble ai-share">
      <span class="card-label" part="ai-share-label">${strings.aiShare}</span>
      <span class="text">${renderMessageText(message.content)}</span>
      ${source ? html`<span class="card-source" part="ai-share-source">${format(strings.aiShareSource, { source })}</span>` : nothing}
    </div>`;
  }
  return html`<div class="bubble" part="bubble">${renderMessageText(message.content)}</div>`;
}
