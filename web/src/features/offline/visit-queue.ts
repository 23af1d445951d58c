import { offlineDb, type QueuedVisit } from './offline-db.ts';

/** Who is listening for changes of the queue (the 待同步 indicator): told after every write. */
const listeners = new Set<() => void>();
let version = 0;

export function subscribeQueue(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
/** A number that moves on every change: the snapshot useSyncExternalStore compares. */
export const queueVersion = () => version;

function changed() {
  version += 1;
  for (const l of listeners) l();
}

export async function queuedVisits(owner: string): Promise<QueuedVisit[]> {
  const all = await (await offlineDb()).getAllFromIndex('visits', 'owner', owner);
  return all.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

export async function putQueued(v: QueuedVisit): Promise<void> {
  await (await offlineDb()).put('visits', v);
  changed();
}

export async function getQueued(id: string): Promise<QueuedVisit | undefined> {
  return (await offlineDb()).get('visits', id);
}

export async function removeQueued(id: string): Promise<void> {
  await (await offlineDb()).delete('visits', id);
  changed();
}
