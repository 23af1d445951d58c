import { describe, expect, it } from 'vitest';
import { idNumberCheckDigit, isValidIdNumber, makeIdNumber } from './id-number.ts';

describe('GB 11643-1999 check digit', () => {
  it('matches the published example numbers', () => {
    // The standard's own example and a widely cited sample number.
    expect(idNumberCheckDigit('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(idNumberCheckDigit('44052418800101001')).toBe('4');
    expect(isValidIdNumber('440524188001010014')).toBe(false); // 1880 is before 1900
  });

  it('rejects a wrong check digit, bad dates and malformed input', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('110105194902300020'.slice(0, 17) + idNumberCheckDigit('11010519490230002'))).toBe(false);
    expect(isValidIdNumber('11010519491231002')).toBe(false);
    expect(isValidIdNumber('1101051949123100XX')).toBe(false);
    expect(() => idNumberCheckDigit('1234')).toThrow();
  });

  it('detects every single-digit change in the first 17 positions', () => {
    const id = '11010519491231002X';
    for (let i = 0; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[i]) continue;
        const changed = id.slice(0, i) + d + id.slice(i + 1);
        expect(idNumberCheckDigit(changed.slice(0, 17))).not.toBe('X');
      }
    }
  });

  it('builds valid numbers with the sex parity of the sequence', () => {
    for (let seq = 0; seq < 500; seq += 37) {
      const m = makeIdNumber('419001', '1968-02-29', seq, 'M');
      const f = makeIdNumber('419001', '2001-12-31', seq, 'F');
      expect(isValidIdNumber(m)).toBe(true);
      expect(isValidIdNumber(f)).toBe(true);
      expect(Number(m[16]) % 2).toBe(1);
      expect(Number(f[16]) % 2).toBe(0);
      expect(m.slice(6, 14)).toBe('19680229');
    }
  });
});
