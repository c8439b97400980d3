import type { Message } from '@parley/sdk';
import { format, type MessagingStrings } from './i18n.js';

/**
 * What a `system` message says, built from its metadata so it follows the viewer's strings
 * and locale. The server writes `{ event: 'member.joined' | 'member.left', user_id, user_name,
 * by, by_name }` and `{ event: 'room.updated', name, by, by_name }`; a current participant's
 * name wins over the recorded one. An unknown event falls back to the message's content.
 */
export function systemMessageText(
  message: Message,
  nameOf: (userId: string) => string | undefined,
  strings: MessagingStrings,
): string {
  const meta = message.metadata;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const person = (idKey: string, nameKey: string) =>
    nameOf(text(meta[idKey])) ?? (text(meta[nameKey]) || strings.unknownUser);
  const by = text(meta['by']);
  const byOther = by !== '' && by !== text(meta['user_id']);
  const values = { actor: person('by', 'by_name'), name: person('user_id', 'user_name') };
  switch (meta['event']) {
    case 'member.joined':
      return format(byOther ? strings.systemAdded : strings.systemJoined, values);
    case 'member.left':
      return format(byOther ? strings.systemRemoved : strings.systemLeft, values);
    case 'room.updated':
      return format(meta['name'] ? strings.systemRenamed : strings.systemUnnamed, {
        actor: values.actor,
        name: text(meta['name']),
      });
    default:
      return message.content ?? '';
  }
}
