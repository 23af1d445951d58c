import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Coverage, Link, MyLinkCounts } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

// Shapes of contracts/src/links.ts that are not exported as types (zod stays out of the bundle).
export type ConstituentKind = 'household' | 'enterprise' | 'shop' | 'team';
export type LoadStatus = 'under' | 'within' | 'over';
export type LinkEndReason = 'moved' | 'transferred' | 'died' | 'reassigned' | 'constituent_left' | 'other';
/** Reasons only the server sets (contracts' linkSystemEndReasons). */
export type LinkSystemEndReason = 'assignment_undone';

export interface UnlinkedItem {
  householdId: string | null;
  businessId: string | null;
  kind: ConstituentKind;
  name: string;
  address: string;
  orgCode: string;
  orgName: string;
  gridCode: string | null;
}

export interface MemberWithLoad {
  id: string;
  name: string;
  kind: 'member' | 'helper';
  orgCode: string;
  orgName: string;
  load: number;
  loadStatus: LoadStatus;
}

export interface Suggestion {
  personId: string;
  personName: string;
  householdId: string | null;
  businessId: string | null;
  constituentName: string;
  orgCode: string;
  gridCode: string | null;
  reason: 'same_grid' | 'same_village';
}

export interface Suggestions {
  suggestions: Suggestion[];
  unassigned: number;
  target: { min: number; max: number };
}

export const coverageQuery = (org: string) =>
  queryOptions({
    queryKey: ['coverage', org],
    queryFn: ({ signal }) => api<{ data: Coverage }>(`/api/v1/coverage?${new URLSearchParams({ org })}`, { signal }).then((r) => r.data),
    staleTime: 0,
  });

export const unlinkedQuery = (org: string, kind: ConstituentKind) =>
  infiniteQueryOptions({
    queryKey: ['coverage-unlinked', org, kind],
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams({ org, kind, limit: '50' });
      if (pageParam) qs.set('cursor', pageParam);
      return api<{ data: UnlinkedItem[]; nextCursor: string | null }>(`/api/v1/coverage/unlinked?${qs}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 0,
  });

/** The members of an org with their current load (a village has a handful; the first 200 are plenty for a picker). */
export const membersQuery = (org: string) =>
  queryOptions({
    queryKey: ['coverage-members', org],
    queryFn: ({ signal }) =>
      api<{ data: MemberWithLoad[]; nextCursor: string | null }>(`/api/v1/coverage/members?${new URLSearchParams({ org, limit: '200' })}`, { signal }).then((r) => r.data),
    staleTime: 0,
  });

/** 我联系的: the caller's own active links by kind (a member's home). */
export const myLinkCountsQuery = queryOptions({
  queryKey: ['links', 'mine'],
  queryFn: ({ signal }) => api<{ data: MyLinkCounts }>('/api/v1/links/mine', { signal }).then((r) => r.data),
  staleTime: 0,
});

export type ConstituentRef = { householdId: string } | { businessId: string };

/** Every link (history included) of one household or business. */
export const constituentLinksQuery = (c: ConstituentRef) => {
  const [kind, id] = 'householdId' in c ? ['household', c.householdId] as const : ['business', c.businessId] as const;
  return queryOptions({
    queryKey: ['links', kind, id],
    queryFn: ({ signal }) => api<{ data: Link[] }>(`/api/v1/links?${new URLSearchParams({ [kind]: id, history: 'true' })}`, { signal }).then((r) => r.data),
  });
};

/** After any link change: coverage numbers, unlinked lists, member loads and link histories are stale. */
export function invalidateLinks(): Promise<void> {
  return Promise.all(
    ['coverage', 'coverage-unlinked', 'coverage-members', 'links'].map((k) => queryClient.invalidateQueries({ queryKey: [k] })),
  ).then(() => undefined);
}

export async function createLink(body: {
  personId: string;
  householdId?: string;
  businessId?: string;
  replaceReason?: LinkEndReason;
}): Promise<Link> {
  const { data } = await api<{ data: Link }>('/api/v1/links', { method: 'POST', body });
  await invalidateLinks();
  return data;
}

/** 撤销 of a one-click assignment (within minutes): the server ends the link with assignment_undone, never deletes it. */
export async function undoLink(id: string): Promise<Link> {
  const { data } = await api<{ data: Link }>(`/api/v1/links/${encodeURIComponent(id)}/undo`, { method: 'POST' });
  await invalidateLinks();
  return data;
}

export const fetchSuggestions = (org: string) =>
  api<{ data: Suggestions }>('/api/v1/coverage/suggestions', { method: 'POST', body: { org } }).then((r) => r.data);

export async function createLinksBatch(links: { personId: string; householdId?: string; businessId?: string }[]): Promise<number> {
  const { data } = await api<{ data: { created: number } }>('/api/v1/links/batch', { method: 'POST', body: { links } });
  await invalidateLinks();
  return data.created;
}
