import type { PresenceRecord, PresenceStatus } from '@parley/sdk';
import { formatRelative } from './format-time.js';
import { format, type MessagingStrings } from './i18n.js';

/** Someone's status and, unless they are online, when they were last seen: "Away, last seen 5 minutes ago". */
export function presenceLabel(
  record: PresenceRecord | undefined,
  strings: MessagingStrings,
  locale: string | undefined,
): { status: PresenceStatus; label: string } {
  const status = record?.status ?? 'offline';
  const name = strings[status];
  const lastSeen = status !== 'online' && record?.last_seen_at ? formatRelative(record.last_seen_at, locale) : '';
  return { status, label: lastSeen ? format(strings.presenceLastSeen, { status: name, time: lastSeen }) : name };
}
