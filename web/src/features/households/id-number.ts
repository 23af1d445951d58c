/**
 * GB 11643-1999 citizen ID numbers: 6-digit area code, 8-digit birth date, 3-digit sequence (odd for men, even for
 * women), then a check digit by ISO 7064 MOD 11-2. The server verifies too; checking here lets the form say so at once.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function normalizeIdNumber(v: string): string {
  return v.replace(/\s+/g, '').toUpperCase();
}

/** A Chinese message describing what is wrong with the number, or null when it is valid. */
export function idNumberProblem(raw: string): string | null {
  const v = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号码应为18位（前17位是数字，最后一位是数字或X）';
  const birth = birthDateFromId(v);
  if (!birth) return '身份证号码中的出生日期（第7–14位）不正确';
  if (idCheckDigit(v.slice(0, 17)) !== v[17]) return '身份证号码校验位不对，请逐位核对（可能有一位输错了）';
  return null;
}

/** YYYY-MM-DD from positions 7–14, or null when that is not a real past date. */
export function birthDateFromId(v: string): string | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1880 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || date.getTime() > Date.now()) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** The 17th digit is odd for men and even for women. */
export function sexFromId(v: string): 'M' | 'F' | null {
  const c = normalizeIdNumber(v)[16];
  if (!c || !/\d/.test(c)) return null;
  return Number(c) % 2 === 1 ? 'M' : 'F';
}
