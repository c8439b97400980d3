import type { ReactionSummary } from '@parley/sdk/protocol';
import type { Db } from './database.js';

// SQL for message_reactions. Unique per (message, user, emoji) by primary key.

/** Reaction summaries of several messages from one viewer's side, in one grouped query. */
export async function reactionSummaries(
  db: Db,
  messageIds: readonly string[],
  viewerId: string,
): Promise<Map<string, ReactionSummary[]>> {
  const byMessage = new Map<string, ReactionSummary[]>();
  if (messageIds.length === 0) return byMessage;
  const rows: { message_id: string; emoji: string; count: number; me: boolean }[] = await db('message_reactions')
    .whereIn('message_id', messageIds)
    .groupBy('message_id', 'emoji')
    .select('message_id', 'emoji', db.raw('count(*)::int as count'), db.raw('bool_or(user_id = ?) as me', [viewerId]))
    // First reacted first: a UI's chips keep their places as counts change.
    .orderByRaw('min(created_at), emoji');
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push({ emoji: row.emoji, count: row.count, me: row.me });
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}
