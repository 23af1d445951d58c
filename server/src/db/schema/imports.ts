import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';

/**
 * Spreadsheet imports (modules/imports). A job validates a whole workbook into the staging tables, keyed by job id,
 * and only when no row has an error merges staging into households/residents in one short transaction.
 */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(), // 'households' | 'links' | 'businesses' | 'members'
    createdBy: uuid('created_by').notNull().references(() => accounts.id),
    /** The creator's registry write roots (org paths) when the file was uploaded: rows outside them are errors. */
    orgScope: text('org_scope').array().notNull(),
    status: text('status').notNull().default('queued'), // queued | validating | failed | merging | done
    counts: jsonb('counts').notNull().default({ rows: 0, validated: 0, errors: 0, written: 0 }),
    errorCount: integer('error_count').notNull().default(0),
    fileName: text('file_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('import_jobs_creator_idx').on(t.createdBy, t.createdAt)],
);

/** One problem in one cell (or row); `valuesEnc` is the original row, encrypted (it may hold an ID number). */
export const importErrors = pgTable(
  'import_errors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobId: uuid('job_id').notNull().references(() => importJobs.id, { onDelete: 'cascade' }),
    sheet: text('sheet').notNull(),
    row: integer('row').notNull(),
    column: text('column').notNull(),
    reason: text('reason').notNull(),
    valuesEnc: text('values_enc'),
  },
  (t) => [index('import_errors_job_idx').on(t.jobId, t.sheet, t.row)],
);

/**
 * Staged rows of the registry kinds (links, businesses, members; modules/imports/kinds): one row per valid data row,
 * `data` the row already normalized (resolved org ids, keyed hashes — never a clear ID number), `values_enc` the
 * original cells, encrypted, so a file-wide error can name the row's values. Deleted when the job ends.
 */
export const importRows = pgTable(
  'import_rows',
  {
    jobId: uuid('job_id').notNull().references(() => importJobs.id, { onDelete: 'cascade' }),
    sheet: text('sheet').notNull(),
    row: integer('row').notNull(),
    data: jsonb('data').notNull(),
    valuesEnc: text('values_enc'),
  },
  (t) => [index('import_rows_job_idx').on(t.jobId, t.sheet, t.row)],
);
