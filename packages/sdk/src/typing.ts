import type { ClientFrame } from './protocol.js';
import type { ClientStores } from './store/client-stores.js';

/** A held-down key must not become a frame per keystroke: `start` goes again at most this often. */
const TYPING_RESEND_MS = 3_000;
/** How often indicators nobody refreshed are swept while anyone is typing. */
const EXPIRY_SWEEP_MS = 1_000;

/**
 * Typing indicators both ways: the user's own `start`/`stop` frames, throttled, and the
 * indicators of others in the typing store, which expire when nobody refreshes them.
 */
export class Typing {
  private readonly sentAt = new Map<string, number>();
  private sweep: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly stores: ClientStores,
    private readonly send: (frame: ClientFrame) => boolean,
  ) {}

  /** The user is typing in a room (throttled) or stopped (sent only after a `start`). */
  set(roomId: string, typing: boolean): void {
    if (typing) {
      const now = Date.now();
      if (now - (this.sentAt.get(roomId) ?? 0) < TYPING_RESEND_MS) return;
      this.sentAt.set(roomId, now);
    } else if (!this.sentAt.delete(roomId)) {
      return;
    }
    this.send({ type: 'typing', room_id: roomId, state: typing ? 'start' : 'stop' });
  }

  /** A sent message ends the user's indicator on the server's side: the next keystroke starts a new one. */
  sentMessage(roomId: string): void {
    this.sentAt.delete(roomId);
  }

  /** Someone else's indicator changed. */
  received(roomId: string, userId: string, typing: boolean): void {
    this.stores.setTyping(roomId, userId, typing);
    if (this.sweep) return;
    this.sweep = setInterval(() => {
      if (this.stores.expireTyping() || !this.sweep) return;
      clearInterval(this.sweep);
      this.sweep = null;
    }, EXPIRY_SWEEP_MS);
  }

  destroy(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
  }
}
