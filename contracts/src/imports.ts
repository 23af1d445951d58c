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

export const importJob = z.object({
  id: z.string(),
  kind: z.enum(importKinds),
  status: z.enum(importStatuses),
  fileName: z.string(),
  counts: importCounts,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof importJob>;
export const importJobItem = z.object({ data: importJob });
