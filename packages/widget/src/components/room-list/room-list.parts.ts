/** Every part of `<messaging-room-list>` (documented on the component). */
export const ROOM_LIST_PARTS = [
  'base',
  'room',
  'room--unread',
  'avatar',
  'presence',
  'name',
  'preview',
  'time',
  'unread',
  'notice',
] as const;
