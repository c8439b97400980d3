import { MessagingMessageList } from './message-list.component.js';

export * from './message-list.component.js';
export default MessagingMessageList;

MessagingMessageList.define('messaging-message-list');

declare global {
  interface HTMLElementTagNameMap {
    'messaging-message-list': MessagingMessageList;
  }
}
