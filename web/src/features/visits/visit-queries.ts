import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, putFile } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';
import type { ItemCategory, RaisedItemWithVisit, TodayView, VisitPatch, VisitView } from './visit-types.ts';

/** A household or a business: whose visits and items a section lists. */
export type VisitSubject = { householdId: string } | { businessId: string };

function subjectParams(s: VisitSubject): URLSearchParams {
  return new URLSearchParams('householdId' in s ? { household: s.householdId } : { business: s.businessId });
}
const subjectKey = (s: VisitSubject) => ('householdId' in s ? `h:${s.householdId}` : `b:${s.businessId}`);

/** 今天: the caller's own, or (代录) a member of the secretary's branch. */
export const todayQuery = (person?: string) =>
  queryOptions({
    queryKey: ['today', person ?? null],
    // With no network the phone's last copy answers (offline/today-cache.ts, loaded with the member's pages only).
    queryFn: async ({ signal }) => {
      const { withTodayCache } = await import('../offline/today-cache.ts');
      return withTodayCache(person, () =>
        api<{ data: TodayView }>(`/api/v1/today${person ? `?${new URLSearchParams({ person })}` : ''}`, { signal }).then((r) => r.data));
    },
    staleTime: 30_000,
  });

export const visitListQuery = (s: VisitSubject) =>
  infiniteQueryOptions({
    queryKey: ['visits', subjectKey(s)],
    queryFn: ({ pageParam, signal }) => {
      const qs = subjectParams(s);
      qs.set('limit', '20');
      if (pageParam) qs.set('cursor', pageParam);
      return api<{ data: VisitView[]; nextCursor: string | null }>(`/api/v1/visits?${qs}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const raisedItemsQuery = (s: VisitSubject) =>
  queryOptions({
    queryKey: ['raised-items', subjectKey(s)],
    queryFn: ({ signal }) => api<{ data: RaisedItemWithVisit[] }>(`/api/v1/raised-items?${subjectParams(s)}`, { signal }).then((r) => r.data),
  });

export const itemCategoriesQuery = queryOptions({
  queryKey: ['item-categories'],
  queryFn: ({ signal }) => api<{ data: ItemCategory[] }>('/api/v1/item-categories', { signal }).then((r) => r.data),
  staleTime: 60 * 60_000,
});

/** After a visit is saved or corrected: 今天, the sections of households/businesses and items all move. */
export function invalidateVisits() {
  void queryClient.invalidateQueries({ queryKey: ['today'] });
  void queryClient.invalidateQueries({ queryKey: ['visits'] });
  void queryClient.invalidateQueries({ queryKey: ['raised-items'] });
}

export async function correctVisit(id: string, body: VisitPatch): Promise<VisitView> {
  const r = await api<{ data: VisitView }>(`/api/v1/visits/${encodeURIComponent(id)}`, { method: 'PATCH', body });
  invalidateVisits();
  return r.data;
}

/** A correction of the photos: these removed (by number), these added in the free numbers; the caller then refreshes. */
export async function correctVisitPhotos(id: string, removed: number[], added: Blob[], free: number[]): Promise<void> {
  const base = `/api/v1/visits/${encodeURIComponent(id)}/photos`;
  for (const seq of removed) await api(`${base}/${seq}`, { method: 'DELETE' });
  for (const [i, file] of added.entries()) await putFile(`${base}/${free[i]}`, file);
  invalidateVisits();
}
