import { exportedNames, exportParts } from '../../base/parts.js';
import { COMPOSER_PARTS } from '../composer/composer.parts.js';
import { MESSAGE_LIST_PARTS } from '../message-list/message-list.parts.js';

/** The message list's scrolling `base` is the room view's `messages`. */
const LIST_RENAMED = { base: 'messages' };

/** `exportparts` of the room view's `<messaging-message-list>`. */
export const MESSAGE_LIST_EXPORTS = exportParts(MESSAGE_LIST_PARTS, LIST_RENAMED);
/** `exportparts` of the room view's `<messaging-composer>`. */
export const COMPOSER_EXPORTS = exportParts(COMPOSER_PARTS);

/** Every part a `<messaging-room-view>` shows outside: its own and those it re-exports. */
export const ROOM_VIEW_PARTS = [
  'header',
  'back-button',
  'details-button',
  'title',
  'subtitle',
  ...exportedNames(MESSAGE_LIST_PARTS, LIST_RENAMED),
  'typing',
  'composer',
  ...COMPOSER_PARTS,
];
