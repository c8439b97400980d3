import type { ParleyClientEvents } from './client-events.js';
import type { Emitter } from './emitter.js';
import { toParleyError } from './errors.js';
import type { ResumeOutcome, Room, RoomEvent } from './protocol.js';
import type { RestClient } from './rest.js';
import type { ClientStores } from './store/client-stores.js';

/** Gap reconnects allowed per minute before a room with a gap is refetched instead (a safety valve). */
export const MAX_GAP_RECONNECTS_PER_MINUTE = 3;
const GAP_WINDOW_MS = 60_000;

export interface RoomSyncHost {
  readonly stores: ClientStores;
  readonly rest: RestClient;
  readonly events: Emitter<ParleyClientEvents>;
  /** Drop the socket and resume on a new one: the server replays what was missed from its log. */
  reconnect(): void;
  /** Load a room's newest page of messages into the store. */
  loadMessages(roomId: string): Promise<unknown>;
}

/**
 * Keeps every room the client knows exactly in step with the server's log: each event applies
 * once, in seq order. It remembers the highest seq seen per room (what a reconnect resumes
 * from), drops replays it already has, and never skips over missing events silently: a gap
 * reconnects so the server replays them, and when that keeps happening, or the server says the
 * gap is too large (`resync`), the room is refetched over REST instead.
 */
export class RoomSync {
  /** Highest seq received per room: what a reconnect resumes from. */
  private readonly seenSeq = new Map<string, number>();
  /** Rooms being refetched: their events apply without gap checks until the refetch settles. */
  private readonly resyncs = new Map<string, Promise<void>>();
  private readonly roomFetches = new Map<string, Promise<Room | null>>();
  private gapReconnects: number[] = [];

  constructor(private readonly host: RoomSyncHost) {}

  /** What the next `auth` frame resumes from, per room. */
  resumeState(): Record<string, number> {
    return Object.fromEntries(this.seenSeq);
  }

  /** Rooms fetched over REST: a room seen for the first time resumes from its `last_seq`. */
  remember(rooms: readonly Room[]): void {
    for (const room of rooms) {
      if (!this.seenSeq.has(room.id)) this.seenSeq.set(room.id, room.last_seq);
    }
  }

  /** The socket is (again) authenticated: refetch every room the server could not replay. */
  resumed(resume: Record<string, ResumeOutcome>): void {
    for (const [roomId, outcome] of Object.entries(resume)) {
      if (outcome === 'resync') void this.resync(roomId);
    }
  }

  /**
   * Apply one event from the socket to the stores; answers whether it applied (false: a replay
   * of one already applied, or the first past a gap, which waits for the replay).
   */
  apply(event: RoomEvent): boolean {
    const known = this.seenSeq.has(event.room_id);
    const seen = this.seenSeq.get(event.room_id) ?? 0;
    // Replay and live delivery may overlap after a reconnect: each seq counts once.
    if (event.seq <= seen) return false;
    if (known && event.seq > seen + 1 && !this.resyncs.has(event.room_id)) {
      this.gap(event.room_id);
      return false;
    }
    this.seenSeq.set(event.room_id, event.seq);
    if (!this.host.stores.hasRoom(event.room_id)) void this.fetchRoomOnce(event.room_id);
    this.host.stores.applyEvent(event);
    return true;
  }

  /** Refetch a room and, if its history was loaded, its newest messages (once at a time per room). */
  resync(roomId: string): Promise<void> {
    let running = this.resyncs.get(roomId);
    if (!running) {
      running = this.refetch(roomId).finally(() => this.resyncs.delete(roomId));
      this.resyncs.set(roomId, running);
    }
    return running;
  }

  /** Events skipped ahead of what the client has: reconnect to have them replayed, within the valve. */
  private gap(roomId: string): void {
    const now = Date.now();
    this.gapReconnects = this.gapReconnects.filter((at) => now - at < GAP_WINDOW_MS);
    if (this.gapReconnects.length >= MAX_GAP_RECONNECTS_PER_MINUTE) {
      void this.resync(roomId);
      return;
    }
    this.gapReconnects.push(now);
    this.host.reconnect();
  }

  /** An event for a room the client has never listed (e.g. someone added the user): fetch it once. */
  private fetchRoomOnce(roomId: string): Promise<Room | null> {
    let fetching = this.roomFetches.get(roomId);
    if (!fetching) {
      fetching = this.host.rest
        .getRoom(roomId)
        .then((room) => {
          this.remember([room]);
          this.host.stores.putRooms([room]);
          return room;
        })
        .catch((error: unknown) => {
          this.host.events.emit('error', { error: toParleyError(error) });
          return null;
        })
        .finally(() => this.roomFetches.delete(roomId));
      this.roomFetches.set(roomId, fetching);
    }
    return fetching;
  }

  private async refetch(roomId: string): Promise<void> {
    const { stores, rest, events } = this.host;
    try {
      const room = await rest.getRoom(roomId);
      // Live events may have run ahead of the fetched room meanwhile: never move backwards.
      this.seenSeq.set(roomId, Math.max(this.seenSeq.get(roomId) ?? 0, room.last_seq));
      stores.replaceRoom(room);
      if (stores.window(roomId)) {
        stores.dropMessages(roomId);
        await this.host.loadMessages(roomId);
      }
      events.emit('resync', { room_id: roomId });
    } catch (error) {
      const parleyError = toParleyError(error);
      if (parleyError.code === 'room_not_found') {
        this.seenSeq.delete(roomId);
        stores.removeRoom(roomId);
      } else {
        events.emit('error', { error: parleyError });
      }
    }
  }
}
