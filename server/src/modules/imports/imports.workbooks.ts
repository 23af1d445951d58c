import ExcelJS from '../../lib/exceljs.ts';
import { PassThrough } from 'node:stream';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { decrypt } from '../../lib/crypto.ts';
import { maskIdNumber, maskPhone } from '../../lib/id-number.ts';
import { cellText } from '../../lib/xlsx-export.ts';
import { HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, importLimits, NOTES_SHEET, RESIDENT_COLUMNS, RESIDENT_SHEET } from './imports.limits.ts';
import * as repo from './imports.repo.ts';
import { registryKinds } from './kinds/index.ts';

const text = { numFmt: '@' };

/** The households template: 说明, 住户, 居民. Uploaded unchanged it is a valid, empty import. */
export function householdTemplate(): PassThrough {
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.columns = [{ header: '住户及居民导入说明', key: 'a', width: 110 }];
  const mb = Math.round(importLimits.maxBytes / 1024 / 1024);
  const rowsLimit = importLimits.maxRows.toLocaleString('en-US');
  for (const line of [
    `1. 在“${HOUSEHOLD_SHEET}”表每户填一行，在“${RESIDENT_SHEET}”表每人填一行，两表用“户编号”对应（户编号只在本文件内使用，如 1、2、3）。`,
    '2. 村（社区）代码为 12 位统计用区划代码，只能导入本人管辖范围内的村（社区）；网格代码可不填。',
    '3. 标签填写标签代码，多个用“、”分隔，如：低保、残疾。',
    '4. 性别填“男”或“女”；出生日期格式 YYYY-MM-DD（如 1970-05-17），须与身份证号一致；身份证号请以文本格式填写。',
    '5. 与户主关系：户主、配偶、子、女、父亲、母亲、孙子、孙女、儿媳、女婿、兄弟姐妹、其他；每户须有且仅有一名户主。',
    '6. 在外范围可不填，或填“省内市外”“省外”“国外”；填写在外地点时须填写在外范围。',
    `7. 限制：每个工作表不超过 ${rowsLimit} 行，文件不超过 ${mb} MB；不接受公式和合并单元格，请勿修改表头和工作表名称。`,
    '8. 全部行校验通过才会写入；有任何错误则不写入，可下载错误清单，修改后重新导入整个文件。',
  ]) notes.addRow({ a: line }).commit();
  notes.commit();
  const hs = wb.addWorksheet(HOUSEHOLD_SHEET);
  hs.columns = HOUSEHOLD_COLUMNS.map((h, i) => ({ header: h, key: `c${i}`, width: i === 2 ? 36 : 16, style: text }));
  hs.getRow(1).font = { bold: true };
  hs.commit();
  const rs = wb.addWorksheet(RESIDENT_SHEET);
  rs.columns = RESIDENT_COLUMNS.map((h, i) => ({ header: h, key: `c${i}`, width: i === 4 ? 22 : 14, style: text }));
  rs.getRow(1).font = { bold: true };
  rs.commit();
  void wb.commit().catch((e: unknown) => stream.destroy(e as Error));
  return stream;
}

/** Personal columns by header, wherever they appear: residents' ID numbers and phones, a business contact's phone. */
const PERSONAL: Record<string, (v: string) => string> = { 身份证号: maskIdNumber, 户主身份证号: maskIdNumber, 电话: maskPhone, 联系电话: maskPhone };
/** Sheet name → column index → mask, for every import's data sheets. */
const personalColumns = new Map<string, Map<number, (v: string) => string>>(
  [[HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS] as const, [RESIDENT_SHEET, RESIDENT_COLUMNS] as const,
    ...Object.values(registryKinds).map((k) => [k.sheet, k.columns] as const)]
    .map(([sheet, columns]) => [sheet, new Map(columns.flatMap((h, i) => (PERSONAL[h] ? [[i, PERSONAL[h]] as const] : [])))]),
);

/**
 * The error list of a job: 行, 工作表, 列, 原因 and the original row values; streamed in pages of 1,000. `masked`: the
 * uploader gets back what they typed (they need it to find their mistakes); anyone else allowed to see the job (the
 * project office) gets ID numbers and phones masked, as in every list — the full values stay behind an audited reveal.
 */
export function errorWorkbook(db: Db, ring: Keyring, jobId: string, masked: boolean, onError: (e: unknown) => void): PassThrough {
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('错误');
  ws.columns = [
    { header: '行', key: 'row', width: 8 }, { header: '工作表', key: 'sheet', width: 10 },
    { header: '列', key: 'column', width: 16 }, { header: '原因', key: 'reason', width: 48 },
    // Room for the widest sheet of any kind (企业商户 has 10 columns; kinds/).
    ...Array.from({ length: Math.max(RESIDENT_COLUMNS.length, 12) }, (_, i) => ({ header: i === 0 ? '原行内容（按原表列顺序）' : '', key: `v${i}`, width: 16 })),
  ];
  ws.getRow(1).font = { bold: true };
  void (async () => {
    try {
      let after: { sheet: string; row: number; id: string } | null = null;
      for (;;) {
        const page = await repo.errorsPage(db, jobId, after, 1000);
        for (const e of page) {
          const values = e.values_enc ? (JSON.parse(decrypt(ring, e.values_enc)) as string[]) : [];
          const cells: Record<string, string | number> = {
            row: e.row || '', sheet: cellText(e.sheet), column: cellText(e.column), reason: cellText(e.reason),
          };
          const masks = masked ? personalColumns.get(e.sheet) : undefined;
          values.forEach((v, i) => {
            const mask = masks?.get(i);
            cells[`v${i}`] = cellText(mask && v ? mask(v) : v);
          });
          ws.addRow(cells).commit();
        }
        if (page.length < 1000) break;
        const last = page[page.length - 1]!;
        after = { sheet: last.sheet, row: last.row, id: last.id };
      }
      ws.commit();
      await wb.commit();
    } catch (e) {
      onError(e);
      stream.destroy(e as Error);
    }
  })();
  return stream;
}
