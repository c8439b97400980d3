import { MessagingNewConversation } from './new-conversation.component.js';

export * from './new-conversation.component.js';
export default MessagingNewConversation;

MessagingNewConversation.define('messaging-new-conversation');

declare global {
  interface HTMLElementTagNameMap {
    'messaging-new-conversation': MessagingNewConversation;
  }
}
