import type { Me, VisitInput } from '@lianxin/contracts';
import { api, isApiError, putFile } from '../../api/api-client.ts';
import { meQuery, queryClient } from '../../auth/auth-queries.ts';
import type { QueuedVisit } from './offline-db.ts';
import { getQueued, putQueued, queuedVisits, removeQueued } from './visit-queue.ts';

/** One answer of POST /api/v1/visits/sync (contracts/src/visits.ts visitSyncItem, lane 1), as the phone reads it. */
interface SyncItem {
  id: string | null;
  status: 'created' | 'duplicate' | 'refused';
  error?: { error: string; message: string };
}

/** The server takes at most 50 visits per sync request, and a JSON body of limited size: stay well under both. */
const BATCH_VISITS = 50;
const BATCH_BYTES = 48 * 1024;
/** Retries after a network failure or a busy server: 2 s, 4 s, 8 s … up to 5 minutes apart. */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;

/** The signed-in account whose queue may be sent now; null before /me is known (nothing is sent then). */
export function currentOwner(): string | null {
  return queryClient.getQueryData<Me>(meQuery.queryKey)?.account.id ?? null;
}

/** Retry only what may succeed later: the network, a busy or failing server. A 4xx is the server's answer. */
function transient(e: unknown): boolean {
  return !isApiError(e) || e.id === 'network_error' || e.status === 429 || e.status >= 500;
}

let running: Promise<void> | null = null;
let again = false;
let failures = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Sends the queue: the visits not yet on the server in batches through /visits/sync, then each saved visit's photos
 * by number (PUT, idempotent). One run at a time per tab; a call during a run makes the run go round once more, so
 * a visit queued meanwhile is never left behind. Two tabs (or a retry after a lost answer) may send the same visit:
 * its client id makes the second a `duplicate`, never a second visit.
 */
export function syncNow(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await syncOnce();
      } while (again);
      failures = 0;
    } catch (e) {
      if (!transient(e)) throw e;
      failures += 1;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => void syncNow().catch(() => {}), Math.min(RETRY_FIRST_MS * 2 ** (failures - 1), RETRY_MAX_MS));
    } finally {
      running = null;
    }
  })();
  return running;
}

async function syncOnce(): Promise<void> {
  const owner = currentOwner();
  if (!owner) return;
  const queue = await queuedVisits(owner);
  const unsent = queue.filter((v) => v.state === 'pending' && !v.saved);
  for (const batch of batches(unsent)) await sendBatch(batch);
  for (const v of await queuedVisits(owner)) {
    if (v.saved && v.state === 'pending') await sendPhotos(v);
  }
}

function batches(visits: QueuedVisit[]): QueuedVisit[][] {
  const out: QueuedVisit[][] = [];
  let cur: QueuedVisit[] = [];
  let bytes = 0;
  for (const v of visits) {
    const size = JSON.stringify(v.input).length * 3;
    if (cur.length > 0 && (cur.length >= BATCH_VISITS || bytes + size > BATCH_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(v);
    bytes += size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

async function sendBatch(batch: QueuedVisit[]): Promise<void> {
  let answers: SyncItem[];
  try {
    const body: { visits: VisitInput[] } = { visits: batch.map((v) => v.input) };
    answers = (await api<{ data: SyncItem[] }>('/api/v1/visits/sync', { method: 'POST', body })).data;
  } catch (e) {
    // Not signed in (any more): the queue waits for the next login; nothing is refused for it.
    if (transient(e) || isApiError(e, 'unauthenticated')) throw e;
    // The request as a whole was refused (e.g. no right to record visits): each visit carries that reason.
    for (const v of batch) await putQueued({ ...v, state: 'refused', reason: (e as Error).message });
    return;
  }
  const byId = new Map(answers.map((a) => [a.id, a]));
  for (const v of batch) {
    const a = byId.get(v.id);
    // Never drop a visit the server did not answer for: it stays pending and goes in the next run.
    if (!a) continue;
    const fresh = await getQueued(v.id);
    if (!fresh) continue;
    if (a.status === 'refused') {
      await putQueued({ ...fresh, state: 'refused', reason: a.error?.message ?? '服务器未接受这次走访' });
    } else if (fresh.photos.length === 0) {
      await removeQueued(v.id);
    } else {
      await putQueued({ ...fresh, saved: true });
    }
  }
}

async function sendPhotos(v: QueuedVisit): Promise<void> {
  let sent = v.photosSent;
  for (; sent < v.photos.length; sent += 1) {
    try {
      await putFile(`/api/v1/visits/${encodeURIComponent(v.id)}/photos/${sent + 1}`, v.photos[sent]!);
    } catch (e) {
      if (transient(e) || isApiError(e, 'unauthenticated')) {
        await putQueued({ ...v, photosSent: sent });
        throw e;
      }
      // The visit is saved; this photo was not accepted (too large, not an image): say so and let the member clear it.
      await putQueued({ ...v, photosSent: sent, state: 'refused', reason: `走访已保存，但第 ${sent + 1} 张照片未能上传：${(e as Error).message}` });
      return;
    }
  }
  await removeQueued(v.id);
}

let started = false;

/**
 * Starts the background side of offline use once per page load: the service worker (the app shell offline), and
 * sending the queue now, whenever the network comes back, and on retry after a failure.
 */
export function startOfflineSync(): void {
  if (started) return;
  started = true;
  // Only a production build has a service worker (the dev server serves modules, not dist/sw.js).
  if (import.meta.env.PROD && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No service worker (private mode, an old browser): the app works online as before, the queue still works.
    });
  }
  window.addEventListener('online', () => {
    failures = 0;
    void syncNow().catch(() => {});
  });
  void syncNow().catch(() => {});
}
