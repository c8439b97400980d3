/**
 * @parley/widget for bundlers: the element classes, with no side effects. Register them with
 * `defineAll()`, or import a component's registration module
 * (`@parley/widget/components/drawer/drawer.js`). The script-tag build is `widget.js`.
 */
export { MessagingElement } from './base/messaging-element.js';
export { StoreController } from './base/store-controller.js';
export type { CloseSource, MessagingEvent, MessagingEventDetails, MessagingEventName } from './base/events.js';
export { themeTokens } from './base/theme.styles.js';
export { MessagingDrawer } from './components/drawer/drawer.component.js';
export { MessagingRoomList } from './components/room-list/room-list.component.js';
export { MessagingRoomView } from './components/room-view/room-view.component.js';
export { MessagingMessageList } from './components/message-list/message-list.component.js';
export { MessagingComposer } from './components/composer/composer.component.js';
export { MessagingNewConversation } from './components/new-conversation/new-conversation.component.js';
export { defineAll, elements } from './define-all.js';
export {
  defaultStrings,
  resolveStrings,
  format,
  plural,
  formatList,
  type MessagingStrings,
  type PluralForms,
  type StringOverrides,
} from './i18n.js';
export { tokenFromUrl } from './token-url.js';
export { mount, type MountOptions } from './mount.js';
export { VERSION } from './version.js';
