import type { OutboxStorage } from './outbox-storage.js';
import type { ClientMessageType } from './protocol.js';

/** One message the user sent that the server has not acknowledged yet. */
export interface OutboxEntry {
  client_id: string;
  room_id: string;
  content: string;
  type: ClientMessageType;
  metadata: Record<string, unknown>;
  created_at: string;
  /**
   * `queued`: waiting for the socket · `inflight`: written to the socket, awaiting `ack` ·
   * `failed`: the server refused it for good; kept (and persisted) until the user retries or discards it.
   */
  state: 'queued' | 'inflight' | 'failed';
  /** Why it failed (with `failed`). */
  error?: { code: string; message: string };
}

/**
 * The offline queue: sends in the order the user made them, keyed by `client_id` so a
 * resend after a drop is recognised by the server as the same message (no duplicates).
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private storage: OutboxStorage | null = null;

  /** Called with storage failures (the in-memory queue keeps working). */
  onStorageError: (error: unknown) => void = () => undefined;

  /**
   * Persist from now on (and what is queued already); resolves with the entries
   * an earlier session left, oldest first, which are queued again here.
   */
  async attach(storage: OutboxStorage): Promise<OutboxEntry[]> {
    this.storage = storage;
    for (const entry of this.entries.values()) this.persist(entry);
    let saved: OutboxEntry[] = [];
    try {
      saved = await storage.load();
    } catch (error) {
      this.onStorageError(error);
    }
    const restored: OutboxEntry[] = [];
    for (const entry of saved) {
      if (this.entries.has(entry.client_id)) continue;
      // What was in flight when the page went may not have arrived: it goes again. A failed one stays failed.
      const kept: OutboxEntry = entry.state === 'failed' ? entry : { ...entry, state: 'queued' };
      this.entries.set(entry.client_id, kept);
      restored.push(kept);
    }
    return restored;
  }

  add(entry: Omit<OutboxEntry, 'state' | 'error'>): OutboxEntry {
    const queued: OutboxEntry = { ...entry, state: 'queued' };
    this.entries.set(entry.client_id, queued);
    this.persist(queued);
    return queued;
  }

  /** Put one in-flight entry back in the queue (e.g. the server said "later"), keeping its place. */
  requeue(clientId: string): void {
    const entry = this.entries.get(clientId);
    if (entry) entry.state = 'queued';
  }

  /** The server refused it for good: kept, out of the queue, until retried or removed. */
  fail(clientId: string, error: { code: string; message: string }): OutboxEntry | undefined {
    const entry = this.entries.get(clientId);
    if (!entry) return undefined;
    entry.state = 'failed';
    entry.error = error;
    this.persist(entry);
    return entry;
  }

  get(clientId: string): OutboxEntry | undefined {
    return this.entries.get(clientId);
  }

  /** Entries to write now, oldest first; they become in-flight. */
  takeQueued(): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state === 'queued') {
        entry.state = 'inflight';
        out.push(entry);
      }
    }
    return out;
  }

  /** The socket dropped: whatever was in flight may or may not have arrived, so send it again (idempotent). */
  requeueInflight(): void {
    for (const entry of this.entries.values()) if (entry.state === 'inflight') entry.state = 'queued';
  }

  remove(clientId: string): OutboxEntry | undefined {
    const entry = this.entries.get(clientId);
    this.entries.delete(clientId);
    if (entry && this.storage) this.storage.delete(clientId).catch(this.onStorageError);
    return entry;
  }

  private persist(entry: OutboxEntry): void {
    this.storage?.put(entry).catch(this.onStorageError);
  }

  /** Entries still on their way (queued or in flight); failed ones wait for the user and are not counted. */
  get size(): number {
    let unsent = 0;
    for (const entry of this.entries.values()) if (entry.state !== 'failed') unsent++;
    return unsent;
  }

  list(): OutboxEntry[] {
    return [...this.entries.values()];
  }
}
