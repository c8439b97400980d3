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
  /** `queued`: waiting for the socket · `inflight`: written to the socket, awaiting `ack`. */
  state: 'queued' | 'inflight';
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
      const queued: OutboxEntry = { ...entry, state: 'queued' };
      this.entries.set(entry.client_id, queued);
      restored.push(queued);
    }
    return restored;
  }

  add(entry: Omit<OutboxEntry, 'state'>): OutboxEntry {
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
    for (const entry of this.entries.values()) entry.state = 'queued';
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

  get size(): number {
    return this.entries.size;
  }

  list(): OutboxEntry[] {
    return [...this.entries.values()];
  }
}
