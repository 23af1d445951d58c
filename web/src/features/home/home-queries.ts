import { queryOptions } from '@tanstack/react-query';
import type {
  HomeAccounts, HomeBreakdown, HomeDepartment, HomeImports, HomeMemberLoads, HomeMembersWithoutAccounts, HomeMyLinks,
  HomeUnlinked,
} from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';

/** One query per card (GET /api/v1/home/<card>): each loads, fails and retries on its own. */
function card<T>(name: string, org?: string) {
  return queryOptions({
    queryKey: ['home', name, org ?? null],
    queryFn: ({ signal }) => api<{ data: T }>(`/api/v1/home/${name}${org ? `?${new URLSearchParams({ org })}` : ''}`, { signal }).then((r) => r.data),
    staleTime: 30_000,
  });
}

export const homeUnlinkedQuery = (org?: string) => card<HomeUnlinked>('unlinked', org);
export const homeMemberLoadsQuery = (org?: string) => card<HomeMemberLoads>('member-loads', org);
export const homeMembersWithoutAccountsQuery = (org?: string) => card<HomeMembersWithoutAccounts>('members-without-accounts', org);
export const homeImportsQuery = (org?: string) => card<HomeImports>('imports', org);
export const homeBreakdownQuery = (org?: string) => card<HomeBreakdown>('breakdown', org);
export const homeMyLinksQuery = () => card<HomeMyLinks>('my-links');
export const homeDepartmentQuery = () => card<HomeDepartment>('department');
export const homeAccountsQuery = () => card<HomeAccounts>('accounts');
