import type { RoomEvent, RoomEventDataMap, RoomEventKind } from '@parley/sdk/protocol';
import type { Db } from './database.js';
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
  const [row] = await db('room_events')
    .insert({ room_id: event.room_id, seq: event.seq, kind: event.kind, data: JSON.stringify(event.data) })
    .returning(['room_id', 'seq', 'kind', 'data', 'created_at']);
  return toRoomEvent(row as RoomEventRow);
}

/** Events of a room after `afterSeq`, oldest first (for resume, a later issue). */
export async function listRoomEventsAfter(db: Db, roomId: string, afterSeq: number, limit: number): Promise<RoomEvent[]> {
  const rows: RoomEventRow[] = await db('room_events')
    .select('room_id', 'seq', 'kind', 'data', 'created_at')
    .where('room_id', roomId)
    .andWhere('seq', '>', afterSeq)
    .orderBy('seq', 'asc')
    .limit(limit);
  return rows.map(toRoomEvent);
}
