import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The latest run of each scheduled job (modules/jobs), for the admin's 系统维护 page: kept by us rather than read from
 * pg-boss's tables, whose finished jobs are archived and deleted after days — a failure must stay visible until the
 * next success and beyond. One row per job name, updated by whichever server copy ran it.
 */
export const jobRuns = pgTable('job_runs', {
  name: text('name').primaryKey(),
  /** pg-boss job id of the latest run. */
  lastJobId: text('last_job_id'),
  /** running | completed | failed */
  lastStatus: text('last_status').notNull(),
  lastStartedAt: timestamp('last_started_at', { withTimezone: true }).notNull(),
  lastFinishedAt: timestamp('last_finished_at', { withTimezone: true }),
  /** What the run did (backup: file, rows) or how far it got while running (tables done). */
  detail: jsonb('detail'),
  lastFailedAt: timestamp('last_failed_at', { withTimezone: true }),
  lastError: text('last_error'),
});
