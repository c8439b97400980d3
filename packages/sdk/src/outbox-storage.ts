import type { OutboxEntry } from './outbox.js';

/**
 * Where unsent messages survive a page reload. One storage per server and user
 * (its `scope`), so two accounts on one browser never send each other's drafts.
 */
export interface OutboxStorage {
  /** Entries saved earlier, oldest first. */
  load(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  delete(clientId: string): Promise<void>;
}

/** Builds the storage for a scope (`<server url>|<user id>`); null keeps the outbox in memory only. */
export type OutboxStorageFactory = (scope: string) => OutboxStorage | null;

const DB_NAME = 'parley-outbox';
const STORE = 'entries';

interface StoredEntry {
  key: string;
  /** Insertion order, so entries come back in the order they were made. */
  order: number;
  entry: OutboxEntry;
}

let counter = 0;

/**
 * The outbox in IndexedDB, raw (about 40 lines; a wrapper library would cost
 * more bytes than it saves). Keys are `<scope>|<client_id>`; a scope's entries
 * are one key range. Null when the environment has no IndexedDB (Node).
 */
export function indexedDbOutboxStorage(
  scope: string,
  idb: IDBFactory | undefined = globalThis.indexedDB,
): OutboxStorage | null {
  if (!idb) return null;
  let opening: Promise<IDBDatabase> | undefined;
  const open = () =>
    (opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = idb.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    }));
  const run = async <T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await open();
    return new Promise<T>((resolve, reject) => {
      const request = fn(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
  };
  const prefix = `${scope}|`;
  return {
    async load() {
      const rows = (await run('readonly', (s) =>
        s.getAll(IDBKeyRange.bound(prefix, `${prefix}\uffff`)),
      )) as StoredEntry[];
      return rows.sort((a, b) => a.order - b.order).map((r) => ({ ...r.entry, state: 'queued' as const }));
    },
    async put(entry) {
      const row: StoredEntry = { key: prefix + entry.client_id, order: Date.now() * 1000 + (counter++ % 1000), entry };
      await run('readwrite', (s) => s.put(row));
    },
    async delete(clientId) {
      await run('readwrite', (s) => s.delete(prefix + clientId));
    },
  };
}

/** A storage that lives as long as the object (tests; or sharing one outbox between clients in a process). */
export function memoryOutboxStorage(): OutboxStorage {
  const entries = new Map<string, OutboxEntry>();
  return {
    load: async () => [...entries.values()].map((e) => ({ ...e })),
    put: async (entry) => {
      entries.set(entry.client_id, { ...entry });
    },
    delete: async (clientId) => {
      entries.delete(clientId);
    },
  };
}
