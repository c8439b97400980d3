import type { RoomEvent, ServerFrame } from '@parley/sdk/protocol';

/**
 * What travels between server nodes. A union so that ephemeral traffic
 * (typing, presence) can join later without changing the transport.
 * Everything is plain JSON: the Redis implementation serialises it as is.
 */
export type BusMessage =
  | {
      type: 'room_event';
      event: RoomEvent;
      /** User ids to deliver to: the room's participants when the change committed. */
      recipients: string[];
    }
  | {
      /** An ephemeral or per-user frame (unread counts, typing, presence): not logged, not replayed. */
      type: 'user_frame';
      frame: ServerFrame;
      /** User ids whose sockets get the frame. */
      recipients: string[];
      /** Skip this user's sockets (e.g. the typist does not see their own typing). */
      except_user_id?: string;
    };

export type BusHandler = (message: BusMessage) => void;

/**
 * What a bus reports for /metrics (metrics.ts): once per delivery unit — one published message, or
 * one commit's batch — never per message of a batch or per recipient.
 */
export interface BusObserver {
  /**
   * The unit was handed to every subscriber (the gateway wrote its frames); `since` is
   * `performance.now()` when this node had it: published here, or received from another node.
   */
  delivered(since: number): void;
  /** The unit came from another node, which published it at `publishedAt` (its `Date.now()`). */
  arrived(publishedAt: number): void;
}

/**
 * Fan-out between the writers (services) and the socket gateways of every
 * node. Publish after the database commit, never inside the transaction.
 */
export interface EventBus {
  publish(message: BusMessage): Promise<void>;
  /**
   * Publishes what one commit produced, in order, as one unit: one hop for a
   * whole batch (one Redis PUBLISH), delivered to local subscribers together.
   */
  publishBatch(messages: readonly BusMessage[]): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(handler: BusHandler): () => void;
  /** Reports delivery timings to `observer` (optional: a bus without it has no fan-out metrics); returns a stop function. */
  observe?(observer: BusObserver): () => void;
  /** For /readyz. */
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
}
