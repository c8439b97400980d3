/** Every part of `<messaging-new-conversation>` (documented on the component). */
export const NEW_CONVERSATION_PARTS = [
  'header',
  'back-button',
  'title',
  'search',
  'chosen',
  'chosen-person',
  'results',
  'person',
  'avatar',
  'group-name',
  'create-button',
  'notice',
] as const;
