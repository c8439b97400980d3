import type { Room, RoomPage } from './protocol.js';
import type { ClientStores } from './store/client-stores.js';

/** The part of Web Storage (`sessionStorage`, `localStorage`) the cache uses. */
export type RoomListStorageArea = Pick<Storage, 'getItem' | 'setItem'>;

/** How many rooms of the list are kept: about a screenful, enough for the first paint. */
const STORED_ROOMS = 20;

/**
 * The top of the room list as last seen, per server and user, so that a page that mounts the client
 * again (a host app's next page) shows it at once, before the socket brings the real first page,
 * which replaces it whole. Keyed by the user: another user signing in on the same tab never reads
 * it. Storage that is full, disabled or holds something unreadable counts as empty.
 */
export class StoredRoomList {
  /** Rooms shown from storage until the first page arrives (which drops those no longer in it). */
  private shown = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly storage: RoomListStorageArea,
    private readonly server: string,
    private readonly state: ClientStores,
  ) {
    this.unsubscribe = state.rooms.subscribe(() => this.scheduleWrite());
  }

  /**
   * The rooms last stored for `userId` into an empty, unloaded list (the user comes from the token,
   * unverified: it only picks the entry; what the server sends replaces it). Not remembered by
   * RoomSync: a reconnect resumes only from what the server said.
   */
  show(userId: string | null): void {
    const rooms = this.state.rooms.getLatestValue();
    if (!userId || rooms.loaded || rooms.order.length > 0) return;
    const stored = this.read(userId);
    this.shown = new Set(stored.map((room) => room.id));
    this.state.putRooms(stored);
  }

  /** The first page arrived: the stored rooms give way, and one it no longer lists leaves. */
  firstPage(page: RoomPage): void {
    const listed = new Set(page.rooms.map((room) => room.id));
    for (const id of this.shown) if (!listed.has(id)) this.state.removeRoom(id);
    this.shown.clear();
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
  }

  /** The top of the loaded list into storage, a moment after it last changed (it changes with every message). */
  private scheduleWrite(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const rooms = this.state.rooms.getLatestValue();
      const userId = this.state.me;
      if (rooms.loaded && userId)
        this.write(
          userId,
          rooms.order.flatMap((id) => rooms.byId[id] ?? []),
        );
    }, 500);
  }

  private read(userId: string): Room[] {
    try {
      const rooms = JSON.parse(this.storage.getItem(this.key(userId)) ?? '[]') as unknown;
      return Array.isArray(rooms) ? rooms.filter(isRoomLike) : [];
    } catch {
      return [];
    }
  }

  private write(userId: string, rooms: readonly Room[]): void {
    try {
      this.storage.setItem(this.key(userId), JSON.stringify(rooms.slice(0, STORED_ROOMS)));
    } catch {
      // Full or disabled storage: the next page simply waits for the socket.
    }
  }

  private key(userId: string): string {
    return `parley:rooms:v1:${this.server}|${userId}`;
  }
}

function isRoomLike(value: unknown): value is Room {
  const room = value as Partial<Room> | null;
  return (
    typeof room === 'object' &&
    room !== null &&
    typeof room.id === 'string' &&
    typeof room.last_seq === 'number' &&
    Array.isArray(room.participants)
  );
}
