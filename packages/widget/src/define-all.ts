import { MessagingComposer } from './components/composer/composer.component.js';
import { MessagingDrawer } from './components/drawer/drawer.component.js';
import { MessagingMessageList } from './components/message-list/message-list.component.js';
import { MessagingNewConversation } from './components/new-conversation/new-conversation.component.js';
import { MessagingRoomList } from './components/room-list/room-list.component.js';
import { MessagingRoomView } from './components/room-view/room-view.component.js';

/** Default tag of each element. */
export const elements = {
  'messaging-drawer': MessagingDrawer,
  'messaging-room-list': MessagingRoomList,
  'messaging-room-view': MessagingRoomView,
  'messaging-message-list': MessagingMessageList,
  'messaging-composer': MessagingComposer,
  'messaging-new-conversation': MessagingNewConversation,
} as const;

/** Register every `messaging-*` tag that is not registered yet (safe to call any number of times). */
export function defineAll(registry: CustomElementRegistry = customElements): void {
  for (const [tag, element] of Object.entries(elements)) element.define(tag, registry);
}
