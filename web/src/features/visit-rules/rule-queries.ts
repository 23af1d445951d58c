import { queryOptions } from '@tanstack/react-query';
import type { CompletionView, VisitRule, VisitRulePut, VisitRulesView } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

const qs = (params: Record<string, string | null | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) s.set(k, v);
  const t = s.toString();
  return t ? `?${t}` : '';
};

/** The rules in force for an org (none = the top of the caller's scope), each with where it comes from. */
export const visitRulesQuery = (org: string | null) =>
  queryOptions({
    queryKey: ['visit-rules', org],
    queryFn: ({ signal }) => api<{ data: VisitRulesView }>(`/api/v1/visit-rules${qs({ org })}`, { signal }).then((r) => r.data),
    staleTime: 0,
  });

/** A rule change moves what is due and every completion figure: all of them are stale afterwards. */
async function afterRuleChange() {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ['visit-rules'] }),
    queryClient.invalidateQueries({ queryKey: ['visit-completion'] }),
  ]);
}

export async function putVisitRule(body: VisitRulePut): Promise<VisitRule> {
  const r = await api<{ data: VisitRule }>('/api/v1/visit-rules', { method: 'PUT', body });
  await afterRuleChange();
  return r.data;
}

/** Removes the org's own rule (by its id): the org inherits again. */
export async function deleteVisitRule(id: string): Promise<VisitRule | null> {
  const r = await api<{ data: { effective: VisitRule | null } }>(`/api/v1/visit-rules/${encodeURIComponent(id)}`, { method: 'DELETE' });
  await afterRuleChange();
  return r.data.effective;
}

/** Rule completion of an org's children for a month (none = the caller's scope, this month). */
export const completionQuery = (org: string | null, month: string | null) =>
  queryOptions({
    queryKey: ['visit-completion', org, month],
    queryFn: ({ signal }) => api<{ data: CompletionView }>(`/api/v1/visit-completion${qs({ org, month })}`, { signal }).then((r) => r.data),
    staleTime: 30_000,
  });
