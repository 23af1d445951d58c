import { useQuery } from '@tanstack/react-query';
import { Skeleton } from 'antd';
import { CardFrame, CardLink } from '../home/home-card.tsx';
import { shanghaiTime } from '../coverage/coverage-labels.ts';
import { ageInDays, backupOverviewQuery, scheduledJobsQuery, STALE_BACKUP_DAYS } from './system-queries.ts';

const RED = '#c8161d';

/**
 * The admin home's card: how old the newest backup is (red after two days, or when there is none) and which scheduled
 * jobs failed last time. Details and 立即备份 on /system.
 */
export function SystemStatusCard() {
  const backups = useQuery(backupOverviewQuery);
  const jobs = useQuery(scheduledJobsQuery);
  if (backups.isPending || jobs.isPending) return <CardFrame title="系统维护"><Skeleton active paragraph={{ rows: 2 }} /></CardFrame>;
  if (backups.isError || jobs.isError) return <CardFrame title="系统维护"><p>系统状态暂时无法读取，请稍后刷新。</p></CardFrame>;

  const newest = backups.data.backups[0];
  const age = newest ? ageInDays(newest.createdAt) : null;
  const stale = age === null || age >= STALE_BACKUP_DAYS;
  const failed = jobs.data.jobs.filter((j) => j.lastRun?.status === 'failed');
  return (
    <CardFrame title="系统维护">
      <div data-testid="system-status-card">
        <p style={{ margin: '0 0 8px', color: stale ? RED : undefined }} data-testid="last-backup" data-stale={stale}>
          {!backups.data.dir ? '未配置备份目录（LIANXIN_BACKUP_DIR）'
            : newest ? `最近备份：${shanghaiTime(newest.createdAt)}（${age === 0 ? '今天' : `${age} 天前`}）` : '还没有任何备份'}
        </p>
        <p style={{ margin: 0, color: failed.length ? RED : undefined }} data-testid="failed-jobs">
          {failed.length ? `失败的定时任务：${failed.map((j) => j.label.split('（')[0]).join('、')}` : '定时任务运行正常'}
        </p>
      </div>
      <CardLink to="/system">备份和定时任务</CardLink>
    </CardFrame>
  );
}
