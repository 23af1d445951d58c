import type { VisitChannel, itemUrgencies } from '@lianxin/contracts';

// Values come from contracts/src/visits.ts; typed against it but copied here so zod stays out of the bundle.
export type ItemUrgency = (typeof itemUrgencies)[number];

export const channelLabels: Record<VisitChannel, string> = {
  in_person: '入户', evening: '夜访', phone: '电话', wechat: '微信', video: '视频',
};
export const channelOptions = (Object.keys(channelLabels) as VisitChannel[]).map((value) => ({ value, label: channelLabels[value] }));
/** Channels that reach a person without being there (contracts remoteChannels): residents away count as reached. */
export const remoteChannels: readonly VisitChannel[] = ['phone', 'wechat', 'video'];

export const urgencyLabels: Record<ItemUrgency, string> = { normal: '一般', urgent: '紧急' };
export const raisedItemStatusLabels = { open: '待办理', converted: '已转办', closed: '已办结' } as const;

/** contracts VISIT_PHOTOS_MAX / VISIT_PHOTO_BYTES_MAX / VISIT_CORRECTION_HOURS. */
export const VISIT_PHOTOS_MAX = 4;
export const VISIT_PHOTO_BYTES_MAX = 8 * 1024 * 1024;
export const VISIT_CORRECTION_HOURS = 48;
/** contracts raisedItemInput / visitInput limits, checked before sending so the member is told on the spot. */
export const ITEM_DESCRIPTION_MAX = 200;
export const ITEMS_MAX = 10;
export const NOTES_MAX = 2000;

/** "11月30日 20:15" in Shanghai time — how a member reads a visit's moment. */
export function visitTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('month')}月${p('day')}日 ${p('hour')}:${p('minute')}`;
}

/** Whole days since `iso` (0 = today), for "3 天前". */
export function daysAgo(iso: string, now = Date.now()): number {
  const day = (t: number) => Math.floor((t + 8 * 3600_000) / 86_400_000); // Shanghai has no DST: UTC+8 all year.
  return day(now) - day(new Date(iso).getTime());
}

export function agoText(iso: string): string {
  const d = daysAgo(iso);
  return d <= 0 ? '今天' : d === 1 ? '昨天' : `${d} 天前`;
}

/** Tags read at 14 px like the rest of the text (antd's default tag is smaller). */
export const TAG = { fontSize: 14 } as const;
