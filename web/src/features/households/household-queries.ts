import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type {
  Household,
  HouseholdCreate,
  HouseholdSummary,
  HouseholdUpdate,
  ResidentInput,
  ResidentUpdate,
  TagDefinition,
} from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

export interface HouseholdFilters {
  q?: string;
  tag?: string;
  away?: 'true' | 'false';
  grid?: string;
  /** 'true': no active primary link (未联系); 'false': linked. */
  unlinked?: 'true' | 'false';
  /** A member's id: the households linked to them now. */
  member?: string;
}

export const tagsQuery = queryOptions({
  queryKey: ['tags'],
  queryFn: ({ signal }) => api<{ data: TagDefinition[] }>('/api/v1/tags', { signal }).then((r) => r.data),
  staleTime: 60 * 60_000,
});

export const householdListQuery = (org: string, f: HouseholdFilters) =>
  infiniteQueryOptions({
    queryKey: ['households', org, f.q ?? '', f.tag ?? '', f.away ?? '', f.grid ?? '', f.unlinked ?? '', f.member ?? ''],
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams({ org, limit: '50' });
      if (f.q) qs.set('q', f.q);
      if (f.tag) qs.set('tag', f.tag);
      if (f.away) qs.set('away', f.away);
      if (f.grid) qs.set('grid', f.grid);
      if (f.unlinked) qs.set('unlinked', f.unlinked);
      if (f.member) qs.set('member', f.member);
      if (pageParam) qs.set('cursor', pageParam);
      return api<{ data: HouseholdSummary[]; nextCursor: string | null }>(`/api/v1/households?${qs}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const householdQuery = (id: string) =>
  queryOptions({
    queryKey: ['household', id],
    queryFn: ({ signal }) => api<{ data: Household }>(`/api/v1/households/${encodeURIComponent(id)}`, { signal }).then((r) => r.data),
  });

/** Every write answers with the whole household: put it in the cache and let lists refetch. */
function settle(h: Household): Household {
  queryClient.setQueryData(householdQuery(h.id).queryKey, h);
  void queryClient.invalidateQueries({ queryKey: ['households'] });
  return h;
}

const data = (r: { data: Household }) => settle(r.data);

export const createHousehold = (body: HouseholdCreate) => api<{ data: Household }>('/api/v1/households', { method: 'POST', body }).then(data);

export const updateHousehold = (id: string, body: HouseholdUpdate) =>
  api<{ data: Household }>(`/api/v1/households/${encodeURIComponent(id)}`, { method: 'PATCH', body }).then(data);

export const addResident = (householdId: string, body: ResidentInput) =>
  api<{ data: Household }>(`/api/v1/households/${encodeURIComponent(householdId)}/residents`, { method: 'POST', body }).then(data);

export const updateResident = (id: string, body: ResidentUpdate) =>
  api<{ data: Household }>(`/api/v1/residents/${encodeURIComponent(id)}`, { method: 'PATCH', body }).then(data);

export const residentLeave = (id: string, body: { on: string; reason: string }) =>
  api<{ data: Household }>(`/api/v1/residents/${encodeURIComponent(id)}/leave`, { method: 'POST', body }).then(data);

/** 注销住户: the household leaves the register; lists, coverage and the org's counts refetch. */
export async function removeHousehold(id: string, body: { on: string; reason: string }) {
  const r = await api<{ data: { id: string; residentsLeft: number; linksEnded: number } }>(
    `/api/v1/households/${encodeURIComponent(id)}/remove`, { method: 'POST', body });
  // Cached lists would show the household again until their refetch: drop them rather than mark them stale.
  queryClient.removeQueries({ queryKey: householdQuery(id).queryKey });
  queryClient.removeQueries({ queryKey: ['households'] });
  await Promise.all(['coverage', 'org', 'links'].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
  return r.data;
}

/** The full value is returned to the caller only: never put it in the query cache. */
export const revealResident = (id: string, body: { field: 'idNumber' | 'phone'; reason: string }) =>
  api<{ data: { field: 'idNumber' | 'phone'; value: string | null } }>(`/api/v1/residents/${encodeURIComponent(id)}/reveal`, { method: 'POST', body }).then((r) => r.data);
