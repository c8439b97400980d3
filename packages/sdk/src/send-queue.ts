import { fullJitterDelay, type BackoffOptions } from './backoff.js';
import type { Connection } from './connection.js';
import { ParleyError } from './errors.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import type { OutboxStorage } from './outbox-storage.js';
import type { ClientMessageType, Message, ServerFrame } from './protocol.js';
import type { LocalMessage } from './store/messages.js';
import type { ClientStores } from './store/client-stores.js';
import { randomId } from './uuid.js';

/** Wait before resending a send the server refused for now (rate limit) when it does not say how long. */
const SEND_RETRY_MS = 1_000;
/**
 * Resends of a send the server could not store for now (`unavailable`: its database is down) back off
 * from the server's hint up to this, so a long outage costs a few frames a minute per send.
 */
const OUTAGE_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 15_000 };

export interface SendInput {
  room_id: string;
  content: string;
  type: ClientMessageType;
  metadata: Record<string, unknown>;
  client_id?: string;
}

interface PendingSend {
  resolve: (message: Message) => void;
  reject: (error: ParleyError) => void;
}

/**
 * The user's sends from click to ack: each is shown at once as `pending`, kept in the outbox
 * (persisted when storage is attached) until the server acknowledges it, written to the socket
 * whenever it is open, resent with the same `client_id` after a drop (the server dedupes), and
 * marked `failed` only when the server refuses it for good.
 */
export class SendQueue {
  private readonly outbox = new Outbox();
  private readonly pending = new Map<string, PendingSend>();
  /**
   * One timer for every send the server said "not now" to: when it fires the whole queue goes again
   * in order, so retries never overtake each other. New sends wait behind it too.
   */
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDue = 0;
  /** Per send, how many times in a row the server answered `unavailable`. */
  private readonly outageRetries = new Map<string, number>();

  constructor(
    private readonly stores: ClientStores,
    private readonly connection: Pick<Connection, 'state' | 'send'>,
    onStorageError: (error: unknown) => void,
  ) {
    this.outbox.onStorageError = onStorageError;
  }

  /** Messages sent but not yet acknowledged (pending or queued offline). */
  get size(): number {
    return this.outbox.size;
  }

  /** Resolves with the stored message once the server acknowledges it. */
  send(input: SendInput): Promise<Message> {
    const entry = this.outbox.add({
      client_id: input.client_id ?? randomId(),
      room_id: input.room_id,
      content: input.content,
      type: input.type,
      metadata: input.metadata,
      created_at: new Date().toISOString(),
    });
    this.stores.addPending(this.pendingMessage(entry));
    return this.awaitAck(entry.client_id);
  }

  /** Send a failed message again (same client_id, so it can never be stored twice). */
  retry(roomId: string, clientId: string): Promise<Message> {
    const failed = this.failedEntry(roomId, clientId);
    if (!failed) return Promise.reject(new ParleyError('message_not_found', 'no failed message with that client_id'));
    this.stores.setPendingStatus(roomId, clientId, 'pending');
    const { state: _state, error: _error, ...entry } = failed;
    this.outbox.add(entry);
    return this.awaitAck(clientId);
  }

  /** Forget a failed message: it leaves the room's list and the persisted outbox. Answers whether there was one. */
  discard(roomId: string, clientId: string): boolean {
    if (!this.failedEntry(roomId, clientId)) return false;
    this.outbox.remove(clientId);
    this.stores.removePending(roomId, clientId);
    return true;
  }

  private failedEntry(roomId: string, clientId: string): OutboxEntry | undefined {
    const entry = this.outbox.get(clientId);
    return entry?.state === 'failed' && entry.room_id === roomId ? entry : undefined;
  }

  /** Persist the outbox from now on and bring back what a previous session left unsent, or failed. */
  async restore(storage: OutboxStorage): Promise<void> {
    const restored = await this.outbox.attach(storage);
    for (const entry of restored) this.stores.addPending(this.pendingMessage(entry));
    if (restored.some((entry) => entry.state !== 'failed')) this.flush();
  }

  /**
   * Write every queued send to the socket, oldest first, if it is open; what does not fit waits for
   * the next flush. While a retry is scheduled only `force` (the retry itself, a new `ready`) writes.
   */
  flush(force = false): void {
    if (this.connection.state !== 'open' || (this.retryTimer && !force)) return;
    for (const entry of this.outbox.takeQueued()) {
      const sent = this.connection.send({
        type: 'send',
        ref: entry.client_id,
        room_id: entry.room_id,
        content: entry.content,
        message_type: entry.type,
        metadata: entry.metadata,
        client_id: entry.client_id,
      });
      if (!sent) {
        this.outbox.requeueInflight();
        return;
      }
    }
  }

  /** The socket is not open: whatever was in flight may not have arrived, so it goes again. */
  connectionLost(): void {
    this.outbox.requeueInflight();
  }

  /** The server stored a send: `ack`, or its own `message.created` arriving first. */
  settle(clientId: string | undefined, message: Message): void {
    if (!clientId || !this.outbox.get(clientId)) return;
    this.outbox.remove(clientId);
    this.outageRetries.delete(clientId);
    this.stores.putMessages(message.room_id, [message]);
    this.pending.get(clientId)?.resolve(message);
    this.pending.delete(clientId);
  }

  /** An `error` frame: answers whether it was about one of the sends (and so was handled here). */
  refused(frame: Extract<ServerFrame, { type: 'error' }>): boolean {
    if (!frame.ref || !this.outbox.get(frame.ref)) return false;
    // "Not now" is not "no": a rate-limited send, one that met an expiring token, or one the server
    // could not store while its database was down goes again, under the same client_id.
    if (frame.code === 'rate_limited' || frame.code === 'token_expired') {
      this.retryLater(frame.ref, frame.retry_after_ms ?? SEND_RETRY_MS);
    } else if (frame.code === 'unavailable') {
      const attempt = (this.outageRetries.get(frame.ref) ?? 0) + 1;
      this.outageRetries.set(frame.ref, attempt);
      const hint = frame.retry_after_ms ?? SEND_RETRY_MS;
      this.retryLater(frame.ref, hint + fullJitterDelay(attempt, OUTAGE_BACKOFF));
    } else {
      this.fail(frame.ref, new ParleyError(frame.code, frame.message));
    }
    return true;
  }

  destroy(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const pending of this.pending.values()) pending.reject(new ParleyError('closed', 'client destroyed'));
    this.pending.clear();
  }

  private awaitAck(clientId: string): Promise<Message> {
    const result = new Promise<Message>((resolve, reject) => this.pending.set(clientId, { resolve, reject }));
    // Nobody has to await a send: the failed state lives in the store.
    result.catch(() => undefined);
    this.flush();
    return result;
  }

  /** Put a send back in the queue (it keeps its place and client_id); the queue goes again in `delayMs` at the earliest. */
  private retryLater(clientId: string, delayMs: number): void {
    this.outbox.requeue(clientId);
    const due = Date.now() + delayMs;
    if (this.retryTimer && due <= this.retryDue) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryDue = due;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, delayMs);
  }

  private fail(clientId: string, error: ParleyError): void {
    const entry = this.outbox.fail(clientId, { code: error.code, message: error.message });
    this.outageRetries.delete(clientId);
    if (!entry) return;
    this.stores.setPendingStatus(entry.room_id, clientId, 'failed', entry.error);
    this.pending.get(clientId)?.reject(error);
    this.pending.delete(clientId);
  }

  /** The optimistic copy of an unsent message, shown until the server's copy replaces it (or failed, with why). */
  private pendingMessage(entry: OutboxEntry): LocalMessage {
    const failed = entry.state === 'failed';
    return {
      ...(failed && entry.error ? { error: entry.error } : {}),
      id: `local:${entry.client_id}`,
      room_id: entry.room_id,
      seq: 0,
      sender_id: this.stores.me,
      type: entry.type,
      content: entry.content,
      metadata: entry.metadata,
      reactions: [],
      client_id: entry.client_id,
      created_at: entry.created_at,
      edited_at: null,
      deleted_at: null,
      status: failed ? 'failed' : 'pending',
    };
  }
}
