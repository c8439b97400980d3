import type { Message, ReactionSummary, RoomEvent } from '@parley/sdk/protocol';
import type { Db } from './database.js';
import { jsonAnswer } from './json-answer.js';

// SQL of edits, deletes and reactions: one call of parley_change_message
// (sql/016_message_changes.sql) per change, outside any transaction, so the
// statement is its own transaction — one round trip, one commit.

export type MessageChange =
  | { op: 'edit'; user: string; room: string; message: string; content: string }
  | { op: 'delete'; user: string; room: string; message: string }
  | { op: 'react' | 'unreact'; user: string; room: string; message: string; emoji: string };

export type ChangeAnswer =
  | { error: 'room_not_found' | 'message_not_found' | 'forbidden' | 'conflict' | 'bad_request' }
  | {
      /** The message after the change, from the caller's side (edit, delete); content in stored form. */
      message?: Message;
      /** The message's reactions from the caller's side (react, unreact). */
      summary?: ReactionSummary[];
      /** The logged event, when something changed. */
      event?: Omit<RoomEvent, 'room_id'>;
      recipients?: string[];
      /** After a delete: every member's `[user_id, room_unread, total_unread]`. */
      unread?: Array<[userId: string, roomUnread: number, totalUnread: number]>;
    };

export async function changeMessage(db: Db, change: MessageChange): Promise<ChangeAnswer> {
  return jsonAnswer<ChangeAnswer>(db, 'select parley_change_message(?::jsonb) as answer', [JSON.stringify(change)]);
}
