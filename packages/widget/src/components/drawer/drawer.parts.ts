import { exportParts } from '../../base/parts.js';
import { NEW_CONVERSATION_PARTS } from '../new-conversation/new-conversation.parts.js';
import { ROOM_DETAILS_PARTS, ROOM_DETAILS_RENAMED } from '../room-details/room-details.parts.js';
import { ROOM_LIST_PARTS } from '../room-list/room-list.parts.js';
import { ROOM_VIEW_PARTS } from '../room-view/room-view.parts.js';

/*
 * The `exportparts` of the drawer's panels. One page styles them all from outside, so a generic
 * name (`header`, `title`, `notice`) is renamed to say whose it is where two panels both have one.
 */

/** The list's `base` stays inside: the drawer's own `room-list` part is that element. */
export const ROOM_LIST_EXPORTS = exportParts(
  ROOM_LIST_PARTS.filter((part) => part !== 'base'),
  { time: 'room-time', notice: 'room-list-notice' },
);

/** The flow's header, title and avatars stay inside (the drawer's own header bar is `header`). */
const NEW_CONVERSATION_INTERNAL: readonly string[] = ['header', 'back-button', 'title', 'avatar'];
export const NEW_CONVERSATION_EXPORTS = exportParts(
  NEW_CONVERSATION_PARTS.filter((part) => !NEW_CONVERSATION_INTERNAL.includes(part)),
  { notice: 'new-conversation-notice' },
);

export const ROOM_VIEW_EXPORTS = exportParts(ROOM_VIEW_PARTS, {
  header: 'room-header',
  title: 'room-title',
  subtitle: 'room-subtitle',
  avatar: 'sender-avatar',
});

export const ROOM_DETAILS_EXPORTS = exportParts(ROOM_DETAILS_PARTS, ROOM_DETAILS_RENAMED);
