import type { CompletionFigures, RuleKind, RulePeriod, VisitChannel, VisitRule } from '@lianxin/contracts';

// The contracts' label records are runtime values (and the module pulls zod): the web keeps its own copies.
export const ruleKindLabels: Record<RuleKind, string> = { household: '住户', enterprise: '企业', shop: '个体工商户', away_resident: '在外人员' };
export const ruleKinds = Object.keys(ruleKindLabels) as RuleKind[];
export const rulePeriodLabels: Record<RulePeriod, string> = { week: '每周', month: '每月' };
export const channelLabels: Record<VisitChannel, string> = { in_person: '入户', evening: '夜访', phone: '电话', wechat: '微信', video: '视频' };
export const channels = Object.keys(channelLabels) as VisitChannel[];
/** contracts ANY_VULNERABLE_TAG: a rule for households carrying any vulnerable tag. */
export const ANY_VULNERABLE_TAG = '*';

/** "每月至少 2 次" / "不要求走访". */
export function ruleText(r: Pick<VisitRule, 'period' | 'minVisits'>): string {
  return r.minVisits === 0 ? '不要求走访' : `${rulePeriodLabels[r.period]}至少 ${r.minVisits} 次`;
}

/** Which channels count, in words: 任何方式 or 仅电话、微信、视频. */
export function channelsText(c: VisitChannel[] | null): string {
  return c === null ? '任何方式均可' : `仅${c.map((x) => channelLabels[x]).join('、')}`;
}

/** Where a rule comes from, as a secretary reads it. */
export function sourceText(r: VisitRule): string {
  return r.inherited ? `沿用${r.source.name}` : '本级设置';
}

/** 87.5 → "87.5%"; null (nothing due) → "—". */
export function pct(p: number | null): string {
  return p === null ? '—' : `${p}%`;
}

/** A change in percentage points: "+3.2 个百分点", "−1 个百分点", "持平"; null → "". */
export function changeText(change: number | null): string {
  if (change === null) return '';
  if (change === 0) return '持平';
  return `${change > 0 ? '+' : '−'}${Math.abs(change)} 个百分点`;
}

export const changeColor = (change: number | null) => (change === null || change === 0 ? undefined : change > 0 ? '#237804' : '#b0121a');

/** Green at 90 % and above, amber from 70 %, red below. */
export const rateColor = (p: number | null) => (p === null ? '#d9d9d9' : p >= 90 ? '#52c41a' : p >= 70 ? '#d48806' : '#c8161d');

export const figuresText = (f: CompletionFigures) => (f.due === 0 ? '本月无应走访' : `应走访 ${f.due} 次，已完成 ${f.met} 次`);

/** "2026-11" → "2026年11月". */
export const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

/** The current month in Asia/Shanghai (YYYY-MM), whatever the device's time zone. */
export const thisMonth = () => new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 7);

/** The last `n` months up to `current` (YYYY-MM), newest first. */
export function recentMonths(current: string, n = 12): string[] {
  const out: string[] = [];
  let y = Number(current.slice(0, 4));
  let m = Number(current.slice(5, 7));
  for (let i = 0; i < n; i++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) { m = 12; y -= 1; }
  }
  return out;
}
