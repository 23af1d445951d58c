import { queryOptions } from '@tanstack/react-query';
import type {
  RestructureBody, RestructurePreview, RetentionView, TagAdmin, TagCreate, TagUpdate, TargetLoadOrg, TargetLoadView,
} from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

export const targetLoadQuery = (orgCode: string | null) =>
  queryOptions({
    queryKey: ['settings', 'target-load', orgCode],
    queryFn: ({ signal }) =>
      api<{ data: TargetLoadView }>(`/api/v1/settings/target-load${orgCode ? `?orgCode=${encodeURIComponent(orgCode)}` : ''}`, { signal }).then((r) => r.data),
  });

/** Sets (or clears with null) an org's target; every view of targets and coverage is stale afterwards. */
export async function putTargetLoad(orgCode: string, value: { min: number; max: number } | null): Promise<TargetLoadOrg> {
  const r = await api<{ data: TargetLoadOrg }>('/api/v1/settings/target-load', { method: 'PUT', body: { orgCode, value } });
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ['settings', 'target-load'] }),
    queryClient.invalidateQueries({ queryKey: ['coverage'] }),
    queryClient.invalidateQueries({ queryKey: ['coverage-members'] }),
  ]);
  return r.data;
}

export const tagDictionaryQuery = queryOptions({
  queryKey: ['settings', 'tags'],
  queryFn: ({ signal }) => api<{ data: TagAdmin[]; editable: boolean }>('/api/v1/tags/dictionary', { signal }),
});

async function afterTagChange() {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ['settings', 'tags'] }),
    queryClient.invalidateQueries({ queryKey: ['tags'] }),
  ]);
}
export async function createTag(body: TagCreate): Promise<void> {
  await api('/api/v1/tags', { method: 'POST', body });
  await afterTagChange();
}
export async function updateTag(code: string, body: TagUpdate): Promise<void> {
  await api(`/api/v1/tags/${encodeURIComponent(code)}`, { method: 'PATCH', body });
  await afterTagChange();
}
export async function deleteTag(code: string): Promise<void> {
  await api(`/api/v1/tags/${encodeURIComponent(code)}`, { method: 'DELETE' });
  await afterTagChange();
}

export const retentionQuery = queryOptions({
  queryKey: ['settings', 'retention'],
  queryFn: ({ signal }) => api<{ data: RetentionView }>('/api/v1/settings/retention', { signal }).then((r) => r.data),
});
export async function putRetention(days: number | null): Promise<void> {
  const r = await api<{ data: RetentionView }>('/api/v1/settings/retention', { method: 'PUT', body: { days } });
  queryClient.setQueryData(retentionQuery.queryKey, r.data);
}

export async function restructure(code: string, step: 'preview' | 'apply', body: RestructureBody): Promise<RestructurePreview> {
  const r = await api<{ data: RestructurePreview }>(`/api/v1/orgs/${encodeURIComponent(code)}/restructure/${step}`, { method: 'POST', body });
  if (step === 'apply') await queryClient.invalidateQueries();
  return r.data;
}
