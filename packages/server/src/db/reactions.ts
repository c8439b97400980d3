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

/**
 * Adds a reaction; false when the user had already reacted with this emoji.
 * ON CONFLICT is safe here (unlike rooms): the inserter is a member, so the
 * read policy Postgres applies to the new row lets it through.
 */
export async function addReaction(
  db: Db,
  reaction: { message_id: string; room_id: string; user_id: string; emoji: string },
): Promise<boolean> {
  const inserted = await db('message_reactions').insert(reaction).onConflict(['message_id', 'user_id', 'emoji']).ignore().returning('emoji');
  return inserted.length > 0;
}

/** Removes a reaction; false when there was none. */
export async function removeReaction(db: Db, reaction: { message_id: string; user_id: string; emoji: string }): Promise<boolean> {
  // RETURNING rather than the affected-row count, which knex-pglite does not report.
  const deleted = await db('message_reactions').where(reaction).delete().returning('emoji');
  return deleted.length > 0;
}

/** How many users reacted to a message with this emoji. */
export async function countReactions(db: Db, messageId: string, emoji: string): Promise<number> {
  const row = await db('message_reactions').where({ message_id: messageId, emoji }).first(db.raw('count(*)::int as n'));
  return (row as { n: number } | undefined)?.n ?? 0;
}
