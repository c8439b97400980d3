/**
 * Every event the widget emits, typed once. All bubble and are composed (they cross shadow
 * roots), so a host page can listen on `<messaging-drawer>` or `document`.
 */
export type CloseSource = 'button' | 'keyboard' | 'method';

export interface MessagingEventDetails {
  /** The drawer opened (after the panel is shown). */
  'messaging-open': undefined;
  /** Cancelable: the drawer is about to close; `preventDefault()` keeps it open. */
  'messaging-request-close': { source: CloseSource };
  /** The drawer closed. */
  'messaging-close': undefined;
  /** A room was chosen in the room list. */
  'messaging-room-select': { roomId: string };
  /** The room view's back button was pressed. */
  'messaging-back': undefined;
  /** The composer wants to send this text (already trimmed, never empty). */
  'messaging-send': { content: string };
  /** The user started or stopped typing in the composer. */
  'messaging-typing': { typing: boolean };
  /** The drawer could not get a token or connect; the panel shows a message too. */
  'messaging-error': { error: unknown };
  /** The drawer's client is connected and the room list is loaded. */
  'messaging-ready': undefined;
  /** The total unread count changed (also fired once when it is first known). */
  'messaging-unread-change': { total: number };
  /** The "new conversation" flow created (or found) a room; the drawer opens it. */
  'messaging-room-create': { roomId: string };
  /** The drawer's "new conversation" button was pressed. */
  'messaging-new-conversation': undefined;
  /** The room view's details button was pressed (the drawer shows `<messaging-room-details>`). */
  'messaging-room-details': { roomId: string };
  /** The user left a room from its details (the drawer goes back to the list). */
  'messaging-room-leave': { roomId: string };
  /** "Edit" on a message that was not sent: its text goes back into the composer (the failed copy is discarded). */
  'messaging-edit-unsent': { content: string };
}

export type MessagingEventName = keyof MessagingEventDetails;
export type MessagingEvent<K extends MessagingEventName> = CustomEvent<MessagingEventDetails[K]>;

declare global {
  interface GlobalEventHandlersEventMap {
    'messaging-open': MessagingEvent<'messaging-open'>;
    'messaging-request-close': MessagingEvent<'messaging-request-close'>;
    'messaging-close': MessagingEvent<'messaging-close'>;
    'messaging-room-select': MessagingEvent<'messaging-room-select'>;
    'messaging-back': MessagingEvent<'messaging-back'>;
    'messaging-send': MessagingEvent<'messaging-send'>;
    'messaging-typing': MessagingEvent<'messaging-typing'>;
    'messaging-error': MessagingEvent<'messaging-error'>;
    'messaging-ready': MessagingEvent<'messaging-ready'>;
    'messaging-unread-change': MessagingEvent<'messaging-unread-change'>;
    'messaging-room-create': MessagingEvent<'messaging-room-create'>;
    'messaging-new-conversation': MessagingEvent<'messaging-new-conversation'>;
    'messaging-edit-unsent': MessagingEvent<'messaging-edit-unsent'>;
    'messaging-room-details': MessagingEvent<'messaging-room-details'>;
    'messaging-room-leave': MessagingEvent<'messaging-room-leave'>;
  }
}
