import { useQuery } from '@tanstack/react-query';
import type { BackupFile, ScheduledJob } from '@lianxin/contracts';
import { Alert, Button, Card, Empty, Grid, Progress, Skeleton, Table } from 'antd';
import { queryClient } from '../auth/auth-queries.ts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { shanghaiTime } from '../features/coverage/coverage-labels.ts';
import {
  backupOverviewQuery, formatBytes, jobStatusLabels, requestBackup, scheduledJobsQuery,
} from '../features/system/system-queries.ts';
import { OutboxSection } from '../features/notifications/outbox-section.tsx';

const RED = '#c8161d';

/** 系统维护 (admin): the scheduled jobs and the backups, with 立即备份. */
export function SystemPage() {
  const jobs = useQuery(scheduledJobsQuery);
  const backups = useQuery(backupOverviewQuery);
  const submit = useSubmit('备份任务未能提交，请稍后再试');
  // A table scrolled sideways on a phone is a scroll region that needs keyboard access (axe); on a phone the columns
  // wrap instead.
  const wide = Grid.useBreakpoint().md === true;

  if (jobs.isPending || backups.isPending) return <Skeleton active />;
  if (jobs.isError) return <UnavailableResult error={jobs.error} title="无法查看系统维护" text="系统维护只对系统管理员开放。" />;
  if (backups.isError) return <UnavailableResult error={backups.error} title="无法查看系统维护" text="系统维护只对系统管理员开放。" />;

  const b = backups.data;
  const run = b.latestRun;
  const busy = run?.state === 'queued' || run?.state === 'running';
  const backupJob = jobs.data.jobs.find((j) => j.name === 'backup');

  const startBackup = () => submit.run(async () => {
    await requestBackup();
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: backupOverviewQuery.queryKey }),
      queryClient.invalidateQueries({ queryKey: scheduledJobsQuery.queryKey }),
    ]);
  });

  return (
    <article aria-labelledby="system-title">
      <PageTitle id="system-title" style={{ margin: '0 0 12px' }}>系统维护</PageTitle>

      <section aria-labelledby="jobs-title" style={{ marginBottom: 24 }}>
        <SectionTitle id="jobs-title">定时任务</SectionTitle>
        {!jobs.data.runnerStarted && (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="本服务器没有运行后台任务：定时任务和立即备份由运行后台任务的服务器执行。" />
        )}
        <Table<ScheduledJob>
          rowKey="name"
          size="small"
          pagination={false}
          scroll={wide ? { x: 720 } : undefined}
          dataSource={jobs.data.jobs}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有定时任务" /> }}
          columns={[
            { title: '名称', key: 'label', render: (_, j) => <>{j.label}<br /><small>{j.schedule}</small></> },
            { title: '上次运行', key: 'last', render: (_, j) => (j.lastRun ? shanghaiTime(j.lastRun.startedAt) : '尚未运行') },
            { title: '下次运行', key: 'next', render: (_, j) => (j.nextRunAt ? shanghaiTime(j.nextRunAt) : j.disabledReason ?? '—') },
            {
              title: '状态', key: 'status',
              render: (_, j) => (!j.enabled ? '未启用' : j.lastRun
                ? <span style={{ color: j.lastRun.status === 'failed' ? RED : undefined }}>{jobStatusLabels[j.lastRun.status]}</span> : '等待首次运行'),
            },
            {
              title: '最近失败', key: 'failure',
              render: (_, j) => (j.lastFailure ? <><span>{shanghaiTime(j.lastFailure.at)}</span><br /><small>{j.lastFailure.error}</small></> : '无'),
            },
          ]}
        />
      </section>

      <section aria-labelledby="backups-title">
        <SectionTitle id="backups-title">备份</SectionTitle>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={b.dir ? `备份存放在服务器的 ${b.dir} 目录，保留最近 ${b.keep} 份；每天夜间自动备份一次。` : '未设置备份目录（LIANXIN_BACKUP_DIR）：使用外部数据库时，请用数据库服务自带的备份，或设置备份目录。'}
          description="备份中的身份证号和手机号是加密的，没有密钥（LIANXIN_KEYRING）就无法读取：请把密钥和备份分开、妥善保管，丢了密钥，备份里的这些信息也就无法恢复。请定期把备份复制到另一台机器或移动硬盘上。"
        />
        {b.lastFailure && run?.state !== 'completed' && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} message={`最近一次备份失败（${shanghaiTime(b.lastFailure.at)}）`} description={b.lastFailure.error} />
        )}
        {submit.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={submit.error} />}
        <Card size="small" style={{ marginBottom: 12 }}>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center' }}>
            <Button type="primary" onClick={() => void startBackup()} loading={submit.busy} disabled={busy || !b.dir || backupJob?.enabled === false}>
              立即备份
            </Button>
            {run && busy && (
              <div style={{ flex: '1 1 240px' }} data-testid="backup-progress">
                <span>{run.state === 'queued' ? '备份已排队，等待开始…' : `正在备份：${run.tablesDone ?? 0} / ${run.tables ?? '?'} 张表`}</span>
                <Progress
                  percent={run.tables ? Math.round(((run.tablesDone ?? 0) / run.tables) * 100) : 0}
                  size="small"
                  aria-label="备份进度"
                />
              </div>
            )}
            {run?.state === 'completed' && run.file && <span data-testid="backup-done">最近一次备份已完成：{run.file}</span>}
          </div>
        </Card>
        <Table<BackupFile>
          rowKey="name"
          size="small"
          pagination={false}
          scroll={wide ? { x: 640 } : undefined}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有备份" /> }}
          dataSource={b.backups}
          columns={[
            { title: '时间', key: 'createdAt', render: (_, x) => shanghaiTime(x.createdAt) },
            { title: '文件', dataIndex: 'name', key: 'name' },
            { title: '大小', key: 'size', render: (_, x) => formatBytes(x.size) },
            { title: '表', dataIndex: 'tables', key: 'tables' },
            { title: '行数', key: 'rows', render: (_, x) => x.rows.toLocaleString('zh-CN') },
          ]}
        />
      </section>

      <OutboxSection wide={wide} />
    </article>
  );
}
