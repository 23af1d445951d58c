import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { VisitInput } from '@lianxin/contracts';

/**
 * The phone's own store (IndexedDB): visits recorded without a network, with their photos as Blobs, and the last copy
 * of 今天. Everything is keyed by the account that wrote it, so a phone shared by two members never sends one's
 * visits under the other's session or shows one's 今天 to the other.
 */
export interface QueuedVisit {
  /** The visit's client id: the idempotency key of every retry. */
  id: string;
  owner: string;
  input: VisitInput;
  photos: Blob[];
  /** 张三户 / the business: what the member recognises in the list. */
  subjectName: string;
  queuedAt: string;
  /** pending: waits for the network; refused: the server said no (reason), the member edits or removes it. */
  state: 'pending' | 'refused';
  reason: string | null;
  /** The visit itself is on the server; only photos (from photosSent on) remain. */
  saved: boolean;
  photosSent: number;
}

export interface CachedToday {
  key: string;
  data: unknown;
  savedAt: string;
}

interface OfflineSchema extends DBSchema {
  visits: { key: string; value: QueuedVisit; indexes: { owner: string } };
  today: { key: string; value: CachedToday };
}

let db: Promise<IDBPDatabase<OfflineSchema>> | null = null;

export function offlineDb(): Promise<IDBPDatabase<OfflineSchema>> {
  db ??= openDB<OfflineSchema>('lianxin-offline', 1, {
    upgrade(d) {
      d.createObjectStore('visits', { keyPath: 'id' }).createIndex('owner', 'owner');
      d.createObjectStore('today', { keyPath: 'key' });
    },
  });
  return db;
}
