import type { Campaign, CampaignKind, CampaignStatus, CampaignTargetKind } from '@lianxin/contracts';

// Copies of the contracts' label records (runtime values there; the web imports only types).
export const campaignKindLabels: Record<CampaignKind, string> = { household: '住户', enterprise: '企业', shop: '商户' };
export const campaignKinds = Object.keys(campaignKindLabels) as CampaignKind[];
export const campaignStatusLabels: Record<CampaignStatus, string> = { open: '进行中', closed: '已结束' };
export const campaignTargetKindLabels: Record<CampaignTargetKind, string> = {
  household: '住户', enterprise: '企业', shop: '商户', away_resident: '在外人员',
};

/** "2026-06-01" → "6月1日" (the year only when it is not this year's). */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-');
  const thisYear = new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4);
  return `${y === thisYear ? '' : `${y}年`}${Number(m)}月${Number(d)}日`;
}

/** Which constituents, in words: 全部住户和企业商户 / 住户（低保户） / 有在外人员的住户. */
export function filterText(f: Campaign['filter']): string {
  const kinds = f.kinds.length === campaignKinds.length ? '全部住户和企业商户' : f.kinds.map((k) => campaignKindLabels[k]).join('、');
  const parts = [kinds];
  if (f.tagName) parts.push(`标签：${f.tagName}`);
  if (f.awayOnly) parts.push('仅有在外人员的住户');
  return parts.join(' · ');
}

export const windowText = (c: Pick<Campaign, 'startsOn' | 'endsOn' | 'deadline'>) =>
  `${dayLabel(c.startsOn)} 至 ${dayLabel(c.endsOn)}${c.deadline !== c.endsOn ? `，${dayLabel(c.deadline)}前完成` : ''}`;
