import { queryOptions } from '@tanstack/react-query';
import type { SearchResult } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';

/** The header's 搜索: orgs, households, businesses and members in one request, grouped by kind. */
export const searchQuery = (q: string) =>
  queryOptions({
    queryKey: ['search', q],
    queryFn: ({ signal }) =>
      api<{ data: SearchResult }>(`/api/v1/search?${new URLSearchParams({ q, limit: '5' })}`, { signal }).then((r) => r.data),
    enabled: q.length > 0,
    staleTime: 30_000,
  });
