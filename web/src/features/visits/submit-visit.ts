import type { VisitInput } from '@lianxin/contracts';
import { queryClient } from '../../auth/auth-queries.ts';
import { currentOwner, startOfflineSync, syncNow } from '../offline/sync.ts';
import { getQueued, putQueued, removeQueued } from '../offline/visit-queue.ts';

/**
 * What the phone has before saving: the JSON visit and its photos (sent after it, PUT …/photos/:seq). `subjectName`
 * (张三户, the business's name) labels the visit in the 待同步 list while it waits.
 */
export type VisitDraft = VisitInput & { photos: Blob[]; subjectName?: string };

export interface SubmitResult {
  status: 'saved' | 'queued' | 'refused';
  reason?: string;
}

/**
 * The one way a visit leaves the phone. The visit is first written to the phone's queue (IndexedDB, photos as Blobs),
 * so nothing the member typed depends on the network; then the queue is sent at once.
 * - saved: on the server (photos too); a photo the server would not take comes back as `reason`, and the visit stays
 *   listed under 待同步 with it until the member clears it.
 * - queued: no network (or a busy server): it waits under 待同步 and goes when the network returns.
 * - refused: the server said no (link ended, date in the future …): it is taken back out of the queue and the form,
 *   which still holds it with the same id, shows the reason for the member to fix it.
 * The client id is the idempotency key throughout: however often this runs, the visit is recorded once.
 */
export async function submitVisit(draft: VisitDraft): Promise<SubmitResult> {
  const { photos, subjectName, ...input } = draft;
  const owner = currentOwner();
  if (!owner) throw new Error('请先登录');
  startOfflineSync();
  const before = await getQueued(input.id);
  await putQueued({
    id: input.id, owner, input, photos, subjectName: subjectName ?? '',
    queuedAt: before?.queuedAt ?? new Date().toISOString(),
    state: 'pending', reason: null, saved: before?.saved ?? false, photosSent: before?.photosSent ?? 0,
  });
  try {
    await syncNow();
  } catch {
    // Signed out meanwhile: the visit waits in the queue for the next login.
  }
  const after = await getQueued(input.id);
  invalidate();
  if (!after) return { status: 'saved' };
  if (after.state === 'refused' && !after.saved) {
    await removeQueued(input.id);
    return { status: 'refused', reason: after.reason ?? undefined };
  }
  if (after.saved) return { status: 'saved', ...(after.reason ? { reason: after.reason } : {}) };
  return { status: 'queued' };
}

/** 今天, the visit lists and raised items move with a saved visit (the same keys as features/visits' queries). */
function invalidate() {
  for (const key of ['today', 'visits', 'raised-items']) void queryClient.invalidateQueries({ queryKey: [key] });
}
