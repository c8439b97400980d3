import type { RoomEvent } from '@parley/sdk/protocol';

/**
 * What a socket's streams need from the socket. The connection implements it
 * itself (methods on its prototype: no closures per socket).
 */
export interface RoomStreamsHost {
  /** Committed events of a room with seq > afterSeq, oldest first (the log, read as the socket's user). */
  fetchRoomEvents(roomId: string, afterSeq: number, limit: number): Promise<RoomEvent[]>;
  /** Where a room this socket has no position in starts (the seq before the user joined). */
  roomStart(roomId: string, firstSeq: number): Promise<number>;
  /** Writes one serialised `event` frame to the socket. */
  writeEvent(text: FrameData): void;
  /** The room cannot be continued seamlessly: tell the client to refetch it. */
  resyncRoom(roomId: string): void;
  /** Events waiting while held went past `maxPendingEvents`: the caller drops the socket (resume repairs it). */
  heldOverflow(): void;
  /** The user left the room in this event: the socket forgets its position there. */
  isOwnLeave(event: RoomEvent): boolean;
  streamFailed(err: unknown, roomId: string): void;
}

/** Shared by every socket of a node. */
export interface RoomStreamsSettings {
  /** How long an event that skips ahead waits for the missing ones before they are read from the log. */
  gapWaitMs: number;
  /** Most events one room may have waiting; past it the room is resynced (or, while held, the socket dropped). */
  maxPendingEvents: number;
}

/** A serialised frame: text, or its UTF-8 bytes when one serialisation serves many sockets. */
export type FrameData = string | Buffer;

interface Waiting {
  event: RoomEvent;
  text: FrameData;
}

export function eventText(event: RoomEvent): string {
  return JSON.stringify({ type: 'event', ...event });
}

/**
 * Per-socket, per-room in-order delivery. The bus may hand over a room's events
 * out of seq order (two writers publish after their own commits); this keeps
 * the last seq sent per room, sends the next one in line, and lets an event
 * that skips ahead wait briefly while the missing ones — committed already —
 * are read from `room_events`. The client sees every seq once, in order.
 *
 * `hold()` buffers everything (during resume replay, and while a token is
 * being renewed); `release()` sends what is due.
 */
export class RoomStreams {
  private readonly cursors = new Map<string, number>();
  // Made on first use: most sockets never see an event out of order (docs/architecture.md, "Idle sockets").
  private waiting: Map<string, Map<number, Waiting>> | null = null;
  /** Rooms with a log read (or a wait for one) in progress: their delivery resumes when it ends. */
  private busy: Set<string> | null = null;
  /** Rooms waiting (briefly) for a missing event before reading the log. */
  private gapTimers: Map<string, NodeJS.Timeout> | null = null;
  private held = false;
  private closed = false;

  constructor(
    private readonly host: RoomStreamsHost,
    private readonly settings: RoomStreamsSettings,
  ) {}

  /** The last seq the client has for a room (resume, or live-only start). */
  setCursor(roomId: string, seq: number): void {
    this.cursors.set(roomId, seq);
  }

  cursor(roomId: string): number | undefined {
    return this.cursors.get(roomId);
  }

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    if (this.waiting) for (const roomId of [...this.waiting.keys()]) this.drain(roomId);
  }

  /** A live event from the bus. */
  push(event: RoomEvent, text: FrameData = eventText(event)): void {
    if (this.closed) return;
    const cursor = this.cursors.get(event.room_id);
    if (cursor !== undefined && event.seq <= cursor) return;
    const waiting = (this.waiting ??= new Map<string, Map<number, Waiting>>());
    let room = waiting.get(event.room_id);
    if (!room) waiting.set(event.room_id, (room = new Map<number, Waiting>()));
    room.set(event.seq, { event, text });
    if (room.size > this.settings.maxPendingEvents) {
      if (this.held) return this.host.heldOverflow();
      return this.resyncAt(event.room_id, Math.max(...room.keys()));
    }
    this.drain(event.room_id);
  }

  close(): void {
    this.closed = true;
    if (this.gapTimers) for (const timer of this.gapTimers.values()) clearTimeout(timer);
    this.gapTimers = null;
    this.waiting = null;
  }

  private drain(roomId: string): void {
    if (this.closed || this.held || this.busy?.has(roomId)) return;
    const room = this.waiting?.get(roomId);
    if (!room || room.size === 0) return;
    let cursor = this.cursors.get(roomId);
    if (cursor === undefined) {
      const first = Math.min(...room.keys());
      if (first === 1) {
        cursor = 0;
        this.cursors.set(roomId, 0);
      } else {
        return this.whileBusy(roomId, async () => {
          const start = await this.host.roomStart(roomId, first).catch((err) => {
            this.host.streamFailed(err, roomId);
            return first - 1;
          });
          if (!this.cursors.has(roomId)) this.cursors.set(roomId, start);
        });
      }
    }
    for (;;) {
      for (const seq of room.keys()) if (seq <= cursor) room.delete(seq);
      const next = room.get(cursor + 1);
      if (!next) break;
      room.delete(cursor + 1);
      cursor += 1;
      this.host.writeEvent(next.text);
      if (this.host.isOwnLeave(next.event)) {
        this.cursors.delete(roomId);
        this.waiting?.delete(roomId);
        this.clearGapTimer(roomId);
        return;
      }
      this.cursors.set(roomId, cursor);
    }
    if (room.size === 0) {
      this.waiting?.delete(roomId);
      this.clearGapTimer(roomId);
      return;
    }
    // A gap: the missing events are committed (publish follows commit) and usually
    // arrive within moments; if not, read them from the log.
    const gapTimers = (this.gapTimers ??= new Map());
    if (gapTimers.has(roomId)) return;
    const timer = setTimeout(() => {
      this.gapTimers?.delete(roomId);
      this.fillGap(roomId);
    }, this.settings.gapWaitMs);
    timer.unref();
    gapTimers.set(roomId, timer);
  }

  private fillGap(roomId: string): void {
    const room = this.waiting?.get(roomId);
    const from = this.cursors.get(roomId);
    if (this.closed || !room || room.size === 0 || from === undefined || room.has(from + 1)) return this.drain(roomId);
    const upTo = Math.max(...room.keys());
    if (upTo - from > this.settings.maxPendingEvents) return this.resyncAt(roomId, upTo);
    this.whileBusy(roomId, async () => {
      const events = await this.host.fetchRoomEvents(roomId, from, upTo - from).catch((err) => {
        this.host.streamFailed(err, roomId);
        return [];
      });
      if (this.closed || this.cursors.get(roomId) !== from) return;
      for (const event of events) if (!room.has(event.seq)) room.set(event.seq, { event, text: eventText(event) });
      // Not in the log as this user (e.g. removed meanwhile): do not wait forever.
      if (!room.has(from + 1)) this.resyncAt(roomId, Math.min(...room.keys()) - 1);
    });
  }

  private clearGapTimer(roomId: string): void {
    const timer = this.gapTimers?.get(roomId);
    if (!timer) return;
    clearTimeout(timer);
    this.gapTimers!.delete(roomId);
  }

  /** Skip to `seq` and tell the client to refetch the room. */
  private resyncAt(roomId: string, seq: number): void {
    const room = this.waiting?.get(roomId);
    if (room) for (const s of room.keys()) if (s <= seq) room.delete(s);
    this.cursors.set(roomId, seq);
    this.host.resyncRoom(roomId);
  }

  private whileBusy(roomId: string, task: () => Promise<void>): void {
    (this.busy ??= new Set()).add(roomId);
    void task()
      .catch((err) => this.host.streamFailed(err, roomId))
      .finally(() => {
        this.busy?.delete(roomId);
        this.drain(roomId);
      });
  }
}
