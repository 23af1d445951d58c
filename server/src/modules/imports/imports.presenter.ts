import type { ImportError, ImportJob } from '@lianxin/contracts';
import type { Keyring } from '../../config.ts';
import { decrypt } from '../../lib/crypto.ts';
import { maskIdNumber, maskPhone } from '../../lib/id-number.ts';
import { HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, RESIDENT_COLUMNS, RESIDENT_SHEET } from './imports.limits.ts';
import type { ErrorOut, JobRow } from './imports.repo.ts';
import { registryKinds } from './kinds/index.ts';

/** Every import's data sheets and their columns (the error rows keep a row's values in this order). */
const sheetColumns = new Map<string, readonly string[]>([
  [HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS], [RESIDENT_SHEET, RESIDENT_COLUMNS],
  ...Object.values(registryKinds).map((k) => [k.sheet, k.columns] as const),
]);
/** Personal columns by header, wherever they appear: residents' ID numbers and phones, a business contact's phone. */
const PERSONAL: Partial<Record<string, (v: string) => string>> = { 身份证号: maskIdNumber, 户主身份证号: maskIdNumber, 电话: maskPhone, 联系电话: maskPhone };

/**
 * A failed row's values as shown to the caller: the uploader gets back what they typed (they need it to find their
 * mistakes); anyone else allowed to see the job (the project office) gets ID numbers and phones masked, as in every
 * list — the error workbook and the job's error list follow this one rule.
 */
export function shownValues(sheet: string, values: string[], masked: boolean): string[] {
  const columns = sheetColumns.get(sheet);
  if (!masked || !columns) return values;
  return values.map((v, i) => {
    const mask = PERSONAL[columns[i] ?? ''];
    return mask && v ? mask(v) : v;
  });
}

/** A cell may hold 32,767 characters; the page needs enough to find it. */
const VALUE_CHARS = 100;

/**
 * `failure`: why the whole job failed (an unreadable file, a restart: the row-0 error of no sheet), null otherwise.
 * `errors`: the first errors (the service loads LISTED_ERRORS) with the value of the cell they name.
 */
export function presentJob(j: JobRow, errors: ErrorOut[] = [], ring?: Keyring, masked = true): ImportJob {
  const listed: ImportError[] = errors.map((e) => {
    const columns = sheetColumns.get(e.sheet);
    const at = columns && e.column ? columns.indexOf(e.column) : -1;
    const values = at >= 0 && e.values_enc && ring ? shownValues(e.sheet, JSON.parse(decrypt(ring, e.values_enc)) as string[], masked) : [];
    const value = values[at] ?? '';
    return {
      sheet: e.sheet, row: e.row, column: e.column, reason: e.reason,
      value: value.length > VALUE_CHARS ? `${value.slice(0, VALUE_CHARS)}…` : value,
    };
  });
  return {
    id: j.id, kind: j.kind, status: j.status, fileName: j.file_name,
    counts: { rows: j.counts.rows ?? 0, validated: j.counts.validated ?? 0, errors: j.counts.errors ?? 0, written: j.counts.written ?? 0, households: j.counts.households ?? 0, residents: j.counts.residents ?? 0 },
    failure: errors.find((e) => e.sheet === '' && e.row === 0)?.reason ?? null,
    errors: listed,
    createdAt: j.created_at, startedAt: j.started_at, finishedAt: j.finished_at,
  };
}
