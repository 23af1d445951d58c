import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Grid, GridAssign, GridCandidate, GridList } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';

export type GridCounts = Grid['counts'];

export const gridsQuery = (village: string, retired = false) =>
  queryOptions({
    queryKey: ['grids', village, retired],
    queryFn: ({ signal }) => api<GridList>(`/api/v1/grids?${new URLSearchParams({ village, retired: String(retired) })}`, { signal }),
    staleTime: 0,
  });

export const gridCandidatesQuery = (village: string) =>
  queryOptions({
    queryKey: ['grid-candidates', village],
    queryFn: ({ signal }) => api<{ data: GridCandidate[] }>(`/api/v1/grids/candidates?${new URLSearchParams({ village })}`, { signal }).then((r) => r.data),
  });

const at = (code: string, action: string) => `/api/v1/grids/${encodeURIComponent(code)}/${action}`;

export const createGrid = (villageCode: string, name: string) =>
  api<{ data: Grid }>('/api/v1/grids', { method: 'POST', body: { villageCode, name } }).then((r) => r.data);
export const renameGrid = (code: string, name: string) => api<{ data: Grid }>(at(code, 'rename'), { method: 'POST', body: { name } }).then((r) => r.data);
export const setGridLeader = (code: string, personId: string | null) =>
  api<{ data: Grid }>(at(code, 'leader'), { method: 'POST', body: { personId } }).then((r) => r.data);
export const mergeGrid = (code: string, intoCode: string) =>
  api<{ data: { moved: GridCounts } }>(at(code, 'merge'), { method: 'POST', body: { intoCode } }).then((r) => r.data.moved);
export const retireGrid = (code: string, moveTo: string | null | undefined) =>
  api<{ data: { moved: GridCounts } }>(at(code, 'retire'), { method: 'POST', body: moveTo === undefined ? {} : { moveTo } }).then((r) => r.data.moved);
export const assignGrid = (body: GridAssign) =>
  api<{ data: GridCounts }>('/api/v1/grids/assign', { method: 'POST', body }).then((r) => r.data);

/**
 * After any grid change: the grids page, the village's children (every grid picker and the 网格 filters read them)
 * and the lists that show a grid per row.
 */
export async function refreshAfterGridChange(qc: QueryClient, village: string): Promise<void> {
  await Promise.all([
    qc.invalidateQueries({ queryKey: ['grids', village] }),
    qc.invalidateQueries({ queryKey: ['org-children', village] }),
    qc.invalidateQueries({ queryKey: ['org', village] }),
    qc.invalidateQueries({ queryKey: ['households'] }),
    qc.invalidateQueries({ queryKey: ['businesses'] }),
    qc.invalidateQueries({ queryKey: ['link-map', village] }),
  ]);
}

/** 住户 3 · 企业商户 1 · 人员 2 — what a grid holds or what a change moves (zeros left out). */
export function countsText(c: GridCounts): string {
  const parts = [c.households && `住户 ${c.households} 户`, c.businesses && `企业商户 ${c.businesses} 家`, c.people && `人员 ${c.people} 名`].filter(Boolean);
  return parts.length ? parts.join('、') : '无';
}
