import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { AuditCatalogue, AuditExportBody, AuditList } from '@lianxin/contracts';
import { api, postForFile, saveFile } from '../../api/api-client.ts';

/** The filters of 审计查询, as kept in the URL (every one optional; the server validates). */
export type AuditFilters = Partial<Record<'actor' | 'group' | 'action' | 'entityType' | 'entityId' | 'household' | 'from' | 'to' | 'ip', string>>;
export const auditFilterKeys = ['actor', 'group', 'action', 'entityType', 'entityId', 'household', 'from', 'to', 'ip'] as const;

export const auditCatalogueQuery = queryOptions({
  queryKey: ['audit', 'catalogue'],
  queryFn: ({ signal }) => api<{ data: AuditCatalogue }>('/api/v1/audit/catalogue', { signal }).then((r) => r.data),
  staleTime: 60 * 60_000,
});

export const auditListQuery = (f: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: ['audit', 'events', ...auditFilterKeys.map((k) => f[k] ?? '')],
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams({ limit: '50' });
      for (const k of auditFilterKeys) if (f[k]) qs.set(k, f[k]!);
      if (pageParam) qs.set('cursor', pageParam);
      return api<AuditList>(`/api/v1/audit?${qs}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** Who looked at, exported or changed a household and its residents (GET /api/v1/audit/households/:id). */
export const accessHistoryQuery = (householdId: string) =>
  infiniteQueryOptions({
    queryKey: ['audit', 'household', householdId],
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams({ limit: '20' });
      if (pageParam) qs.set('cursor', pageParam);
      return api<AuditList>(`/api/v1/audit/households/${encodeURIComponent(householdId)}?${qs}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** The filtered result as xlsx (POST with the CSRF header; the server audits the export itself). */
export async function exportAudit(f: AuditFilters): Promise<void> {
  const body: AuditExportBody = {};
  for (const k of auditFilterKeys) if (f[k]) (body as Record<string, string>)[k] = f[k]!;
  const { blob, filename } = await postForFile('/api/v1/audit/export', body);
  saveFile(blob, filename ?? '审计记录.xlsx');
}

/** Calendar dates in Asia/Shanghai (the server reads from/to there): today, this week (from Monday), this month. */
export function datePresets(now = new Date()): { key: string; label: string; from: string; to: string }[] {
  const today = now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(y, m - 1, d - weekday)).toISOString().slice(0, 10);
  return [
    { key: 'today', label: '今天', from: today, to: today },
    { key: 'week', label: '本周', from: monday, to: today },
    { key: 'month', label: '本月', from: `${today.slice(0, 8)}01`, to: today },
  ];
}

/** Shanghai wall time of an event, to the second. */
export function eventTime(at: string): string {
  return new Date(at).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false });
}
