import type { BackupOverview, BackupRun, JobName, ScheduledJob, ScheduledJobList } from '@lianxin/contracts';
import cronParser from 'cron-parser';
import type { FastifyRequest } from 'fastify';
import path from 'node:path';
import PgBoss from 'pg-boss';
import type { Config } from '../../config.ts';
import type { Database, Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { purgeStaleThrottles } from '../auth/auth.service.ts';
import { listBackups, pruneBackups, takeBackup } from '../backups/backups.service.ts';
import { sendDeadlineReminders } from '../campaigns/campaigns.service.ts';
import { purgeFinishedJobs } from '../imports/imports.service.ts';
import { deliverOutbox } from '../notifications/notifications.service.ts';
import { recomputeAll, runDigest, runReminders } from '../rules/rules.service.ts';
import { drainVisitChanges } from '../visits/visits.service.ts';
import * as repo from './jobs.repo.ts';

/**
 * Scheduled jobs on pg-boss (its queue lives in the database, schema `pgboss`): every server copy starts a runner, and
 * pg-boss makes each job run once — cron slots are claimed in the database (one send per minute across copies) and the
 * queues are `stately` (at most one queued and one running job per queue), so several copies never back up at once.
 * A failed run is retried; each run's outcome is kept in `job_runs` for the 系统维护 page.
 */
const TZ = 'Asia/Shanghai';
const JOBS: Record<JobName, { queue: string; cron: string; label: string; schedule: string; queueOptions: Omit<PgBoss.Queue, 'name'> }> = {
  backup: {
    queue: 'lianxin-backup',
    cron: '30 2 * * *',
    label: '夜间备份（整库备份，保留最近若干份）',
    schedule: '每天 02:30（北京时间）',
    queueOptions: { policy: 'stately', retryLimit: 2, retryDelay: 600, expireInSeconds: 4 * 3600 },
  },
  housekeeping: {
    queue: 'lianxin-housekeeping',
    cron: '0 */6 * * *',
    label: '例行清理（过期的导入记录及其错误行、失效的登录失败计数）',
    schedule: '每 6 小时（0、6、12、18 点）',
    queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 300, expireInSeconds: 3600 },
  },
  visit_changes: {
    queue: 'lianxin-visit-changes',
    cron: '* * * * *',
    label: '走访计入进度（把新记录、修改的走访计入集中走访进度和规则完成率；各服务每秒也会计入，查看进度前也会先计入）',
    schedule: '每分钟（另：每秒）',
    // The one-second ticks of every server copy keep the lag short; this run is the kept, visible, retried one.
    queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 30, expireInSeconds: 600 },
  },
  visit_completion: {
    queue: 'lianxin-visit-completion',
    cron: '5 * * * *',
    label: '走访规则完成率重算（联户变动、规则调整后的应走访数）',
    schedule: '每小时第 5 分钟',
    queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 120, expireInSeconds: 3600 },
  },
  visit_reminders: {
    queue: 'lianxin-visit-reminders',
    cron: '0 8 * * *',
    label: '走访提醒（提醒党员今天待走访、已逾期的对象）',
    schedule: '每天 08:00（北京时间）',
    queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 300, expireInSeconds: 3600 },
  },
  visit_digest: {
    queue: 'lianxin-visit-digest',
    cron: '0 8 * * 1',
    label: '走访周报（告诉党支部书记本支部哪些党员有逾期未走访）',
    schedule: '每周一 08:00（北京时间）',
    queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 300, expireInSeconds: 3600 },
  },
  campaign_reminders: {
    queue: 'lianxin-campaign-reminders',
    cron: '0 8 * * *',
    label: '集中走访截止提醒（截止前 3 天提醒仍有对象未走访的党员）',
    schedule: '每天 08:00（北京时间）',
    queueOptions: { policy: 'stately', retryLimit: 3, retryDelay: 300, expireInSeconds: 3600 },
  },
  outbox: {
    queue: 'lianxin-outbox',
    cron: '* * * * *',
    label: '发送外发消息（短信、企业微信；未配置发送渠道时记为未发送）',
    schedule: '每分钟',
    // Each message's own retries live in the outbox (attempts, backoff); a run that throws is retried soon by pg-boss.
    queueOptions: { policy: 'stately', retryLimit: 2, retryDelay: 30, expireInSeconds: 600 },
  },
};

/** What each job does when its turn comes. */
const RUNNERS: Record<JobName, (database: Database, config: Config, jobId: string, log: (m: string) => void) => Promise<unknown>> = {
  backup: (database, config, jobId, log) => runBackup(database, config, jobId, log),
  housekeeping: (database, config, _jobId, log) => runHousekeeping(database, config, log),
  visit_changes: async (database) => ({ changes: await drainVisitChanges(database.db) }),
  visit_completion: (database) => recomputeAll(database.db),
  visit_reminders: (database) => runReminders(database.db),
  visit_digest: (database) => runDigest(database.db),
  campaign_reminders: (database) => sendDeadlineReminders(database.db),
  outbox: (database) => deliverOutbox(database.db),
};

export interface JobsRunner {
  stop(): Promise<void>;
}

interface Running { boss: PgBoss; config: Config; database: Database }
/** The runner this process started (main.ts; a test starts its own): what 立即备份 sends through. */
let running: Running | null = null;

function backupDisabledReason(config: Config): string | null {
  return config.backupDir ? null : '使用 DATABASE_URL 时未设置 LIANXIN_BACKUP_DIR：请用数据库服务自带的备份，或设置备份目录';
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 2000);
}

/** Runs one job, keeping its start, outcome and failure in job_runs; a thrown error makes pg-boss retry it. */
async function recorded(db: Db, name: JobName, jobId: string, work: () => Promise<unknown>): Promise<unknown> {
  await repo.runStarted(db, name, jobId);
  try {
    const detail = await work();
    await repo.runCompleted(db, name, jobId, detail ?? null);
    return detail;
  } catch (e) {
    await repo.runFailed(db, name, jobId, errorText(e)).catch(() => {});
    throw e;
  }
}

async function runBackup(database: Database, config: Config, jobId: string, log: (m: string) => void) {
  const dir = config.backupDir;
  if (!dir) throw new Error(backupDisabledReason(config)!);
  const { file, manifest } = await takeBackup(database.pool, dir, {
    onProgress: (p) => repo.runProgress(database.db, 'backup', jobId, p),
  });
  const removed = await pruneBackups(dir, config.backupKeep);
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  const [entry] = (await listBackups(dir)).filter((b) => b.file === file);
  await appendAudit(database.db, null, {
    action: 'system.backup_written', entityType: 'backup', entityId: path.basename(file),
    after: { tables: manifest.tables.length, rows, size: entry?.size ?? null, removed }, actor: null,
  });
  log(`backup written: ${file} (${rows} rows${removed.length ? `; removed ${removed.join(', ')}` : ''})`);
  return { file: path.basename(file), tables: manifest.tables.length, tablesDone: manifest.tables.length, rows, removed };
}

async function runHousekeeping(database: Database, config: Config, log: (m: string) => void) {
  // The retention is the 导入保留期 setting when set; config (LIANXIN_IMPORT_RETENTION_DAYS) is its default.
  const { deleted, days } = await purgeFinishedJobs(database.db, config.importRetentionDays);
  if (deleted) log(`deleted ${deleted} import job(s) finished more than ${days} days ago, with their error rows`);
  await purgeStaleThrottles(database.db);
  return { importJobsDeleted: deleted, retentionDays: days };
}

/** Starts pg-boss on the app's pool, its queues, schedules and workers; housekeeping and rule completion also run once now (as at boot). */
export async function startJobs(database: Database, config: Config, log: (m: string) => void): Promise<JobsRunner> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => database.pool.query(text, values) },
    // Finished jobs are kept a week in pg-boss; the outcome that matters stays in job_runs.
    deleteAfterDays: 7,
  });
  boss.on('error', (e) => log(`jobs: ${errorText(e)}`));
  await boss.start();
  for (const [name, job] of Object.entries(JOBS) as [JobName, (typeof JOBS)[JobName]][]) {
    if (!(await boss.getQueue(job.queue))) {
      // Another copy may create it at the same moment: the loser's error is harmless if the queue now exists.
      await boss.createQueue(job.queue, { name: job.queue, ...job.queueOptions }).catch(async (e: unknown) => {
        if (!(await boss.getQueue(job.queue))) throw e;
      });
    } else {
      await boss.updateQueue(job.queue, { name: job.queue, ...job.queueOptions });
    }
    if (name === 'backup' && backupDisabledReason(config)) await boss.unschedule(job.queue);
    else await boss.schedule(job.queue, job.cron, {}, { tz: TZ });
    await boss.work(job.queue, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([j]) => recorded(database.db, name, j!.id, () =>
      RUNNERS[name](database, config, j!.id, log)));
  }
  await boss.send(JOBS.housekeeping.queue, {});
  // Whatever a stopped copy left queued is taken in now, not at the next minute.
  await boss.send(JOBS.visit_changes.queue, {});
  // Rule completion too, so a fresh or restored database shows figures within seconds rather than at the next hour.
  await boss.send(JOBS.visit_completion.queue, {});
  const self: Running = { boss, config, database };
  running = self;
  return {
    async stop() {
      if (running === self) running = null;
      await boss.stop({ graceful: true, timeout: 10_000, close: false });
    },
  };
}

function nextRun(cron: string, now: Date): string {
  return cronParser.parseExpression(cron, { tz: TZ, currentDate: now }).next().toDate().toISOString();
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function scheduledJobs(db: Db, config: Config, now = new Date()): Promise<ScheduledJobList> {
  const runs = new Map((await repo.allRuns(db)).map((r) => [r.name, r]));
  const jobs: ScheduledJob[] = (Object.entries(JOBS) as [JobName, (typeof JOBS)[JobName]][]).map(([name, job]) => {
    const disabledReason = name === 'backup' ? backupDisabledReason(config) : null;
    const run = runs.get(name);
    return {
      name, label: job.label, schedule: job.schedule, enabled: !disabledReason, disabledReason,
      nextRunAt: disabledReason ? null : nextRun(job.cron, now),
      lastRun: run ? {
        jobId: run.lastJobId, status: run.lastStatus as 'running' | 'completed' | 'failed',
        startedAt: run.lastStartedAt.toISOString(), finishedAt: iso(run.lastFinishedAt),
      } : null,
      lastFailure: run?.lastFailedAt ? { at: run.lastFailedAt.toISOString(), error: run.lastError ?? '' } : null,
    };
  });
  return { runnerStarted: running !== null, jobs };
}

interface BackupDetail { tablesDone?: number; tables?: number; file?: string }

/** A backup run's state: pg-boss's view of the job (queued, retrying, done) joined with the progress we record. */
async function backupRunOf(db: Db, jobId: string): Promise<BackupRun | null> {
  const run = await repo.runOf(db, 'backup');
  const job = running ? await running.boss.getJobById(JOBS.backup.queue, jobId, { includeArchive: true }).catch(() => null) : null;
  const ours = run?.lastJobId === jobId ? run : null;
  if (!job && !ours) return null;
  const detail = (ours?.detail ?? {}) as BackupDetail;
  let state: BackupRun['state'];
  if (job) {
    state = job.state === 'active' ? 'running' : job.state === 'completed' ? 'completed'
      : job.state === 'failed' || job.state === 'cancelled' ? 'failed' : 'queued';
  } else {
    state = ours!.lastStatus === 'running' ? 'running' : ours!.lastStatus === 'completed' ? 'completed' : 'failed';
  }
  return {
    jobId, state, tablesDone: detail.tablesDone ?? null, tables: detail.tables ?? null,
    file: state === 'completed' ? detail.file ?? null : null,
    error: ours?.lastStatus === 'failed' || state === 'failed' || (job?.state === 'retry') ? ours?.lastError ?? null : null,
  };
}

export async function backupOverview(db: Db, config: Config): Promise<BackupOverview> {
  const run = await repo.runOf(db, 'backup');
  const backups = config.backupDir ? await listBackups(config.backupDir) : [];
  // The newest backup job pg-boss holds (queued ones have no job_runs row yet), else the last one that ran.
  let latestId = run?.lastJobId ?? null;
  if (running) {
    const { rows } = await running.database.pool.query<{ id: string }>(
      'SELECT id FROM pgboss.job WHERE name = $1 ORDER BY created_on DESC LIMIT 1', [JOBS.backup.queue]);
    latestId = rows[0]?.id ?? latestId;
  }
  return {
    dir: config.backupDir,
    keep: config.backupKeep,
    backups: backups.map(({ name, size, createdAt, migration, tables, rows }) => ({ name, size, createdAt, migration, tables, rows })),
    latestRun: latestId ? await backupRunOf(db, latestId) : null,
    lastFailure: run?.lastFailedAt ? { at: run.lastFailedAt.toISOString(), error: run.lastError ?? '' } : null,
  };
}

export async function backupRun(db: Db, jobId: string): Promise<BackupRun> {
  const run = await backupRunOf(db, jobId);
  if (!run) throw errors.notFound();
  return run;
}

/** 立即备份: a backup job now (the same queue as the nightly one, so never two at once); audited. */
export async function requestBackup(db: Db, config: Config, req: FastifyRequest): Promise<BackupRun> {
  const reason = backupDisabledReason(config);
  if (reason) throw errors.conflict(reason);
  if (!running) throw errors.conflict('本服务器没有运行后台任务，无法立即备份');
  const queue = JOBS.backup.queue;
  let jobId = await running.boss.send(queue, {});
  if (!jobId) {
    // One is already waiting (stately queue): that one is this request's backup too.
    const { rows } = await running.database.pool.query<{ id: string }>(
      "SELECT id FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry') ORDER BY created_on DESC LIMIT 1", [queue]);
    jobId = rows[0]?.id ?? null;
  }
  if (!jobId) throw errors.conflict('备份任务未能排队，请稍后再试');
  await appendAudit(db, req, { action: 'system.backup_requested', entityType: 'backup_job', entityId: jobId });
  return (await backupRunOf(db, jobId)) ?? { jobId, state: 'queued', tablesDone: null, tables: null, file: null, error: null };
}
