import { MessagingDrawer } from './drawer.component.js';

export * from './drawer.component.js';
export default MessagingDrawer;

MessagingDrawer.define('messaging-drawer');

declare global {
  interface HTMLElementTagNameMap {
    'messaging-drawer': MessagingDrawer;
  }
}
