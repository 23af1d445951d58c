import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Org, OrgList } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';

export const orgQuery = (code: string) =>
  queryOptions({
    queryKey: ['org', code],
    queryFn: ({ signal }) => api<{ data: Org }>(`/api/v1/orgs/${encodeURIComponent(code)}`, { signal }).then((r) => r.data),
  });

export function fetchChildren(parent: string, cursor?: string | null, limit = 200, signal?: AbortSignal): Promise<OrgList> {
  const qs = new URLSearchParams({ parent, limit: String(limit) });
  if (cursor) qs.set('cursor', cursor);
  return api<OrgList>(`/api/v1/orgs?${qs}`, { signal });
}

/** Every child of an org (follows the cursor); a town has at most a few dozen villages. */
export async function fetchAllChildren(parent: string): Promise<Org[]> {
  const all: Org[] = [];
  let cursor: string | null = null;
  do {
    const page: OrgList = await fetchChildren(parent, cursor);
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export const childrenQuery = (parent: string) =>
  infiniteQueryOptions({
    queryKey: ['org-children', parent],
    queryFn: ({ pageParam, signal }) => fetchChildren(parent, pageParam, 50, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
