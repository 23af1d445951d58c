import { lazy, Suspense, useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { Alert, Button, Typography } from 'antd';
import { CardFrame } from '../home/home-card.tsx';
import type { QueuedVisit } from './offline-db.ts';
import { QueuedLine } from './queued-line.tsx';
import { currentOwner, startOfflineSync, syncNow } from './sync.ts';
import { queuedVisits, queueVersion, subscribeQueue } from './visit-queue.ts';

// A refused visit's editing (Select, Popconfirm, TextArea) loads only when one is shown: most homes never need it.
const RefusedVisit = lazy(async () => ({ default: (await import('./offline-refused.tsx')).RefusedVisit }));

function useOnline(): boolean {
  return useSyncExternalStore(
    (l) => {
      window.addEventListener('online', l);
      window.addEventListener('offline', l);
      return () => {
        window.removeEventListener('online', l);
        window.removeEventListener('offline', l);
      };
    },
    () => navigator.onLine,
  );
}

/** The member's queued visits, read again whenever the queue changes. */
function useQueue(): QueuedVisit[] | null {
  const version = useSyncExternalStore(subscribeQueue, queueVersion);
  const [visits, setVisits] = useState<QueuedVisit[] | null>(null);
  useEffect(() => {
    const owner = currentOwner();
    if (!owner) return;
    let live = true;
    void queuedVisits(owner).then((v) => live && setVisits(v));
    return () => {
      live = false;
    };
  }, [version]);
  return visits;
}

/**
 * 待同步 on the member's home: the visits recorded on this phone that are not on the server yet, "没有网络" while
 * offline, and each visit the server refused with its reason — to correct and send again, or to delete on purpose.
 * Loading this card starts the service worker and the queue's sending (features/offline/sync.ts).
 */
export function OfflineQueueCard() {
  useEffect(() => startOfflineSync(), []);
  const online = useOnline();
  const queue = useQueue();
  const [syncing, setSyncing] = useState(false);
  const pending = queue?.filter((v) => v.state === 'pending') ?? [];
  const refused = queue?.filter((v) => v.state === 'refused') ?? [];

  const sync = useCallback(async () => {
    setSyncing(true);
    try {
      await syncNow();
    } catch {
      // Signed out: the login page follows from the next request; the queue stays.
    } finally {
      setSyncing(false);
    }
  }, []);

  // Online, the card shows only once IndexedDB has answered and something waits: a box that appears and vanishes
  // while the queue is read would push the cards below down and back up.
  if (online && (queue === null || queue.length === 0)) return null;
  return (
    // Offline and until IndexedDB answers, no count: "待同步 0 条" would tell a member offline that nothing is waiting.
    <CardFrame title={queue === null ? '待同步' : `待同步 ${queue.length} 条`} extra={online && pending.length > 0 ? <Button onClick={() => void sync()} loading={syncing}>立即同步</Button> : undefined}>
      {!online && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} title="当前没有网络" description="记录的走访先存在这部手机上，联网后自动上传，不会重复。" />
      )}
      <ul aria-label="待同步的走访" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {pending.map((v) => (
          <li key={v.id} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0', fontSize: 16 }}>
            <QueuedLine v={v} />
            <Typography.Text type="secondary"> · {v.saved ? '照片上传中' : '等待上传'}</Typography.Text>
          </li>
        ))}
        {refused.map((v) => (
          <li key={v.id} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0', fontSize: 16 }}>
            <Suspense fallback={<QueuedLine v={v} />}><RefusedVisit v={v} /></Suspense>
          </li>
        ))}
      </ul>
    </CardFrame>
  );
}
