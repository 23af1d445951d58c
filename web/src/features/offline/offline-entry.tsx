import { lazy, Suspense } from 'react';

const OfflineQueueCard = lazy(async () => ({ default: (await import('./offline-card.tsx')).OfflineQueueCard }));

/**
 * The home registry's entry for 待同步: the queue, IndexedDB and the service worker's registration are fetched only
 * when a member's (or secretary's) home shows it, never with the login page or an office user's pages.
 */
export function OfflineQueueEntry() {
  return (
    <Suspense fallback={null}>
      <OfflineQueueCard />
    </Suspense>
  );
}
