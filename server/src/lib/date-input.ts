/**
 * Dates as people type them into a spreadsheet, read the same way by every import: 1960-05-17, 1960/5/17, 1960.5.17,
 * 1960年5月17日, 19600517 (also with full-width digits), an Excel date cell (the sheet reader yields a Date) and an
 * Excel serial number (a date pasted into a cell formatted as a number). Strict: a day that does not exist
 * (1960-02-30) is refused with its own message rather than rolled over into March.
 */

export type DateInput = { date: string } | { error: string };

const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const CHINESE = /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
/** Excel's day 0 in the 1900 date system is 1899-12-30 for every serial from 61 (1900-03-01) on. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 24 * 3600 * 1000;

export const DATE_EXAMPLES = '1960-05-17、1960/5/17、1960.5.17、1960年5月17日 或 19600517';

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function fromParts(y: number, m: number, d: number, shown: string): DateInput {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (y < 1000 || t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) {
    return { error: `日期不存在：${shown}` };
  }
  return { date: iso(y, m, d) };
}

function fromDate(v: Date): DateInput {
  if (Number.isNaN(v.getTime())) return { error: '无法识别的日期' };
  return { date: v.toISOString().slice(0, 10) };
}

/** `v`: a cell's value as the sheet reader yields it (text, a number, a Date). The result is YYYY-MM-DD. */
export function parseDateInput(v: string | number | Date): DateInput {
  if (v instanceof Date) return fromDate(v);
  if (typeof v === 'number') {
    // 19600517 typed into a General cell arrives as a number; anything else integral and in range is a serial day.
    if (Number.isInteger(v) && v >= 10_000_000 && v <= 99_991_231) return parseDateInput(String(v));
    if (v >= 61 && v < 2_958_466) return fromDate(new Date(EXCEL_EPOCH_MS + Math.floor(v) * DAY_MS)); // 2958465 = 9999-12-31
    return { error: `无法识别的日期：${v}，请填写如 ${DATE_EXAMPLES}` };
  }
  // NFKC: full-width digits and ／．－ become their ASCII forms; spaces around parts are not meaningful.
  const s = v.normalize('NFKC').replace(/\s+/gu, '');
  const m = SEPARATED.exec(s);
  if (m) return fromParts(Number(m[1]), Number(m[3]), Number(m[4]), v.trim());
  const c = CHINESE.exec(s) ?? COMPACT.exec(s);
  if (c) return fromParts(Number(c[1]), Number(c[2]), Number(c[3]), v.trim());
  return { error: `无法识别的日期：${v.trim()}，请填写如 ${DATE_EXAMPLES}` };
}
