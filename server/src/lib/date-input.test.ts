import { describe, expect, it } from 'vitest';
import { parseDateInput } from './date-input.ts';

describe('parseDateInput', () => {
  it.each([
    '1960-05-17', '1960-5-17', '1960/5/17', '1960/05/17', '1960.5.17', '1960年5月17日', '1960年05月17日', '1960年5月17',
    '19600517', ' 1960-05-17 ', '１９６０／５／１７', '1960 年 5 月 17 日',
  ])('reads %j as 1960-05-17', (typed) => {
    expect(parseDateInput(typed)).toEqual({ date: '1960-05-17' });
  });

  it('reads an Excel date cell, 19600517 as a number and the serial day 22053 as 1960-05-17', () => {
    expect(parseDateInput(new Date(Date.UTC(1960, 4, 17)))).toEqual({ date: '1960-05-17' });
    expect(parseDateInput(19600517)).toEqual({ date: '1960-05-17' });
    expect(parseDateInput(22053)).toEqual({ date: '1960-05-17' });
    expect(parseDateInput(22053.75)).toEqual({ date: '1960-05-17' }); // a time of day is not part of a date
  });

  it.each(['1960-02-30', '1961-02-29', '1960/13/1', '1960.0.10', '19600230'])('refuses %j as a day that does not exist', (typed) => {
    expect(parseDateInput(typed)).toEqual({ error: `日期不存在：${typed}` });
  });

  it.each(['五月', '1960-05', '60-5-17', '1960/5-17', '1960-05-17T00:00', '', '1960年5月17号'])('refuses %j as not a date', (typed) => {
    expect(parseDateInput(typed)).toMatchObject({ error: expect.stringContaining('无法识别的日期') });
  });

  it('refuses numbers that are no day (negative, 0, 12345678 is no yyyymmdd)', () => {
    expect(parseDateInput(-1)).toMatchObject({ error: expect.stringContaining('无法识别') });
    expect(parseDateInput(0)).toMatchObject({ error: expect.stringContaining('无法识别') });
    expect(parseDateInput(12345678)).toEqual({ error: '日期不存在：12345678' });
  });
});
