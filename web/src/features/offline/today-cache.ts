import { useSyncExternalStore } from 'react';
import { isApiError } from '../../api/api-client.ts';
import { offlineDb } from './offline-db.ts';
import { currentOwner } from './sync.ts';

/** When the 今天 shown came from the phone's copy: the time that copy was fetched, by cache key. */
const offlineSince = new Map<string, string>();
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

const keyOf = (owner: string, person: string | undefined) => `${owner}:${person ?? 'me'}`;

/**
 * 今天 with a copy on the phone: every answer of GET /api/v1/today is kept (IndexedDB, per account and per member
 * looked at); with no network the last copy is answered instead, and useTodayOffline tells the page how old it is.
 * Only the network failing falls back: a refusal (signed out, no access) is passed on as it is.
 */
export async function withTodayCache<T>(person: string | undefined, load: () => Promise<T>): Promise<T> {
  const owner = currentOwner();
  if (!owner) return load();
  const key = keyOf(owner, person);
  const db = await offlineDb();
  try {
    const data = await load();
    await db.put('today', { key, data, savedAt: new Date().toISOString() });
    if (offlineSince.delete(key)) notify();
    return data;
  } catch (e) {
    if (!isApiError(e, 'network_error')) throw e;
    const copy = await db.get('today', key);
    if (!copy) throw e;
    offlineSince.set(key, copy.savedAt);
    notify();
    return copy.data as T;
  }
}

/** The time (ISO) of the copy of 今天 being shown when it came from the phone; null when it is fresh from the server. */
export function useTodayOffline(person?: string): string | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => {
      const owner = currentOwner();
      return owner ? (offlineSince.get(keyOf(owner, person)) ?? null) : null;
    },
  );
}

/** "离线数据，更新于 HH:mm" (or with the date when the copy is from an earlier day), in Shanghai time. */
export function offlineLabel(savedAt: string, now = new Date()): string {
  const day = (d: Date) => d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
  const t = new Date(savedAt);
  const time = t.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
  return `离线数据，更新于 ${day(t) === day(now) ? '' : `${t.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric' })} `}${time}`;
}
