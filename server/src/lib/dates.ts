/**
 * Calendar days and periods in Asia/Shanghai — the one place the server turns instants into the dates a village office
 * writes on a record, whatever the server's own zone. Days are ISO strings (YYYY-MM-DD); China has no daylight saving,
 * so a Shanghai day is exactly [00:00+08:00, next 00:00+08:00).
 */
const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The Shanghai calendar day of an instant (default: now). */
export function shanghaiDay(at: Date = new Date()): string {
  return SHANGHAI.format(at);
}

/** Today's calendar date (YYYY-MM-DD) in Asia/Shanghai. */
export function todayInShanghai(): string {
  return shanghaiDay();
}

/** The instant a Shanghai day starts (00:00 +08:00). */
export function startOfShanghaiDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

/** day + n days (n may be negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export type PeriodKind = 'week' | 'month';

/** The first day of the day's month. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month after the day's month. */
export function nextMonthStart(day: string): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** The first day of the month before the day's month. */
export function previousMonthStart(day: string): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}

/** The Monday of the day's ISO week (weeks in China start on Monday). */
export function weekStart(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** The period containing the day: [start, end) as days. */
export function periodOf(kind: PeriodKind, day: string): { start: string; end: string } {
  if (kind === 'week') {
    const start = weekStart(day);
    return { start, end: addDays(start, 7) };
  }
  return { start: monthStart(day), end: nextMonthStart(day) };
}

/** The period before the one containing the day. */
export function previousPeriod(kind: PeriodKind, day: string): { start: string; end: string } {
  return kind === 'week' ? periodOf('week', addDays(weekStart(day), -7)) : periodOf('month', previousMonthStart(day));
}

/** "HH:mm" of an instant in Shanghai, for "数据截至 HH:mm". */
export function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}
