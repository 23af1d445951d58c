import type { ConstituentKind, LinkEndReason, LinkSystemEndReason, LoadStatus, Suggestion } from './coverage-queries.ts';

export const kindLabels: Record<ConstituentKind, string> = { household: '住户', enterprise: '企业', shop: '商户', team: '班组' };
export const kinds: readonly ConstituentKind[] = ['household', 'enterprise', 'shop', 'team'];
/** Keys of a CoverageRow per kind. */
export const kindKeys = { household: 'households', enterprise: 'enterprises', shop: 'shops', team: 'teams' } as const;

export const loadStatusLabels: Record<LoadStatus, string> = { under: '低于目标', within: '达到目标', over: '超过目标' };
export const loadStatusColors: Record<LoadStatus, string> = { under: 'blue', within: 'green', over: 'red' };

export const endReasonLabels: Record<LinkEndReason, string> = {
  moved: '迁居',
  transferred: '调动',
  died: '去世',
  reassigned: '重新分配',
  constituent_left: '住户迁出',
  other: '其他',
};
export const endReasonOptions = (Object.keys(endReasonLabels) as LinkEndReason[]).map((value) => ({ value, label: endReasonLabels[value] }));
/** Labels for a link's history, where the server's own reasons appear too (never offered in a form). */
export const historyEndReasonLabels: Record<LinkEndReason | LinkSystemEndReason, string> = { ...endReasonLabels, assignment_undone: '分配已撤销' };

export const suggestionReasonLabels: Record<Suggestion['reason'], string> = { same_grid: '同网格', same_village: '同村' };

/** 0.8734 → "87.3%"; whole numbers without the decimal. */
export function percent(rate: number): string {
  const p = Math.round(rate * 1000) / 10;
  return `${p}%`;
}

/** An ISO timestamp as Beijing time: 2026-11-24 21:44. */
export function shanghaiTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16);
}
