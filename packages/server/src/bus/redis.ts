import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { BusMessage, EventBus } from './bus.js';
import { LocalSubscribers } from './local-subscribers.js';
import { closeRedisClient, createRedisClient } from './redis-client.js';

/**
 * Who must catch up from the database because bus messages may have missed
 * them: some users, or (null) everyone connected to this node.
 */
export type CatchUpHandler = (userIds: ReadonlySet<string> | null) => void;

/**
 * What crosses Redis on the message channels: the message (or a commit's batch of them), the node
 * that published it and when (`at`, its `Date.now()`, for parley_bus_lag_seconds; absent from
 * nodes older than it, which ignore it in turn).
 */
type Envelope = { node: string; at?: number } & ({ message: BusMessage } | { messages: BusMessage[] });

/** On the catch-up channel: a node whose publishes failed names their recipients (null: everyone). */
interface CatchUpNotice {
  node: string;
  users: string[] | null;
}

/** A node that failed this many recipients' messages asks every node to resync everyone. */
const MAX_MISSED_RECIPIENTS = 10_000;

export interface RedisBusOptions {
  url: string;
  /** Namespace of every channel (e.g. `parley:`), so deployments can share one Redis. */
  prefix: string;
  logger: Logger;
  /** Identifies this node on the wire (default: random per process). */
  nodeId?: string;
}

/**
 * The bus for several nodes: Redis pub/sub with one publisher and
 * one subscriber connection.
 *
 * Delivery: every message is handed to this node's subscribers at once (as the
 * in-process bus does) and published to Redis with this node's id; a node
 * skips its own messages when they come back. So local sockets get each event
 * exactly once, with no Redis round trip, and keep getting them while Redis
 * is down.
 *
 * Losses: pub/sub keeps nothing. When this node's subscription was
 * interrupted, or its publishes failed, {@link onCatchUp} handlers learn which
 * users may have missed something (the server makes their sockets reconnect
 * and resume from `room_events`), so nothing committed to PostgreSQL is lost
 * to anyone.
 */
export class RedisBus extends LocalSubscribers implements EventBus {
  readonly nodeId: string;
  private readonly catchUpHandlers = new Set<CatchUpHandler>();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channels: { roomEvent: string; userFrame: string; batch: string; catchUp: string };
  /** Recipients of messages that could not be published (null: too many to list). */
  private missed: Set<string> | null = new Set();
  private missedAny = false;
  private subscribedOnce = false;
  /** ready() gave up waiting: sockets may connect before the first subscription, and miss events. */
  private startedDegraded = false;
  private closed = false;

  constructor(private readonly options: RedisBusOptions) {
    super();
    const { url, prefix, logger } = options;
    this.nodeId = options.nodeId ?? randomUUID();
    this.channels = {
      roomEvent: `${prefix}bus:room_event`,
      userFrame: `${prefix}bus:user_frame`,
      batch: `${prefix}bus:batch`,
      catchUp: `${prefix}bus:catch_up`,
    };
    this.publisher = createRedisClient(url, { role: 'publisher', logger });
    this.subscriber = createRedisClient(url, { role: 'subscriber', logger, queueWhileDown: true });
    this.subscriber.on('message', (channel: string, payload: string) => this.receive(channel, payload));
    this.subscriber.on('ready', () => {
      if (!this.subscribedOnce) return;
      // ioredis resubscribes right after 'ready'; whatever was published meanwhile is gone. The
      // PING answers after the SUBSCRIBEs, so sockets resume only once live delivery is back.
      setImmediate(() => {
        this.subscriber.ping().then(
          () => this.requestCatchUp(null),
          () => undefined, // dropped again: the next 'ready' tries again
        );
      });
    });
    this.publisher.on('ready', () => this.announceMissed());
    void this.subscriber
      .subscribe(this.channels.roomEvent, this.channels.userFrame, this.channels.batch, this.channels.catchUp)
      .then(() => {
        this.subscribedOnce = true;
        if (this.startedDegraded) this.requestCatchUp(null);
      })
      .catch((err: unknown) => logger.error({ err }, 'redis subscribe failed'));
  }

  /** The publisher connection, for the other Redis-backed parts of a node (presence, rate limits). */
  get commands(): Redis {
    return this.publisher;
  }

  /** Resolves once both connections are up (or false after the timeout: the node starts degraded). */
  async ready(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.publisher.status === 'ready' && this.subscribedOnce) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    this.startedDegraded = true;
    return false;
  }

  async publish(message: BusMessage): Promise<void> {
    const since = performance.now();
    queueMicrotask(() => {
      this.dispatch(message);
      this.delivered(since);
    });
    if (this.closed) return;
    const channel = message.type === 'room_event' ? this.channels.roomEvent : this.channels.userFrame;
    const envelope: Envelope = { node: this.nodeId, at: Date.now(), message };
    try {
      await this.publisher.publish(channel, JSON.stringify(envelope));
    } catch (err) {
      // Not an error for the caller: the change is committed and local sockets have it.
      this.noteMissed(message);
      this.options.logger.debug({ err }, 'bus publish failed; peers will catch up from the database');
    }
  }

  async publishBatch(messages: readonly BusMessage[]): Promise<void> {
    const since = performance.now();
    queueMicrotask(() => {
      for (const message of messages) this.dispatch(message);
      this.delivered(since);
    });
    if (this.closed || messages.length === 0) return;
    const envelope: Envelope = { node: this.nodeId, at: Date.now(), messages: [...messages] };
    try {
      await this.publisher.publish(this.channels.batch, JSON.stringify(envelope));
    } catch (err) {
      for (const message of messages) this.noteMissed(message);
      this.options.logger.debug({ err }, 'bus publish failed; peers will catch up from the database');
    }
  }

  /** Called with the users who must catch up from the database; returns an unsubscribe function. */
  onCatchUp(handler: CatchUpHandler): () => void {
    this.catchUpHandlers.add(handler);
    return () => this.catchUpHandlers.delete(handler);
  }

  async isHealthy(): Promise<boolean> {
    return !this.closed && this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.catchUpHandlers.clear();
    this.observers.clear();
    await Promise.all([closeRedisClient(this.publisher), closeRedisClient(this.subscriber)]);
  }

  private dispatch(message: BusMessage): void {
    for (const handler of this.handlers) {
      try {
        handler(message);
      } catch (err) {
        this.options.logger.error({ err }, 'bus handler failed');
      }
    }
  }

  private receive(channel: string, payload: string): void {
    const since = performance.now();
    let envelope: Envelope | CatchUpNotice;
    try {
      envelope = JSON.parse(payload) as Envelope | CatchUpNotice;
    } catch {
      this.options.logger.warn({ channel }, 'bus: dropped a payload that is not JSON');
      return;
    }
    if (envelope.node === this.nodeId) return;
    if (channel === this.channels.catchUp && 'users' in envelope) {
      this.requestCatchUp(envelope.users ? new Set(envelope.users) : null);
      return;
    }
    if ('messages' in envelope) {
      for (const message of envelope.messages) this.dispatch(message);
    } else if ('message' in envelope) {
      this.dispatch(envelope.message);
    } else {
      return;
    }
    const publishedAt = envelope.at;
    for (const observer of this.observers) {
      if (typeof publishedAt === 'number') observer.arrived(publishedAt);
      observer.delivered(since);
    }
  }

  private noteMissed(message: BusMessage): void {
    this.missedAny = true;
    if (!this.missed) return;
    for (const id of message.recipients) this.missed.add(id);
    if (this.missed.size > MAX_MISSED_RECIPIENTS) this.missed = null;
  }

  /** Back after failed publishes: tell the other nodes whose sockets missed them. */
  private announceMissed(): void {
    if (!this.missedAny || this.closed) return;
    const users = this.missed ? [...this.missed] : null;
    this.missed = new Set();
    this.missedAny = false;
    const notice: CatchUpNotice = { node: this.nodeId, users };
    this.publisher.publish(this.channels.catchUp, JSON.stringify(notice)).catch((err: unknown) => {
      // Still down after all: remember them for the next reconnect.
      this.missedAny = true;
      if (users && this.missed) for (const id of users) this.missed.add(id);
      else this.missed = null;
      this.options.logger.debug({ err }, 'bus catch-up notice failed');
    });
  }

  private requestCatchUp(users: ReadonlySet<string> | null): void {
    for (const handler of this.catchUpHandlers) {
      try {
        handler(users);
      } catch (err) {
        this.options.logger.error({ err }, 'bus catch-up handler failed');
      }
    }
  }
}
