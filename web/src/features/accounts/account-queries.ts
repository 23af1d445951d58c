import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type {
  AccountCreate, AccountList, AccountPerson, AccountStatusFilter, AccountUpdate, AccountWithPassword, GrantableRoles, ManagedAccount, Role, SlipBatch,
} from '@lianxin/contracts';
import { api, startDownload } from '../../api/api-client.ts';

export interface AccountFilters { org?: string; role?: Role; status?: AccountStatusFilter; q?: string }

export const accountListQuery = (f: AccountFilters) =>
  infiniteQueryOptions({
    queryKey: ['accounts', f],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) => {
      const p = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]);
      if (pageParam) p.set('cursor', pageParam);
      return api<AccountList>(`/api/v1/accounts?${p}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const grantableQuery = () =>
  queryOptions({
    queryKey: ['accounts', 'grantable'],
    queryFn: ({ signal }) => api<{ data: GrantableRoles }>('/api/v1/accounts/grantable', { signal }).then((r) => r.data),
    staleTime: 60_000,
  });

export const accountPeopleQuery = (q: string) =>
  queryOptions({
    queryKey: ['accounts', 'people', q],
    queryFn: ({ signal }) => api<{ data: AccountPerson[] }>(`/api/v1/accounts/people${q ? `?${new URLSearchParams({ q })}` : ''}`, { signal }).then((r) => r.data),
  });

const url = (id: string, action = '') => `/api/v1/accounts/${encodeURIComponent(id)}${action}`;

export const createAccount = (body: AccountCreate) =>
  api<{ data: AccountWithPassword }>('/api/v1/accounts', { method: 'POST', body }).then((r) => r.data);
export const updateAccount = (id: string, body: AccountUpdate) =>
  api<{ data: ManagedAccount }>(url(id), { method: 'PATCH', body }).then((r) => r.data);
export const resetPassword = (id: string) =>
  api<{ data: AccountWithPassword }>(url(id, '/reset-password'), { method: 'POST', body: {} }).then((r) => r.data);
export type AccountAction = 'disable' | 'enable' | 'unlock' | 'end-sessions';
export const accountAction = (id: string, action: AccountAction) => api<unknown>(url(id, `/${action}`), { method: 'POST', body: {} });

/**
 * Opens (or resets) accounts and downloads their 开通通知单 at once: the token is single-use and lives 60 s, so the
 * one-time passwords can be printed from this download only.
 */
export async function openAccounts(orgCode: string): Promise<SlipBatch> {
  const batch = (await api<{ data: SlipBatch }>('/api/v1/accounts/bulk-open', { method: 'POST', body: { orgCode } })).data;
  if (batch.download) downloadSlips(batch.download.token);
  return batch;
}
export async function resetAndPrint(ids: string[]): Promise<SlipBatch> {
  const batch = (await api<{ data: SlipBatch }>('/api/v1/accounts/reset-print', { method: 'POST', body: { ids } })).data;
  if (batch.download) downloadSlips(batch.download.token);
  return batch;
}
function downloadSlips(token: string) {
  startDownload(`/api/v1/accounts/slips?${new URLSearchParams({ token })}`);
}
