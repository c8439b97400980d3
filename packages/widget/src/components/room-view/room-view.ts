import { MessagingRoomView } from './room-view.component.js';

export * from './room-view.component.js';
export default MessagingRoomView;

MessagingRoomView.define('messaging-room-view');

declare global {
  interface HTMLElementTagNameMap {
    'messaging-room-view': MessagingRoomView;
  }
}
