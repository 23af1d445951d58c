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
