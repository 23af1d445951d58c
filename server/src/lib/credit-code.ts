/**
 * 统一社会信用代码 (GB 32100-2015). 18 characters: 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码 (6),
 * 主体标识码 (9) and a check character. Alphabet: 0-9 and the capitals without I O Z S V (31 symbols, value = index).
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters (which must be in the alphabet). */
export function creditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!);
    if (v < 0) throw new Error(`invalid credit code character: ${first17[i]}`);
    sum += v * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function isValidCreditCode(code: string): boolean {
  return /^[0-9A-HJ-NP-RT-UW-Y]{18}$/.test(code) && creditCheckChar(code.slice(0, 17)) === code[17];
}

/** Completes 17 characters with their check character. */
export function makeCreditCode(first17: string): string {
  return first17 + creditCheckChar(first17);
}
