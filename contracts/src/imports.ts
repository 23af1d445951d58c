import { z } from 'zod';

/** Spreadsheet imports: an upload becomes a background job; nothing is written unless every row is valid. */
export const importKinds = ['households', 'links', 'businesses', 'members'] as const;
export const importStatuses = ['queued', 'validating', 'failed', 'merging', 'done'] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const importCounts = z.object({
  /** Data rows read (all sheets, headers excluded). */
  rows: z.number().int(),
  /** Rows that passed their own checks and were staged. */
  validated: z.number().int(),
  errors: z.number().int(),
  /** Households + residents written by the merge (0 unless status is done). */
  written: z.number().int(),
  /** The same, split: households and residents written. */
  households: z.number().int(),
  residents: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCounts>;

/** One error of a failed job as the page lists it: row 0 when it concerns a sheet or the whole file. */
export const importError = z.object({
  sheet: z.string(),
  /** The sheet's own row number, as Excel shows it (the header is row 1). */
  row: z.number().int(),
  column: z.string(),
  /** The cell's value (ID numbers and phones masked unless the caller uploaded the file); '' when none. */
  value: z.string(),
  reason: z.string(),
});
export type ImportError = z.infer<typeof importError>;

export const importJob = z.object({
  id: z.string(),
  kind: z.enum(importKinds),
  status: z.enum(importStatuses),
  fileName: z.string(),
  counts: importCounts,
  /** Why the job failed as a whole (the file could not be read, the server restarted…); null otherwise. */
  failure: z.string().nullable(),
  /** The first 50 errors of a failed job, in sheet and row order (all of them: GET /imports/:id/errors.xlsx). */
  errors: z.array(importError),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof importJob>;
export const importJobItem = z.object({ data: importJob });
