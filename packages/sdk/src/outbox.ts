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

  add(entry: Omit<OutboxEntry, 'state'>): OutboxEntry {
    const queued: OutboxEntry = { ...entry, state: 'queued' };
    this.entries.set(entry.client_id, queued);
    return queued;
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
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  list(): OutboxEntry[] {
    return [...this.entries.values()];
  }
}
