import type { Message, ParleyClient } from '@parley/sdk';
import { MessagingShareButton } from './share-button.component.js';
import type { ShareStrings } from './share-button.strings.js';

export interface ShareOptions {
  /** The text to share (an AI answer). */
  content: string;
  source_conversation_id: string;
  source_message_id: string;
  /** Default: the client of the page's mounted `<messaging-drawer>`. */
  client?: ParleyClient;
  strings?: Partial<ShareStrings>;
}

/**
 * `window.Parley.share(...)`: opens the share picker without a button of the host's own.
 * Resolves with the sent message, or null when the user closed the picker without sending.
 */
export async function openSharePicker(options: ShareOptions): Promise<Message | null> {
  MessagingShareButton.define('messaging-share-button');
  const picker = document.createElement('messaging-share-button');
  picker.hideButton = true;
  picker.content = options.content;
  picker.sourceConversationId = options.source_conversation_id;
  picker.sourceMessageId = options.source_message_id;
  if (options.client) picker.client = options.client;
  if (options.strings) picker.strings = options.strings;
  let sent: Message | null = null;
  picker.addEventListener('messaging-share', (e) => (sent = e.detail.message));
  const closed = new Promise<Message | null>((resolve) =>
    picker.addEventListener(
      'messaging-share-close',
      () => {
        picker.remove();
        resolve(sent);
      },
      { once: true },
    ),
  );
  document.body.append(picker);
  await picker.show();
  return closed;
}
