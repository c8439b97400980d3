import { MessagingComposer } from './composer.component.js';

export * from './composer.component.js';
export default MessagingComposer;

MessagingComposer.define('messaging-composer');

declare global {
  interface HTMLElementTagNameMap {
    'messaging-composer': MessagingComposer;
  }
}
