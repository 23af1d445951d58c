import { infiniteQueryOptions } from '@tanstack/react-query';
import type { Handbook } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';

/** The period the page shows and prints: a calendar month (YYYY-MM) or a year (YYYY). */
export type HandbookPeriod = { kind: 'month'; value: string } | { kind: 'year'; value: string };

/** Today in Asia/Shanghai (the server's days), as YYYY-MM-DD. */
export function shanghaiToday(now = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

export function periodRange(p: HandbookPeriod): { from: string; to: string } {
  if (p.kind === 'year') return { from: `${p.value}-01-01`, to: `${p.value}-12-31` };
  const [y, m] = p.value.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${p.value}-01`, to: `${p.value}-${String(last).padStart(2, '0')}` };
}

export function periodLabel(p: HandbookPeriod): string {
  return p.kind === 'year' ? `${p.value}年` : `${Number(p.value.slice(0, 4))}年${Number(p.value.slice(5, 7))}月`;
}

/** `person`: a person id, or 'me' for the caller's own handbook. */
export const handbookQuery = (person: string, p: HandbookPeriod) =>
  infiniteQueryOptions({
    queryKey: ['handbook', person, p.kind, p.value],
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams({ ...periodRange(p), limit: '50' });
      if (pageParam) qs.set('cursor', pageParam);
      return api<{ data: Handbook }>(`/api/v1/people/${encodeURIComponent(person)}/handbook?${qs}`, { signal }).then((r) => r.data);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** The PDF of the same month or year (a download; the server audits every print). */
export const handbookPdfUrl = (person: string, p: HandbookPeriod) =>
  `/api/v1/people/${encodeURIComponent(person)}/handbook.pdf?${p.kind}=${p.value}`;
