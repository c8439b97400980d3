import { LRUCache } from 'lru-cache';

interface CachedPage {
  /** parley_room_list_stamp when the page was read (sql/020_room_list_stamp.sql). */
  stamp: string;
  /** The page as sent: JSON, UTF-8. */
  body: Buffer;
}

/**
 * Serialised `GET /rooms` pages per user and page (limit, cursor), each kept
 * with the stamp of the user's rooms it was read under. A page is reused only
 * while a fresh stamp equals its own, so a change made through any node shows
 * on the next request — the cache needs no invalidation messages. Bounded in
 * bytes; least recently used pages go first.
 */
export class RoomListCache {
  private readonly pages: LRUCache<string, CachedPage>;

  constructor(maxBytes: number) {
    this.pages = new LRUCache<string, CachedPage>({
      maxSize: maxBytes,
      // The key and the object around the body, roughly.
      sizeCalculation: (page, key) => page.body.length + key.length + 64,
    });
  }

  get(userId: string, pageKey: string, stamp: string): Buffer | undefined {
    const page = this.pages.get(cacheKey(userId, pageKey));
    return page?.stamp === stamp ? page.body : undefined;
  }

  set(userId: string, pageKey: string, stamp: string, body: Buffer): void {
    this.pages.set(cacheKey(userId, pageKey), { stamp, body });
  }
}

// NUL cannot occur in a user id (PostgreSQL text holds none), so it separates the two parts.
const cacheKey = (userId: string, pageKey: string) => `${userId}\u0000${pageKey}`;
