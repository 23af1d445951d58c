import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Campaign, CampaignCreate, CampaignList, CampaignPending, CampaignProgress } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

const base = (id: string) => `/api/v1/campaigns/${encodeURIComponent(id)}`;
const qs = (params: Record<string, string | null | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) s.set(k, v);
  const t = s.toString();
  return t ? `?${t}` : '';
};

export const campaignListQuery = (status: 'open' | 'closed' | 'all') =>
  queryOptions({
    queryKey: ['campaigns', 'list', status],
    queryFn: ({ signal }) => api<CampaignList>(`/api/v1/campaigns${qs({ status })}`, { signal }),
    staleTime: 0,
  });

export const campaignQuery = (id: string) =>
  queryOptions({
    queryKey: ['campaigns', 'one', id],
    queryFn: ({ signal }) => api<{ data: Campaign }>(base(id), { signal }).then((r) => r.data),
    staleTime: 0,
  });

/** Progress of one level of the drill-down (none = the campaign's scope, or the caller's part of it). */
export const campaignProgressQuery = (id: string, org: string | null) =>
  queryOptions({
    queryKey: ['campaigns', 'progress', id, org],
    queryFn: ({ signal }) => api<{ data: CampaignProgress }>(`${base(id)}/progress${qs({ org })}`, { signal }).then((r) => r.data),
    staleTime: 0,
  });

export interface PendingFilter { org: string | null; person: string | null }

/** One of the two: a member's list is asked by person alone (the server refuses both at once). */
const pendingFilter = (f: PendingFilter) => ({ org: f.person ? undefined : f.org, person: f.person });

export const campaignPendingQuery = (id: string, f: PendingFilter) =>
  infiniteQueryOptions({
    queryKey: ['campaigns', 'pending', id, f.org, f.person],
    queryFn: ({ pageParam, signal }) =>
      api<CampaignPending>(`${base(id)}/pending${qs({ ...pendingFilter(f), cursor: pageParam, limit: '200' })}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 0,
  });

/** The pending list as an Excel file (the server names it and audits the download). */
export const pendingExportHref = (id: string, f: PendingFilter) => `${base(id)}/pending/export${qs(pendingFilter(f))}`;

export async function createCampaign(body: CampaignCreate): Promise<Campaign> {
  const r = await api<{ data: Campaign }>('/api/v1/campaigns', { method: 'POST', body });
  await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
  return r.data;
}

export async function closeCampaign(id: string): Promise<Campaign> {
  const r = await api<{ data: Campaign }>(`${base(id)}/close`, { method: 'POST' });
  await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
  return r.data;
}
