import { infiniteQueryOptions } from '@tanstack/react-query';
import type { Handbook } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';

/** The period the page shows and prints: a calendar month (YYYY-MM) or a year (YYYY). */
export type HandbookPeriod = { kind: 'month'; value: string } | { kind: 'year'; value: string };

/** Today in Asia/Shanghai (the server's days), as YYYY-MM-DD. */
export function shanghaiToday(now = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

/** The period's days, up to today at most (the API takes dates up to a month ahead; nothing is recorded later anyway). */
export function periodRange(p: HandbookPeriod, today = shanghaiToday()): { from: string; to: string } {
  const [y, m] = (p.kind === 'year' ? [Number(p.value), 12] : p.value.split('-').map(Number)) as [number, number];
  const from = p.kind === 'year' ? `${p.value}-01-01` : `${p.value}-01`;
  const end = `${y}-${String(m).padStart(2, '0')}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  return { from, to: end < today ? end : today };
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
