import { lazyElement } from '../../base/lazy-element.js';

/**
 * The room view (with the message list and composer), the room details and the "new conversation"
 * flow load apart from widget.js: the room view once the room list is shown (it is wanted within
 * seconds), the other two on first use.
 */
export const loadRoomView = lazyElement(
  'messaging-room-view',
  async () => (await import('../room-view/room-view.component.js')).MessagingRoomView,
);
export const loadRoomDetails = lazyElement(
  'messaging-room-details',
  async () => (await import('../room-details/room-details.component.js')).MessagingRoomDetails,
);
export const loadNewConversation = lazyElement(
  'messaging-new-conversation',
  async () => (await import('../new-conversation/new-conversation.component.js')).MessagingNewConversation,
);

/**
 * Loads a panel that comes apart from widget.js; answers whether it is there. A chunk that did not
 * load is handed to `report` and tried again on the next use — not a client failure: the connection
 * is fine, only the chunk is missing.
 */
export async function loadPanel(load: () => Promise<void>, report: (error: unknown) => void): Promise<boolean> {
  try {
    await load();
    return true;
  } catch (error) {
    report(error);
    return false;
  }
}

/** Runs `work` when the main thread is idle (within a second), so it does not compete with the first paint. */
export function whenIdle(work: () => void): void {
  if ('requestIdleCallback' in window) requestIdleCallback(work, { timeout: 1000 });
  else setTimeout(work, 0);
}
