import type { RoomEvent } from '@parley/sdk/protocol';
import type { BusMessage } from '../bus/bus.js';
import type { ServiceDeps } from './deps.js';

/** Room events for a set of recipients, as bus messages, in seq order. */
export function roomEventMessages(events: readonly RoomEvent[], recipients: readonly string[]): BusMessage[] {
  return events.map((event) => ({ type: 'room_event', event, recipients: [...recipients] }));
}

/**
 * Publishes what a committed transaction produced, in order. Best effort: the
 * change is committed; a lost room event is repaired by resume, a lost unread
 * frame by the next one (or GET /unread).
 */
export async function publishAll(
  { bus, logger }: Pick<ServiceDeps, 'bus' | 'logger'>,
  messages: readonly BusMessage[],
): Promise<void> {
  for (const message of messages) {
    await bus.publish(message).catch((err) => {
      const where = message.type === 'room_event' ? { roomId: message.event.room_id, seq: message.event.seq } : {};
      logger.error({ err, ...where }, 'bus publish failed');
    });
  }
}
