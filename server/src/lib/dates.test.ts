import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, monthStart, nextMonthStart, periodOf, previousMonthStart, previousPeriod, shanghaiDay, shanghaiTime, startOfShanghaiDay, weekStart } from './dates.ts';

describe('Shanghai days and periods', () => {
  it('puts 23:30 UTC on the next Shanghai day and 15:59 UTC on the same one', () => {
    expect(shanghaiDay(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07-01');
    expect(shanghaiDay(new Date('2026-06-30T15:59:59Z'))).toBe('2026-06-30');
    expect(startOfShanghaiDay('2026-07-01').toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(shanghaiTime(new Date('2026-06-30T16:05:00Z'))).toBe('00:05');
  });

  it('steps days across month and year ends, and counts the days between', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-01-30', '2026-03-01')).toBe(30);
  });

  it('finds months, ISO weeks (Monday first) and the periods before them', () => {
    expect(monthStart('2026-02-14')).toBe('2026-02-01');
    expect(nextMonthStart('2026-12-05')).toBe('2027-01-01');
    expect(previousMonthStart('2026-01-20')).toBe('2025-12-01');
    expect(weekStart('2026-11-29')).toBe('2026-11-23'); // a Sunday belongs to the week that began on Monday
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
    expect(periodOf('week', '2026-12-02')).toEqual({ start: '2026-11-30', end: '2026-12-07' });
    expect(periodOf('month', '2026-12-02')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(previousPeriod('week', '2026-12-02')).toEqual({ start: '2026-11-23', end: '2026-11-30' });
    expect(previousPeriod('month', '2026-01-02')).toEqual({ start: '2025-12-01', end: '2026-01-01' });
  });
});
