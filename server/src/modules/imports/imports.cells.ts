import type { FastifyBaseLogger } from 'fastify';
import { importLimits } from './imports.limits.ts';
import { Oversized, type XValue } from './imports.xlsx-reader.ts';
import { InflatedTooLarge } from './imports.zip.ts';

/**
 * What every import (households in imports.job.ts, the registry kinds in kinds/run.ts) says the same way: a cell as
 * text or why it is refused, merged ranges, the row limit, and why a whole job failed.
 */

export const MERGED_HINT = '（如使用了合并单元格，请取消合并并在每一行填写）';
export const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/** A cell as text, or why it cannot be accepted. */
export type Cell = { text: string; error?: string };

/**
 * Formulas are refused: the value a formula shows is not data we can check. Rich text arrives joined and dates as
 * Dates (imports.xlsx-reader.ts).
 */
export function cellOf(v: XValue): Cell {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return v.includes('\u0000') ? { text: '', error: '包含无效字符（NUL）' } : { text: v.trim() };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v) };
  if (v instanceof Date) return { text: Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10) };
  if ('formula' in v) return { text: `=${v.formula}`, error: '不接受公式，请复制后“选择性粘贴—数值”' };
  if ('error' in v) return { text: v.error, error: '单元格为错误值' };
  return { text: '', error: '无法识别的单元格内容' };
}

/**
 * A row's values as kept with its errors (encrypted, for the error list): each cell's first 1,000 characters. A cell
 * may hold 32,767: kept whole, the 1,000 error rows held before a flush came to ~440 MB, and a small upload of
 * repeated text could fill the database with hundreds of MB of it. No column accepts more than a few hundred
 * characters, so the kept part still shows what was typed.
 */
export function keptValues(texts: string[]): string[] {
  const KEPT = 1000;
  return texts.some((x) => x.length > KEPT) ? texts.map((x) => (x.length > KEPT ? `${x.slice(0, KEPT)}…` : x)) : texts;
}

/** The first `n` cells of a row (`values` is 1-based and sparse, as the reader yields it). */
export function rowCells(values: XValue[], n: number): Cell[] {
  const out: Cell[] = [];
  for (let i = 1; i <= n; i++) out.push(cellOf(values[i]));
  return out;
}

/** A merged range (A2:A4) as the error of its first cell: any merge is refused, it would import its value once only. */
export function mergedError(ref: string, columns: readonly string[]): { row: number; column: string; reason: string } {
  const [, letters = 'A', row = '0'] = /^([A-Z]+)(\d+)/.exec(ref) ?? [];
  const col = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { row: Number(row), column: columns[col] ?? letters, reason: `合并单元格 ${ref}：导入不接受合并单元格，请取消合并并在每一行分别填写` };
}

/** A sheet over the row limit (the job stops reading at once). */
export class TooManyRows extends Error {}

const number = (n: number) => n.toLocaleString('en-US');
const ANEW = '请在 Excel 中打开检查后另存，再重新导入';

/** A workbook past one of the reader's bounds: which sheet and row, and that nothing was imported. */
function oversizedReason(e: Oversized): string {
  const where = `工作表“${e.sheet}”第 ${number(e.row)} 行`;
  switch (e.what) {
    case 'cell':
      return `${e.sheet ? where : '工作簿中'}有单元格超过 ${number(importLimits.maxCellChars)} 个字符（Excel 单元格的上限），文件异常，未导入；${ANEW}`;
    case 'row':
      return `${where}过长或没有结束（超过 ${Math.round(importLimits.maxRowChars / 1024 / 1024)} MB 或超过 16,384 列），文件异常，未导入；${ANEW}`;
    case 'rows':
      return `工作表“${e.sheet}”超过 Excel 的 1,048,576 行（第 ${number(e.row)} 行），文件异常，未导入；${ANEW}`;
    case 'sheet':
      return `工作表“${e.sheet}”中有超过 ${Math.round(importLimits.maxRowChars / 1024 / 1024)} MB 不属于任何一行的内容，文件已损坏或不是由 Excel 保存的，未导入；${ANEW}`;
    default:
      return `工作簿的组成部分 ${e.sheet} 异常或过大，文件已损坏或不是由 Excel 保存的，未导入；${ANEW}`;
  }
}

/** Why a job failed as a whole, in words for the uploader; unexpected failures are logged. */
export function failureReason(e: unknown, log: FastifyBaseLogger, jobId: string): string {
  const pgErr = (e as { cause?: { code?: string; constraint?: string } }).cause ?? (e as { code?: string; constraint?: string });
  if (e instanceof TooManyRows) return `工作表“${e.message}”超过 ${importLimits.maxRows.toLocaleString('en-US')} 行，请拆分后分批导入`;
  if (e instanceof Oversized) return oversizedReason(e);
  if (e instanceof InflatedTooLarge) {
    return `工作簿解压后超过 ${Math.round(e.limit / 1024 / 1024).toLocaleString('en-US')} MB（文件异常或内容过多），未导入；请检查文件或拆分后分批导入`;
  }
  if (pgErr.code === '23505') {
    // A unique index caught what a concurrent change did between our checks and the merge.
    return pgErr.constraint === 'residents_id_hash_key'
      ? '导入期间有身份证号码已被登记，请重新导入'
      : '导入期间数据已被他人修改（如已有主联系人或重复登记），本次未写入，请重新导入';
  }
  if (typeof pgErr.code === 'string' && /^[0-9A-Z]{5}$/.test(pgErr.code)) {
    // A database error (SQLSTATE) is ours, not the file's: say so rather than blame the workbook.
    log.error({ err: e, jobId }, 'import failed in the database');
    return '导入时数据库出错，本次导入未生效（没有写入任何数据），请稍后重新上传；如反复出现请联系管理员';
  }
  log.error({ err: e, jobId }, 'import failed');
  return '无法读取工作簿：文件已损坏或不是 Excel 2007 及以上版本的 .xlsx 文件';
}
