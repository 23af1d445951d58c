/**
 * Addresses as people read them. `normalizeAddress` is what search compares ("1组10号", "1组 10号", "１组１０号" and
 * "一组十号" are one address) and what lists sort by, with numbers compared by value (1号 < 2号 < 10号), so 三组 sorts
 * with 3组.
 *
 * The database derives the same value (SQL function `lx_address_norm`, migration 0008_address_search) into a stored
 * generated column `address_norm` of households and businesses, so every writer — forms, imports, seeds — gets it
 * without code; the column's collation `lx_natural` (ICU, numeric) gives the order, and an index (org, address_norm,
 * id) serves keyset paging. Both implementations run over one table of cases in address.test.ts: change them together.
 */

/** Units a Chinese numeral is read before as a number: 三组, 十一号, 二排, 五栋, 二单元, 三楼… (not 路: 五一路 is a name). */
const UNITS = '组|号|排|栋|幢|单元|楼|层|室|巷|街|队|区|期|座';
const NUMERAL_RUN = new RegExp(`[零〇一二两三四五六七八九十百]+(?=${UNITS})`, 'g');
const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十一 → 11, 二十 → 20, 一百零五 → 105; without 十/百 the digits are read in place (一〇五 → 105). */
export function chineseNumeral(run: string): string {
  if (!/[十百]/.test(run)) return [...run].map((c) => DIGIT[c]).join('');
  let total = 0;
  let cur = 0;
  for (const c of run) {
    if (c === '十') { total += (cur || 1) * 10; cur = 0; }
    else if (c === '百') { total += (cur || 1) * 100; cur = 0; }
    else cur = DIGIT[c]!;
  }
  return String(total + cur);
}

/**
 * NFKC (full-width １２Ａ and the ideographic space become 12A and a space), no whitespace, ASCII letters in lower
 * case, Chinese numerals before a unit in Arabic digits.
 */
export function normalizeAddress(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[ \t\n\r\f\v]/g, '')
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replace(NUMERAL_RUN, chineseNumeral);
}

const natural = new Intl.Collator('und', { numeric: true });

/** Order of two normalized addresses in memory, as the database's lx_natural collation orders them (ICU, numeric). */
export function compareAddresses(a: string, b: string): number {
  return natural.compare(a, b);
}
