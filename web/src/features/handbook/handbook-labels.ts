import type { HandbookEntry, VisitChannel } from '@lianxin/contracts';

// Mirrors contracts/src/visits.ts (the web takes only types from contracts, so the words are repeated here).
export const channelLabels: Record<VisitChannel, string> = { in_person: '入户', evening: '夜访', phone: '电话', wechat: '微信', video: '视频' };
export const channelColors: Record<VisitChannel, string> = { in_person: 'green', evening: 'geekblue', phone: 'blue', wechat: 'cyan', video: 'purple' };
export const channelOrder: VisitChannel[] = ['in_person', 'evening', 'phone', 'wechat', 'video'];

type ItemStatus = HandbookEntry['items'][number]['status'];
export const itemStatusLabels: Record<ItemStatus, string> = { open: '未办结', converted: '已转为事项', closed: '已办结' };
export const itemStatusColors: Record<ItemStatus, string> = { open: 'orange', converted: 'blue', closed: 'default' };

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "10月5日 周一 20:30" in Asia/Shanghai. */
export function visitTime(visitedOn: string, visitedAt: string): string {
  const dow = new Date(`${visitedOn}T00:00:00Z`).getUTCDay();
  const time = new Date(visitedAt).toLocaleTimeString('sv-SE', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });
  return `${Number(visitedOn.slice(5, 7))}月${Number(visitedOn.slice(8, 10))}日 周${WEEKDAYS[dow]} ${time}`;
}
