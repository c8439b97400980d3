import type { Message } from '@parley/sdk';

/** Events of `<messaging-share-button>`; like every widget event they bubble and are composed. */
export interface ShareEventDetails {
  /** The answer was sent into `roomId` as an `ai_share` message. */
  'messaging-share': { roomId: string; message: Message };
  /** Sending failed (or no client was available); the picker shows the reason too. */
  'messaging-share-error': { roomId: string | null; error: unknown };
  /** The picker closed (after a send, or cancelled with Esc / Close). */
  'messaging-share-close': { sent: boolean };
}

declare global {
  interface GlobalEventHandlersEventMap {
    'messaging-share': CustomEvent<ShareEventDetails['messaging-share']>;
    'messaging-share-error': CustomEvent<ShareEventDetails['messaging-share-error']>;
    'messaging-share-close': CustomEvent<ShareEventDetails['messaging-share-close']>;
  }
}
