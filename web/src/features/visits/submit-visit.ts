import type { Visit } from '@lianxin/contracts';
import { api, isApiError, putFile } from '../../api/api-client.ts';
import { invalidateVisits } from './visit-queries.ts';
import type { VisitDraft } from './visit-types.ts';

export type { VisitDraft } from './visit-types.ts';

/**
 * The one way a visit leaves the phone: every page that records a visit calls this, so the offline queue (lane 6's
 * features/offline) can take it over by replacing this body alone.
 *
 * Online version: POST the visit (its client id is the idempotency key: a retry after a lost answer gets the same
 * visit back, 200), then PUT each photo by its number (1-based; idempotent too). A refusal (4xx: link ended, date in
 * the future, …) comes back as `refused` with the server's reason, so the form keeps the draft for the member to fix.
 * With no network it throws ApiError('network_error'): the form keeps the draft and the same id, so trying again can
 * never record the visit twice.
 */
export async function submitVisit(draft: VisitDraft): Promise<{ status: 'saved' | 'queued' | 'refused'; reason?: string }> {
  const { photos, ...input } = draft;
  try {
    await api<{ data: Visit }>('/api/v1/visits', { method: 'POST', body: input });
    for (const [i, photo] of photos.entries()) {
      await putFile(`/api/v1/visits/${encodeURIComponent(input.id)}/photos/${i + 1}`, photo);
    }
  } catch (e) {
    if (isApiError(e) && e.id !== 'network_error' && e.status >= 400 && e.status < 500) return { status: 'refused', reason: e.message };
    throw e;
  } finally {
    invalidateVisits();
  }
  return { status: 'saved' };
}
