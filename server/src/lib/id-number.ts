/**
 * Resident identity numbers (公民身份号码) per GB 11643-1999: 6-digit area code, 8-digit birth date (YYYYMMDD),
 * 3-digit sequence (odd for men, even for women) and a check character computed with ISO 7064 MOD 11-2.
 * Used by the demo generator to make synthetic but *valid* numbers, and by validation elsewhere.
 */

/** Weights 2^(17-i) mod 11 for positions 1..17 (GB 11643-1999 §8.2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for (sum mod 11) = 0..10. */
const CHECK = '10X98765432';

/** The check character ('0'–'9' or 'X') of the first 17 digits. Throws on anything but 17 ASCII digits. */
export function idNumberCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idNumberCheckDigit: expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * True for an 18-character number whose birth date is a real calendar date (1900-01-01 … today) and whose check
 * character matches (lowercase 'x' accepted). Area codes are not checked against the division list.
 */
export function isValidIdNumber(id: string): boolean {
  if (typeof id !== 'string' || !/^\d{17}[\dXx]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date.getTime() > Date.now()) return false;
  return idNumberCheckDigit(id.slice(0, 17)) === id[17]!.toUpperCase();
}

/**
 * Builds a valid number. `birthDate` is 'YYYY-MM-DD'; `seq` (0..499 for men, 0..498 for women) is mapped to the sequence 001..999 with the
 * parity the standard requires for `sex` (odd = 'M', even = 'F').
 */
export function makeIdNumber(area: string, birthDate: string, seq: number, sex: 'M' | 'F'): string {
  const n = sex === 'M' ? 2 * seq + 1 : 2 * seq + 2; // M: 001, 003, … 999   F: 002, 004, … 998
  if (!Number.isInteger(seq) || seq < 0 || n > 999) throw new Error(`makeIdNumber: sequence ${seq} out of range`);
  const s = String(n).padStart(3, '0');
  const first17 = `${area}${birthDate.replaceAll('-', '')}${s}`;
  return first17 + idNumberCheckDigit(first17);
}

/** Display masks (PIPL: lists never show full values): 410***********1234 and 138****5678. */
export function maskIdNumber(id: string): string {
  return id.length < 8 ? '*'.repeat(id.length) : `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

export function maskPhone(phone: string): string {
  return phone.length < 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/**
 * The digits a search by 尾号 compares: exactly what maskPhone leaves visible (the last 4 of a number of 7 or more), so
 * storing them in clear shows no reader anything the mask does not. '' = no searchable tail (null stays "not computed").
 */
export function phoneTail(phone: string): string {
  return phone.length < 7 ? '' : phone.slice(-4);
}

/** The birth date encoded in a valid ID number, as YYYY-MM-DD; and the sex its sequence parity encodes. */
export function idNumberBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

export function idNumberSex(id: string): 'M' | 'F' {
  return Number(id[16]) % 2 === 1 ? 'M' : 'F';
}
