import type { RoomEvent, RoomEventDataMap, RoomEventKind } from '@parley/sdk/protocol';
import { messageContentCodec } from '../crypto/content-codec.js';
import { type Db, queryAs } from './database.js';
import { iso } from './time.js';

// SQL for room_events, the per-room change log that resume replays from.

interface RoomEventRow {
  room_id: string;
  seq: number;
  kind: string;
  data: unknown;
  created_at: Date;
}

function toRoomEvent(row: RoomEventRow): RoomEvent {
  return { room_id: row.room_id, seq: row.seq, kind: row.kind, data: row.data, at: iso(row.created_at) } as RoomEvent;
}

export async function insertRoomEvent<K extends RoomEventKind>(
  db: Db,
  event: { room_id: string; seq: number; kind: K; data: RoomEventDataMap[K] },
): Promise<RoomEvent> {
  // A message inside the data is stored sealed like chat_messages.content (at-rest encryption).
  const stored = await messageContentCodec(db).encodeEventData(db, event.room_id, event.data);
  const [row] = await queryAs<RoomEventRow[]>(
    db('room_events')
      .insert({ room_id: event.room_id, seq: event.seq, kind: event.kind, data: JSON.stringify(stored) })
      .returning(['room_id', 'seq', 'kind', 'data', 'created_at']),
  );
  return { ...toRoomEvent(row as RoomEventRow), data: event.data } as RoomEvent;
}

/** Events of a room after `afterSeq`, oldest first (for resume, a later issue). */
export async function listRoomEventsAfter(
  db: Db,
  roomId: string,
  afterSeq: number,
  limit: number,
): Promise<RoomEvent[]> {
  const rows = await queryAs<RoomEventRow[]>(
    db('room_events')
      .select('room_id', 'seq', 'kind', 'data', 'created_at')
      .where('room_id', roomId)
      .andWhere('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit),
  );
  return messageContentCodec(db).decodeEvents(db, rows.map(toRoomEvent));
}

/**
 * The events after each given seq, for several rooms in one query (resume):
 * at most `limit` per room, oldest first per room. Rooms the caller cannot
 * see yield nothing (RLS).
 */
export async function listRoomEventsAfterEach(
  db: Db,
  after: ReadonlyArray<readonly [roomId: string, seq: number]>,
  limit: number,
): Promise<RoomEvent[]> {
  if (after.length === 0) return [];
  const { rows } = await db.raw<{ rows: RoomEventRow[] }>(
    `select e.room_id, e.seq, e.kind, e.data, e.created_at
     from jsonb_to_recordset(?::jsonb) as a(room_id uuid, seq bigint)
     cross join lateral (
       select * from room_events e where e.room_id = a.room_id and e.seq > a.seq order by e.seq limit ?
     ) e
     order by e.room_id, e.seq`,
    [JSON.stringify(after.map(([room_id, seq]) => ({ room_id, seq }))), limit],
  );
  return messageContentCodec(db).decodeEvents(db, rows.map(toRoomEvent));
}
