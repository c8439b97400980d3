import type { Db } from './database.js';
import { jsonAnswer } from './json-answer.js';

// SQL of the write path: one call of parley_write_batch_fast (sql/015, sets of
// rows) or, to isolate a refused element, parley_write_batch (sql/013, element
// by element) per batch, outside any transaction, so the statement is its own
// transaction: one round trip and one commit for the whole batch.

/** A new message, its content already in stored form (sealed when encryption is on). */
export interface SendElement {
  op: 'send';
  user: string;
  room: string;
  id: string;
  client_id: string | null;
  type: string;
  content: string;
  metadata: Record<string, unknown>;
}

/** A read marker move; `seq` null means "up to the newest message". */
export interface ReadElement {
  op: 'read';
  user: string;
  room: string;
  seq: number | null;
}

export type WriteElement = SendElement | ReadElement;

/** What the database answered for one element. */
export type ElementAnswer =
  | { seq: number; at: string }
  | { duplicate: string }
  | { moved: true; last_read_seq: number; last_read_at: string; unread_count: number }
  | { moved: false; unread_count: number }
  | { error: 'room_not_found' | 'bad_request' }
  | { error: 'refused'; sqlstate: string; message: string };

export interface BatchAnswer {
  results: ElementAnswer[];
  /** Per room written to: its members, with `[room_unread, total_unread]` where messages were sent. */
  audience: Record<string, Array<[userId: string, roomUnread?: number, totalUnread?: number]>>;
  /** Each reader's unread total over all their rooms. */
  totals: Record<string, number>;
}

/**
 * Writes a batch. `isolate` runs each element in a subtransaction of its own,
 * so one that the database refuses (RLS, a constraint) fails alone; without
 * it (the fast path) such an element aborts the whole batch.
 */
export async function writeBatch(db: Db, elements: readonly WriteElement[], isolate: boolean): Promise<BatchAnswer> {
  return jsonAnswer<BatchAnswer>(
    db,
    isolate
      ? 'select parley_write_batch(?::jsonb, true) as answer'
      : 'select parley_write_batch_fast(?::jsonb) as answer',
    [JSON.stringify(elements)],
    true,
  );
}
