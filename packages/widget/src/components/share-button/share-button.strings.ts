/**
 * The share button's strings, in English. Kept beside the component (not in `i18n.ts`)
 * so it ships only with the component; override any subset with the `strings` property
 * or `Parley.share({ strings })`, `{placeholder}` syntax as everywhere in the widget.
 */
export const defaultShareStrings = {
  shareButton: 'Send to room',
  shareTitle: 'Send to a conversation',
  shareSearch: 'Search rooms and people',
  shareRecent: 'Recent conversations',
  shareRooms: 'Rooms',
  sharePeople: 'People',
  shareNoResults: 'No matches.',
  shareLoading: 'Loading…',
  shareSending: 'Sending to {name}…',
  shareSent: 'Sent to {name}.',
  shareFailed: 'Could not send to {name}: {error}',
  shareNoClient: 'Messaging is not available on this page.',
  shareDone: 'Done',
  shareClose: 'Close',
};

export type ShareStrings = typeof defaultShareStrings;

/** The English table with the host's overrides on top (unknown keys and non-strings are ignored). */
export function resolveShareStrings(overrides: Partial<ShareStrings> | null | undefined): ShareStrings {
  const merged = { ...defaultShareStrings };
  for (const key of Object.keys(defaultShareStrings) as Array<keyof ShareStrings>) {
    const value = overrides?.[key];
    if (typeof value === 'string') merged[key] = value;
  }
  return merged;
}
