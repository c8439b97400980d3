/** Every part of `<messaging-room-details>` (documented on the component). */
export const ROOM_DETAILS_PARTS = [
  'header',
  'back-button',
  'title',
  'notice',
  'room-name',
  'rename-button',
  'mute',
  'members',
  'member',
  'avatar',
  'member-name',
  'member-presence',
  'remove-button',
  'add-people',
  'candidate',
  'leave-button',
  'confirm',
] as const;

/** Outside the drawer, the details' generic names say whose they are. */
export const ROOM_DETAILS_RENAMED = {
  header: 'details-header',
  'back-button': 'details-back-button',
  title: 'details-title',
  notice: 'details-notice',
  avatar: 'member-avatar',
  confirm: 'details-confirm',
};
