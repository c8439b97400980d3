import type { ReadMarker, ResumeOutcome, RoomEvent, ServerFrame } from '@parley/sdk/protocol';
import type { EventLog } from './event-log.js';
import type { FrameData } from './room-streams.js';

/** What a replay writes to: the socket's frames and its rooms' cursors. */
export interface ReplayTarget {
  /** Whether the socket went away meanwhile (nothing more is written then). */
  closed(): boolean;
  setCursor(roomId: string, seq: number): void;
  sendText(text: FrameData): void;
  send(frame: ServerFrame): void;
}

/**
 * Replays what the client missed in the rooms it names, from one read of the
 * log, and then each recovered room's read markers (a `reads` frame: markers
 * are not logged, so this is how a resumed client catches up on them). Rooms
 * it did not name start at their current seq. A room the user left, a future
 * the client cannot have seen, or more than `maxEvents` missed: `resync`.
 */
export async function replayMissed(
  eventLog: EventLog,
  userId: string,
  asked: Record<string, number>,
  maxEvents: number,
  target: ReplayTarget,
): Promise<Record<string, ResumeOutcome>> {
  const { rooms, events, markers } = await eventLog.resume(userId, asked, maxEvents);
  if (target.closed()) return {};
  const outcome: Record<string, ResumeOutcome> = {};
  for (const [roomId, lastSeq] of rooms) if (!(roomId in asked)) target.setCursor(roomId, lastSeq);
  for (const [roomId, lastSeen] of Object.entries(asked)) {
    const lastSeq = rooms.get(roomId);
    if (lastSeq === undefined || lastSeen > lastSeq) {
      outcome[roomId] = 'resync';
      if (lastSeq !== undefined) target.setCursor(roomId, lastSeq);
      continue;
    }
    const missed: RoomEvent[] = events.get(roomId) ?? [];
    if (missed.length > maxEvents) {
      outcome[roomId] = 'resync';
      target.setCursor(roomId, lastSeq);
      continue;
    }
    for (const event of missed) target.sendText(JSON.stringify({ type: 'event', ...event }));
    target.setCursor(roomId, missed.at(-1)?.seq ?? lastSeen);
    outcome[roomId] = 'recovered';
    const reads: ReadMarker[] | undefined = markers.get(roomId);
    if (reads?.length) target.send({ type: 'reads', room_id: roomId, reads });
  }
  return outcome;
}
