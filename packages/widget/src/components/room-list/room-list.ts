import { MessagingRoomList } from './room-list.component.js';

export * from './room-list.component.js';
export default MessagingRoomList;

MessagingRoomList.define('messaging-room-list');

declare global {
  interface HTMLElementTagNameMap {
    'messaging-room-list': MessagingRoomList;
  }
}
