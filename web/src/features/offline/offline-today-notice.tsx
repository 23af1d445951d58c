import { Alert } from 'antd';
import { offlineLabel, useTodayOffline } from './today-cache.ts';

/**
 * 今天 from the phone's copy: how old it is ("离线数据，更新于 HH:mm"). For the 今天 page and card. Its own module, not
 * offline-card.tsx: the queue card's code is not on the way to a member's first paint.
 */
export function OfflineTodayNotice({ person }: { person?: string }) {
  const since = useTodayOffline(person);
  if (!since) return null;
  return <Alert type="warning" showIcon role="status" style={{ marginBottom: 8 }} title={offlineLabel(since)} description="没有网络，显示的是上次联网时的数据。" />;
}
