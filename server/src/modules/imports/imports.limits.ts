/**
 * Limits of one upload. Mutable so a test can lower them (vitest runs each file in its own process); nothing else
 * should change them at runtime.
 */
export const importLimits = {
  /** Largest accepted upload, in bytes (413 above). */
  maxBytes: 100 * 1024 * 1024,
  /** Data rows per sheet; a workbook over this fails with one error and is not read further (zip bombs included). */
  maxRows: 300_000,
  /**
   * Sum of the bytes the workbook's zip entries inflate to (zip bombs: a 100 MB upload of zeros inflates to ~100 GB).
   * The 300,000-row benchmark workbook (100k households + 200k residents) inflates to ~110 MB, ~360 bytes a row; two
   * full sheets at the row limit with long addresses stay well under this.
   */
  maxInflatedBytes: 512 * 1024 * 1024,
  /**
   * Characters of one cell's value: Excel's own limit (it cannot save more), so a longer cell is a crafted file. A
   * 503-million-character cell once ran the reader for 7 minutes at 3.1 GB before failing on the string's length.
   */
  maxCellChars: 32_767,
  /**
   * Characters of sheet XML the reader holds while waiting for a row's end (one row, or what precedes the first row
   * or follows the last one). Excel's widest possible row of empty styled cells is ~0.5 M characters, ten full
   * 32,767-character cells ~0.4 M: a row that has not ended by 4 M is refused as soon as it passes, not read on.
   */
  maxRowChars: 4 * 1024 * 1024,
  /**
   * Inflated bytes of each of workbook.xml, its relationships and styles.xml (read whole; a few KB to a few MB in
   * real files), and characters held of shared strings while waiting for a tag's end.
   */
  maxPartBytes: 16 * 1024 * 1024,
  /** Characters of all shared strings together (held for the whole job; 300,000 rows use ~15 M). */
  maxSharedChars: 64 * 1024 * 1024,
  /** Jobs running at once in this process, and at most one of them per uploader (imports.service.ts). */
  concurrentJobs: 2,
};

/** Errors a failed job lists in its status (the import page's table); all of them are in the error workbook. */
export const LISTED_ERRORS = 50;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const HOUSEHOLD_SHEET = '住户';
export const RESIDENT_SHEET = '居民';
export const NOTES_SHEET = '说明';
/** The templates' drop-down lists (imports.template.ts); read by no import. */
export const OPTIONS_SHEET = '可选值';
export const HOUSEHOLD_COLUMNS = ['户编号', '村（社区）代码', '地址', '标签', '网格代码'] as const;
export const RESIDENT_COLUMNS = ['户编号', '姓名', '性别', '出生日期', '身份证号', '电话', '与户主关系', '在外范围', '在外地点'] as const;
export const AWAY_SCOPES: Record<string, 'city' | 'province' | 'abroad'> = { 省内市外: 'city', 省外: 'province', 国外: 'abroad' };
