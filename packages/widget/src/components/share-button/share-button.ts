import { MessagingShareButton } from './share-button.component.js';

export * from './share-button.component.js';
export default MessagingShareButton;

MessagingShareButton.define('messaging-share-button');

declare global {
  interface HTMLElementTagNameMap {
    'messaging-share-button': MessagingShareButton;
  }
}
