import { z } from 'zod';

/** 系统维护 (admin, ability system.admin): scheduled jobs and backups. */
export const jobNames = ['backup', 'housekeeping', 'visit_changes', 'visit_completion', 'visit_reminders', 'visit_digest', 'campaign_reminders', 'outbox'] as const;
export type JobName = (typeof jobNames)[number];
export const jobRunStatuses = ['running', 'completed', 'failed'] as const;
export type JobRunStatus = (typeof jobRunStatuses)[number];

export const scheduledJob = z.object({
  name: z.enum(jobNames),
  /** What the job does, in words (夜间备份…). */
  label: z.string(),
  /** When it runs, in words (每天 02:30（北京时间）). */
  schedule: z.string(),
  /** False when the job cannot run here (no backup directory with DATABASE_URL); `disabledReason` says why. */
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  lastRun: z.object({
    jobId: z.string().nullable(),
    status: z.enum(jobRunStatuses),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  }).nullable(),
  lastFailure: z.object({ at: z.string(), error: z.string() }).nullable(),
});
export type ScheduledJob = z.infer<typeof scheduledJob>;
export const scheduledJobList = z.object({
  data: z.object({
    /** False when this server copy runs no job runner (the jobs are not being executed here). */
    runnerStarted: z.boolean(),
    jobs: z.array(scheduledJob),
  }),
});
export type ScheduledJobList = z.infer<typeof scheduledJobList>['data'];

export const backupFile = z.object({
  name: z.string(),
  /** Bytes. */
  size: z.number().int(),
  createdAt: z.string(),
  /** The schema version it was taken at (migration tag). */
  migration: z.string(),
  tables: z.number().int(),
  rows: z.number().int(),
});
export type BackupFile = z.infer<typeof backupFile>;

/** A backup run (nightly or 立即备份): queued → running → completed | failed. */
export const backupRun = z.object({
  jobId: z.string(),
  state: z.enum(['queued', 'running', 'completed', 'failed']),
  tablesDone: z.number().int().nullable(),
  tables: z.number().int().nullable(),
  /** The file written, once completed. */
  file: z.string().nullable(),
  error: z.string().nullable(),
});
export type BackupRun = z.infer<typeof backupRun>;

export const backupOverview = z.object({
  data: z.object({
    /** Where backups are written; null when not configured (DATABASE_URL without LIANXIN_BACKUP_DIR). */
    dir: z.string().nullable(),
    keep: z.number().int(),
    /** Complete backups, newest first. */
    backups: z.array(backupFile),
    /** The latest backup run, whatever its outcome. */
    latestRun: backupRun.nullable(),
    lastFailure: z.object({ at: z.string(), error: z.string() }).nullable(),
  }),
});
export type BackupOverview = z.infer<typeof backupOverview>['data'];
export const backupRunItem = z.object({ data: backupRun });
