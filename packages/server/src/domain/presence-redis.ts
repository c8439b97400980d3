import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { InMemoryPresenceTracker, type PresenceTracker } from './presence.js';

/**
 * Per user, a sorted set of that user's sockets on every node, each scored by
 * the time (Redis's clock, so nodes' clocks do not matter) its entry expires.
 * That is a TTL per connection, aggregated per user in one key: counting live
 * sockets is one ZCOUNT, and a crashed node's sockets simply stop counting
 * once their expiry passes. The key itself expires with its last entry.
 */
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS[1] user set; ARGV[1] socket id, ARGV[2] ttl ms → live sockets of the user. */
const ADD = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZCARD', KEYS[1])`;

/** KEYS[1] user set; ARGV[1] socket id → live sockets left. */
const REMOVE = `${NOW_MS}
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])`;

/** KEYS[1] user set; ARGV[1] ttl ms, ARGV[2..] socket ids → re-arms (or re-creates, after a Redis restart) the entries. */
const REFRESH = `${NOW_MS}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

/** KEYS[1] user set → live sockets. */
const COUNT = `${NOW_MS}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

type PresenceRedis = Redis & {
  presenceAdd(key: string, socketId: string, ttlMs: number): Promise<number>;
  presenceRemove(key: string, socketId: string): Promise<number>;
  presenceRefresh(key: string, ttlMs: number, ...socketIds: string[]): Promise<number>;
  presenceCount(key: string): Promise<number>;
};

export interface RedisPresenceOptions {
  /** Key namespace, e.g. `parley:`. */
  prefix: string;
  /** How long a socket counts without a refresh: the offline threshold. */
  ttlMs: number;
  /** How often this node re-arms its sockets' entries: the heartbeat interval. */
  refreshMs: number;
  logger: Logger;
}

/**
 * Cluster-wide socket counts: a user with sockets on two nodes is
 * online until both are gone. This node refreshes the entries of its own
 * sockets every heartbeat interval (one round trip per user with sockets
 * here); a socket that stops heartbeating is closed by the gateway's idle
 * sweep and removed, and a node that dies stops refreshing, so its entries
 * expire after the offline threshold on their own.
 *
 * Redis down: this node's own sockets are counted (the in-memory tracker it
 * keeps anyway), so the node keeps working as if it were alone; when Redis is
 * back, the next refresh re-registers them.
 */
export class RedisPresenceTracker implements PresenceTracker {
  private readonly local = new InMemoryPresenceTracker();
  /** userId → this node's socket ids (what the refresh re-arms). */
  private readonly mine = new Map<string, Set<string>>();
  private readonly redis: PresenceRedis;
  private readonly timer: NodeJS.Timeout;

  constructor(
    redis: Redis,
    private readonly options: RedisPresenceOptions,
  ) {
    redis.defineCommand('presenceAdd', { numberOfKeys: 1, lua: ADD });
    redis.defineCommand('presenceRemove', { numberOfKeys: 1, lua: REMOVE });
    redis.defineCommand('presenceRefresh', { numberOfKeys: 1, lua: REFRESH });
    redis.defineCommand('presenceCount', { numberOfKeys: 1, lua: COUNT });
    this.redis = redis as PresenceRedis;
    this.timer = setInterval(() => void this.refresh(), options.refreshMs);
    this.timer.unref();
    // Back from an outage (possibly a Redis that lost everything): re-register at once.
    redis.on('ready', () => void this.refresh());
  }

  async add(userId: string, socketId: string): Promise<number> {
    let set = this.mine.get(userId);
    if (!set) this.mine.set(userId, (set = new Set()));
    set.add(socketId);
    const localCount = await this.local.add(userId, socketId);
    return this.orLocal(() => this.redis.presenceAdd(this.key(userId), socketId, this.options.ttlMs), localCount);
  }

  async remove(userId: string, socketId: string): Promise<number> {
    const set = this.mine.get(userId);
    set?.delete(socketId);
    if (set?.size === 0) this.mine.delete(userId);
    const localCount = await this.local.remove(userId, socketId);
    return this.orLocal(() => this.redis.presenceRemove(this.key(userId), socketId), localCount);
  }

  async isLive(userId: string): Promise<boolean> {
    if (await this.local.isLive(userId)) return true;
    return (await this.orLocal(() => this.redis.presenceCount(this.key(userId)), 0)) > 0;
  }

  /** Re-arms the entries of every socket on this node. Resolves false when Redis did not take them. */
  async refresh(): Promise<boolean> {
    if (this.mine.size === 0 || this.redis.status !== 'ready') return this.mine.size === 0;
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      presenceRefresh(key: string, ttlMs: number, ...socketIds: string[]): unknown;
    };
    for (const [userId, sockets] of this.mine)
      pipeline.presenceRefresh(this.key(userId), this.options.ttlMs, ...sockets);
    try {
      const results = (await pipeline.exec()) ?? [];
      return results.every(([err]) => !err);
    } catch (err) {
      this.options.logger.debug({ err }, 'presence refresh failed');
      return false;
    }
  }

  /** Stops refreshing (the node is going away; its entries expire unless the sockets reconnect elsewhere). */
  close(): void {
    clearInterval(this.timer);
  }

  private key(userId: string): string {
    return `${this.options.prefix}presence:${userId}`;
  }

  private async orLocal(call: () => Promise<number>, localCount: number): Promise<number> {
    try {
      return Number(await call());
    } catch (err) {
      this.options.logger.debug({ err }, 'presence: redis unavailable, counting this node only');
      return localCount;
    }
  }
}
