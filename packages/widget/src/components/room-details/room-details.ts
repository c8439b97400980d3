import { MessagingRoomDetails } from './room-details.component.js';

export * from './room-details.component.js';
export default MessagingRoomDetails;

MessagingRoomDetails.define('messaging-room-details');

declare global {
  interface HTMLElementTagNameMap {
    'messaging-room-details': MessagingRoomDetails;
  }
}
