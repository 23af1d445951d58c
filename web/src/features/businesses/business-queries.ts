import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Business, BusinessCreate, BusinessKind, BusinessUpdate, DownloadTokenResult } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

export interface BusinessFilters {
  kind?: BusinessKind;
  q?: string;
  unlinked?: 'true' | 'false';
}

function filterParams(org: string, f: BusinessFilters): URLSearchParams {
  const qs = new URLSearchParams({ org });
  if (f.kind) qs.set('kind', f.kind);
  if (f.q) qs.set('q', f.q);
  if (f.unlinked) qs.set('unlinked', f.unlinked);
  return qs;
}

export const businessListQuery = (org: string, f: BusinessFilters) =>
  infiniteQueryOptions({
    queryKey: ['businesses', org, f.kind ?? '', f.q ?? '', f.unlinked ?? ''],
    queryFn: ({ pageParam, signal }) => {
      const qs = filterParams(org, f);
      qs.set('limit', '50');
      if (pageParam) qs.set('cursor', pageParam);
      return api<{ data: Business[]; nextCursor: string | null }>(`/api/v1/businesses?${qs}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** The masked export of what the list shows (same filters); the browser downloads it with the session cookie. */
export const exportUrl = (org: string, f: BusinessFilters) => `/api/v1/businesses/export?${filterParams(org, f)}`;

/**
 * 导出完整号码 in two steps: a POST (CSRF header) with the filters and the reason answers a single-use token valid
 * 60 s; the browser then downloads with it. A plain link cannot reach a full export (server: lib/download-tokens.ts).
 */
export async function fullExportUrl(org: string, f: BusinessFilters, reason: string): Promise<string> {
  const { data } = await api<DownloadTokenResult>('/api/v1/businesses/export/full', { method: 'POST', body: { ...Object.fromEntries(filterParams(org, f)), reason } });
  return `/api/v1/businesses/export?${new URLSearchParams({ token: data.token })}`;
}

/** The enterprises of a village a team can belong to (a village has far fewer than 200). */
export const enterprisesQuery = (village: string) =>
  queryOptions({
    queryKey: ['businesses', village, 'enterprise', 'picker'],
    queryFn: ({ signal }) =>
      api<{ data: Business[] }>(`/api/v1/businesses?${new URLSearchParams({ org: village, kind: 'enterprise', limit: '200' })}`, { signal }).then((r) => r.data),
    staleTime: 60_000,
  });

export const businessQuery = (id: string) =>
  queryOptions({
    queryKey: ['business', id],
    queryFn: ({ signal }) => api<{ data: Business }>(`/api/v1/businesses/${encodeURIComponent(id)}`, { signal }).then((r) => r.data),
  });

/** Every write answers with the whole business: put it in the cache and let lists refetch. */
function settle(r: { data: Business }): Business {
  queryClient.setQueryData(businessQuery(r.data.id).queryKey, r.data);
  void queryClient.invalidateQueries({ queryKey: ['businesses'] });
  return r.data;
}

export const createBusiness = (body: BusinessCreate) => api<{ data: Business }>('/api/v1/businesses', { method: 'POST', body }).then(settle);

export const updateBusiness = (id: string, body: BusinessUpdate) =>
  api<{ data: Business }>(`/api/v1/businesses/${encodeURIComponent(id)}`, { method: 'PATCH', body }).then(settle);

/** The full value is returned to the caller only: never put it in the query cache. */
export const revealContactPhone = (id: string, reason: string) =>
  api<{ data: { field: 'contactPhone'; value: string | null } }>(`/api/v1/businesses/${encodeURIComponent(id)}/reveal`, {
    method: 'POST',
    body: { field: 'contactPhone', reason },
  }).then((r) => r.data.value);
