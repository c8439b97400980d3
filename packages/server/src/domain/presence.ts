import type { PresenceRecord } from '@parley/sdk/protocol';
import * as presence from '../db/presence.js';
import { withUser } from '../db/with-user.js';
import type { ServiceDeps } from './deps.js';

/**
 * Which users have a live socket, and how many. In memory for one node; a
 * Redis implementation (keys with TTLs refreshed by heartbeats) makes it
 * cluster-wide without changing the service.
 */
export interface PresenceTracker {
  /** Registers a socket; returns how many the user has now. */
  add(userId: string, socketId: string): Promise<number>;
  /** Forgets a socket; returns how many the user has left. */
  remove(userId: string, socketId: string): Promise<number>;
  isLive(userId: string): Promise<boolean>;
}

export class InMemoryPresenceTracker implements PresenceTracker {
  private readonly sockets = new Map<string, Set<string>>();

  async add(userId: string, socketId: string): Promise<number> {
    let set = this.sockets.get(userId);
    if (!set) this.sockets.set(userId, (set = new Set()));
    set.add(socketId);
    return set.size;
  }

  async remove(userId: string, socketId: string): Promise<number> {
    const set = this.sockets.get(userId);
    if (!set) return 0;
    set.delete(socketId);
    if (set.size === 0) this.sockets.delete(userId);
    return set.size;
  }

  async isLive(userId: string): Promise<boolean> {
    return this.sockets.has(userId);
  }
}

/**
 * A pseudo-user id the sweep reads presence rows as: the read policy only asks
 * for an authenticated caller, and this id can do nothing else (it is never a
 * room member and owns no row).
 */
const SWEEP_READER = 'parley:presence-sweep';
const SWEEP_BATCH = 500;

export type PresenceService = ReturnType<typeof createPresenceService>;

/**
 * Presence: online while any socket of the user is connected and
 * heartbeating, `away` when the client says so, offline when the last socket
 * closes or after PRESENCE_OFFLINE_THRESHOLD_SECONDS of silence. Changes go,
 * as `presence` frames, only to users who share a room with the user.
 *
 * Grace (PRESENCE_GRACE_SECONDS): a closed socket keeps counting in
 * the tracker for the grace period before it is removed. A user who is back
 * within it (a page reload, a network flap; on this node or, with Redis, any
 * other) finds a socket still counted, so the reconnect is not their first
 * and the close was not their last: nothing is written and nothing fanned
 * out. Only when the grace ends with no socket left do they go offline.
 */
export function createPresenceService(
  { db, bus, config, logger }: ServiceDeps,
  tracker: PresenceTracker = new InMemoryPresenceTracker(),
) {
  /** Changes of one user run one at a time, so a quick close/open cannot persist out of order. */
  const queues = new Map<string, Promise<unknown>>();
  const lastTouch = new Map<string, number>();
  /** Closed sockets still counted for the grace period: socket id → its user and timer. */
  const lingering = new Map<string, { userId: string; timer: NodeJS.Timeout }>();
  const graceMs = config.presenceGraceSeconds * 1000;

  function serially<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    const run = (queues.get(userId) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    queues.set(userId, tail);
    void tail.then(() => {
      if (queues.get(userId) === tail) queues.delete(userId);
    });
    return run;
  }

  async function announce(userId: string, record: PresenceRecord, audience?: string[]): Promise<void> {
    const recipients = audience ?? (await withUser(db, userId, (trx) => presence.roomMatesOf(trx, userId)));
    await bus.publish({ type: 'user_frame', frame: { type: 'presence', ...record }, recipients }).catch((err) => {
      logger.error({ err, userId }, 'presence publish failed');
    });
  }

  async function save(
    userId: string,
    change: { status: 'online' | 'away' | 'offline'; statusMessage?: string | null },
  ) {
    const at = new Date();
    const { record, audience } = await presence.savePresenceWithAudience(db, { userId, ...change, at });
    lastTouch.set(userId, at.getTime());
    await announce(userId, record, audience);
    return record;
  }

  /** Stops counting a socket; the user's last one takes them offline. */
  function forget(userId: string, socketId: string): Promise<void> {
    return serially(userId, async () => {
      if ((await tracker.remove(userId, socketId)) === 0) {
        lastTouch.delete(userId);
        await save(userId, { status: 'offline' });
      }
    });
  }

  return {
    tracker,

    /** A socket authenticated: the user's first one brings them online. */
    connected(userId: string, socketId: string): Promise<void> {
      return serially(userId, async () => {
        if ((await tracker.add(userId, socketId)) === 1) await save(userId, { status: 'online' });
      });
    },

    /** A socket closed: the user's last one takes them offline (after the grace period, if they are not back). */
    disconnected(userId: string, socketId: string): Promise<void> {
      if (graceMs === 0) return forget(userId, socketId);
      const timer = setTimeout(() => {
        lingering.delete(socketId);
        forget(userId, socketId).catch((err) => logger.warn({ err, userId }, 'presence update failed'));
      }, graceMs);
      timer.unref();
      lingering.set(socketId, { userId, timer });
      return Promise.resolve();
    },

    /**
     * Ends every grace period now (server shutdown, before the database and
     * bus close): users whose last socket had closed go offline as they would
     * have; sockets the shutdown itself closed were never handed to
     * `disconnected`, so their users stay online for another node.
     */
    async close(): Promise<void> {
      const pending = [...lingering].map(([socketId, { userId, timer }]) => {
        clearTimeout(timer);
        return forget(userId, socketId).catch((err) => logger.warn({ err, userId }, 'presence update failed'));
      });
      lingering.clear();
      await Promise.all(pending);
    },

    /** A ping: refresh last_seen_at, at most once per heartbeat interval per user. */
    async heartbeat(userId: string): Promise<void> {
      const now = Date.now();
      if (now - (lastTouch.get(userId) ?? 0) < (config.presenceHeartbeatSeconds * 1000) / 2) return;
      lastTouch.set(userId, now);
      await withUser(db, userId, (trx) => presence.touchPresence(trx, userId, new Date(now)));
    },

    /** The client (presence frame or PUT /presence) sets online/away and optionally the status message. */
    set(userId: string, status: 'online' | 'away', statusMessage?: string | null): Promise<PresenceRecord> {
      return serially(userId, () =>
        save(userId, { status, ...(statusMessage !== undefined ? { statusMessage } : {}) }),
      );
    },

    /**
     * Presence of the requested users who share a room with the caller (and the
     * caller); others are left out. Users never seen are `offline`.
     */
    async get(callerId: string, userIds: readonly string[]): Promise<PresenceRecord[]> {
      return withUser(db, callerId, async (trx) => {
        const visible = await presence.roomMatesOf(trx, callerId, userIds);
        const found = new Map((await presence.findPresence(trx, visible)).map((r) => [r.user_id, r]));
        return userIds
          .filter((id, i) => visible.includes(id) && userIds.indexOf(id) === i)
          .map(
            (id) =>
              found.get(id) ?? { user_id: id, status: 'offline' as const, status_message: null, last_seen_at: null },
          );
      });
    },

    /**
     * Marks offline the users whose row says online/away but who were not seen
     * for the offline threshold and have no live socket here (their node crashed).
     * Returns how many were swept.
     */
    async sweep(): Promise<number> {
      const cutoff = new Date(Date.now() - config.presenceOfflineThresholdSeconds * 1000);
      const stale = await withUser(db, SWEEP_READER, (trx) => presence.findStalePresence(trx, cutoff, SWEEP_BATCH));
      let swept = 0;
      for (const userId of stale) {
        if (await tracker.isLive(userId)) continue;
        await serially(userId, async () => {
          if (await tracker.isLive(userId)) return;
          const record = await withUser(db, userId, (trx) =>
            presence.markOfflineIfStale(trx, userId, cutoff, new Date()),
          );
          if (record) {
            swept++;
            await announce(userId, record);
          }
        });
      }
      return swept;
    },
  };
}
