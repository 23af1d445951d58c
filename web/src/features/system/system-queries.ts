import { queryOptions } from '@tanstack/react-query';
import type { BackupOverview, BackupRun, ScheduledJobList } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';

const isFinished = (run: BackupRun | null | undefined) => !run || run.state === 'completed' || run.state === 'failed';

export const scheduledJobsQuery = queryOptions({
  queryKey: ['system', 'jobs'],
  queryFn: ({ signal }) => api<{ data: ScheduledJobList }>('/api/v1/system/jobs', { signal }).then((r) => r.data),
});

/** The backups, refreshed every 2 s while a backup is queued or running (its progress). */
export const backupOverviewQuery = queryOptions({
  queryKey: ['system', 'backups'],
  queryFn: ({ signal }) => api<{ data: BackupOverview }>('/api/v1/system/backups', { signal }).then((r) => r.data),
  refetchInterval: (q) => (q.state.status !== 'error' && !isFinished(q.state.data?.latestRun) ? 2000 : false),
});

export function requestBackup(): Promise<BackupRun> {
  return api<{ data: BackupRun }>('/api/v1/system/backups', { method: 'POST' }).then((r) => r.data);
}

/** Whole days since `iso` (0 the same day). */
export function ageInDays(iso: string, now = Date.now()): number {
  return Math.floor((now - new Date(iso).getTime()) / 86_400_000);
}

/** A backup older than this many days is shown in red: the nightly job has missed at least one night. */
export const STALE_BACKUP_DAYS = 2;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export const jobStatusLabels: Record<'running' | 'completed' | 'failed', string> = {
  running: '运行中',
  completed: '成功',
  failed: '失败',
};
