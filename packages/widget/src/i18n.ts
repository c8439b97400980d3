/**
 * Every user-visible string, in English. A host overrides any subset with the drawer's
 * `strings` property (or `Parley.mount({ strings })`); `{name}`-style placeholders are
 * filled by `format()`. Kept as data, not functions, so hosts can ship them as JSON.
 *
 * Strings that depend on a number are plural-aware: their value is an object keyed by
 * `Intl.PluralRules` categories (`zero`, `one`, `two`, `few`, `many`, `other`; `other` is
 * required), chosen with the drawer's `locale`. A plain string works there too.
 */
export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export const defaultStrings = {
  openMessages: 'Open messages',
  openMessagesUnread: { one: 'Open messages, {count} unread', other: 'Open messages, {count} unread' } as
    PluralForms | string,
  close: 'Close messages',
  title: 'Messages',
  back: 'Back to conversations',
  loading: 'Loading…',
  noRooms: 'No conversations yet.',
  noMessages: 'No messages yet. Say hello!',
  unread: { one: '{count} unread message', other: '{count} unread messages' } as PluralForms | string,
  you: 'You',
  youPrefix: 'You: ',
  senderPrefix: '{name}: ',
  unknownUser: 'Unknown user',
  deleted: 'Message deleted',
  /** The server could not decrypt it (encryption at rest): not a deletion. */
  unreadable: 'This message could not be read.',
  edited: 'edited',
  composerLabel: 'Message',
  composerPlaceholder: 'Write a message…',
  send: 'Send',
  sending: 'Sending…',
  failed: 'Not sent',
  retry: 'Retry',
  failedTooLong: 'Not sent: longer than {max} characters.',
  failedNoAccess: 'Not sent: you can no longer write in this conversation.',
  failedDisabled: 'Not sent: messaging is turned off.',
  failedRefused: 'Not sent: the server did not accept it.',
  unsentActions: 'Unsent message',
  editUnsent: 'Edit',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Could not copy.',
  discard: 'Discard',
  charactersLeft: { one: '{count} character left', other: '{count} characters left' } as PluralForms | string,
  charactersOver: { one: '{count} character too many', other: '{count} characters too many' } as PluralForms | string,
  loadingOlder: 'Loading earlier messages…',
  typingOne: '{name} is typing…',
  /** `{names}` is a list joined with `Intl.ListFormat` ("Bob and Carol"). */
  typingSome: '{names} are typing…',
  typingMany: '{count} people are typing…',
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
  /** `{time}` is relative, from `Intl.RelativeTimeFormat` ("5 minutes ago"). */
  presenceLastSeen: '{status}, last seen {time}',
  connectionLost: 'Connection lost. Reconnecting…',
  connectError: 'Messages could not be loaded.',
  messageList: 'Messages in {name}',
  newMessages: { one: '{count} new message', other: '{count} new messages' } as PluralForms | string,
  /** Read out by screen readers (polite live region) when someone else's message arrives. */
  announceMessage: 'New message from {name}: {text}',
  /** `{names}` joined with `Intl.ListFormat`. */
  seenBy: 'Seen by {names}',
  seen: 'Seen',
  delivered: 'Delivered',
  unreadLine: 'New messages',
  jumpToLatest: 'Jump to latest',
  seenByOthers: { one: 'Seen by {names} and {count} other', other: 'Seen by {names} and {count} others' } as
    PluralForms | string,
  sentByAssistant: 'Sent by assistant',
  aiShare: 'Shared AI answer',
  messageActions: 'Message actions',
  addReaction: 'Add reaction',
  react: 'React with {emoji}',
  /** The label of a reaction chip. */
  reactionCount: { one: '{emoji}: {count} reaction', other: '{emoji}: {count} reactions' } as PluralForms | string,
  edit: 'Edit',
  editLabel: 'Edit message',
  save: 'Save',
  cancel: 'Cancel',
  delete: 'Delete',
  confirmDelete: 'Delete this message?',
  actionFailed: 'That did not work. Try again.',
  newConversation: 'New conversation',
  details: 'Conversation details',
  detailsBack: 'Back to the conversation',
  memberCount: { one: '{count} member', other: '{count} members' } as PluralForms | string,
  youSuffix: '{name} (you)',
  roomName: 'Name',
  roomNamePlaceholder: 'Name this group',
  rename: 'Save name',
  addPeople: 'Add people',
  addPerson: 'Add {name}',
  removeMember: 'Remove {name}',
  confirmRemoveMember: 'Remove {name} from this conversation?',
  remove: 'Remove',
  muteRoom: 'Mute this conversation',
  mutedHint: 'Its messages do not count in the unread badge.',
  leaveRoom: 'Leave conversation',
  confirmLeave: 'Leave this conversation? You will no longer see its messages.',
  leave: 'Leave',
  searchPeople: 'Search people',
  suggestedPeople: 'Recent and online',
  searchPlaceholder: 'Type a name…',
  searching: 'Searching…',
  noMatches: 'No one found.',
  selectedPeople: 'Selected people',
  removePerson: 'Remove {name}',
  groupName: 'Group name (optional)',
  startChat: 'Start chat',
  createGroup: 'Create group',
  createFailed: 'The conversation could not be created.',
  // System messages, rendered from their metadata (`{actor}` did it to `{name}`).
  systemJoined: '{name} joined',
  systemAdded: '{actor} added {name}',
  systemLeft: '{name} left',
  systemRemoved: '{actor} removed {name}',
  systemRenamed: '{actor} named the conversation “{name}”',
  systemUnnamed: '{actor} removed the conversation name',
};

export type MessagingStrings = typeof defaultStrings;
/** The keys whose value may be plural forms. */
export type PluralKey = {
  [K in keyof MessagingStrings]: MessagingStrings[K] extends string ? never : K;
}[keyof MessagingStrings];
export type StringOverrides = Partial<MessagingStrings>;

function isPluralForms(value: unknown): value is PluralForms {
  return typeof value === 'object' && value !== null && typeof (value as PluralForms).other === 'string';
}

/** The English table with the host's overrides on top (unknown keys and wrong types are ignored). */
export function resolveStrings(overrides: StringOverrides | null | undefined): MessagingStrings {
  if (!overrides) return defaultStrings;
  const merged: Record<string, unknown> = { ...defaultStrings };
  for (const key of Object.keys(defaultStrings) as Array<keyof MessagingStrings>) {
    const value: unknown = overrides[key];
    const pluralAllowed = typeof defaultStrings[key] !== 'string';
    if (typeof value === 'string' || (pluralAllowed && isPluralForms(value))) merged[key] = value;
  }
  return merged as MessagingStrings;
}

/** Fill `{placeholder}`s; the result is text, rendered through Lit text bindings only. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** Pick the plural form for `count` in `locale`, then fill it (`{count}` is always available). */
export function plural(
  forms: PluralForms | string,
  count: number,
  locale: string | undefined,
  values: Record<string, string | number> = {},
): string {
  let template: string;
  if (typeof forms === 'string') {
    template = forms;
  } else {
    const key = locale ?? '';
    let rules = pluralRules.get(key);
    if (!rules) {
      try {
        rules = new Intl.PluralRules(locale);
      } catch {
        rules = new Intl.PluralRules();
      }
      pluralRules.set(key, rules);
    }
    template = forms[rules.select(count)] ?? forms.other;
  }
  return format(template, { count, ...values });
}

/** "Bob", "Bob and Carol", "Bob, Carol, and Dan" in the locale's way. */
export function formatList(items: readonly string[], locale: string | undefined): string {
  try {
    return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}
