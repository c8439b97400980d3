/**
 * Every user-visible string, in English. A host overrides any subset with the drawer's
 * `strings` property (or `Parley.mount({ strings })`); `{name}`-style placeholders are
 * filled by `format()`. Kept as plain strings, not functions, so hosts can ship them as JSON.
 */
export const defaultStrings = {
  openMessages: 'Open messages',
  openMessagesUnread: 'Open messages, {count} unread',
  close: 'Close messages',
  title: 'Messages',
  back: 'Back to conversations',
  loading: 'Loading…',
  noRooms: 'No conversations yet.',
  noMessages: 'No messages yet. Say hello!',
  unread: '{count} unread',
  you: 'You',
  youPrefix: 'You: ',
  unknownUser: 'Unknown user',
  deleted: 'Message deleted',
  composerLabel: 'Message',
  composerPlaceholder: 'Write a message…',
  send: 'Send',
  sending: 'Sending…',
  failed: 'Not sent',
  retry: 'Retry',
  loadingOlder: 'Loading earlier messages…',
  typingOne: '{name} is typing…',
  typingMany: '{count} people are typing…',
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
  connectionLost: 'Connection lost. Reconnecting…',
  connectError: 'Messages could not be loaded.',
  messageList: 'Messages in {name}',
};

export type MessagingStrings = typeof defaultStrings;
export type StringOverrides = Partial<MessagingStrings>;

/** The English table with the host's overrides on top (unknown keys and non-strings are ignored). */
export function resolveStrings(overrides: StringOverrides | null | undefined): MessagingStrings {
  if (!overrides) return defaultStrings;
  const merged = { ...defaultStrings };
  for (const key of Object.keys(defaultStrings) as Array<keyof MessagingStrings>) {
    const value = overrides[key];
    if (typeof value === 'string') merged[key] = value;
  }
  return merged;
}

/** Fill `{placeholder}`s; the result is text, rendered through Lit text bindings only. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
}
