import type { RoomEvent } from '@parley/sdk/protocol';

/**
 * What travels between server nodes. A union so that ephemeral traffic
 * (typing, presence) can join later without changing the transport.
 * Everything is plain JSON: the Redis implementation serialises it as is.
 */
export type BusMessage = {
  type: 'room_event';
  event: RoomEvent;
  /** User ids to deliver to: the room's participants when the change committed. */
  recipients: string[];
};

export type BusHandler = (message: BusMessage) => void;

/**
 * Fan-out between the writers (services) and the socket gateways of every
 * node. Publish after the database commit, never inside the transaction.
 */
export interface EventBus {
  publish(message: BusMessage): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(handler: BusHandler): () => void;
  /** For /readyz. */
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
}
