import ExcelJS from '../../lib/exceljs.ts';
import { PassThrough } from 'node:stream';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { decrypt } from '../../lib/crypto.ts';
import { cellText } from '../../lib/xlsx-export.ts';
import { relations } from '@lianxin/contracts';
import { DATE_EXAMPLES } from '../../lib/date-input.ts';
import type { TagDictionary } from '../households/households.service.ts';
import {
  AWAY_SCOPES, HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, OPTIONS_SHEET, RESIDENT_COLUMNS, RESIDENT_SHEET,
} from './imports.limits.ts';
import { EXAMPLE_MARK, exampleVillage, templateWorkbook, type TemplateVillages, villageList } from './imports.template.ts';
import * as repo from './imports.repo.ts';
import { shownValues } from './imports.presenter.ts';

/** The households template: 说明, 住户, 居民, 可选值 (imports.template.ts). */
export function householdTemplate(villages: TemplateVillages, tags: TagDictionary['tags']): PassThrough {
  const code = exampleVillage(villages);
  const notes = [
    `在“${HOUSEHOLD_SHEET}”表每户填一行，在“${RESIDENT_SHEET}”表每人填一行，两表用“户编号”对应（户编号只在本文件内使用，如 1、2、3）。`,
    '村（社区）代码为 12 位统计用区划代码（可从下拉列表选择），只能导入本人管辖范围内的村（社区）；网格代码可不填。',
    `标签可从下拉列表选择，也可填写名称或常用叫法（如“低保户”“五保户”，见“${OPTIONS_SHEET}”表），多个用“、”分隔，如：低保、残疾。`,
    `性别填“男”或“女”；出生日期可填 ${DATE_EXAMPLES}（或 Excel 日期），须与身份证号一致；身份证号请以文本格式填写。`,
    `与户主关系：${relations.join('、')}；每户须有且仅有一名户主。`,
    `在外范围可不填，或填${Object.keys(AWAY_SCOPES).map((k) => `“${k}”`).join('')}；填写在外地点时须填写在外范围。`,
  ];
  const example = `${EXAMPLE_MARK}：1`;
  const id = '（18 位身份证号，文本格式）';
  return templateWorkbook('住户及居民导入说明', notes, [
    {
      name: HOUSEHOLD_SHEET, columns: HOUSEHOLD_COLUMNS, widths: { 2: 36 },
      examples: [[example, code, '3组 12号', '低保户', '']],
      lists: {
        1: villageList(villages),
        3: {
          values: tags.map((t) => t.code), strict: false, notesHeader: '也可填写',
          notes: tags.map((t) => [t.name, ...t.aliases].filter((w) => w !== t.code).join('、')),
        },
      },
    },
    {
      name: RESIDENT_SHEET, columns: RESIDENT_COLUMNS, widths: { 4: 22 },
      examples: [
        [example, '张三', '男', '1960/5/17', id, '13800000000', '户主', '', ''],
        [example, '李四', '女', '1962年3月8日', id, '', '配偶', '省外', '广东省深圳市'],
      ],
      lists: {
        2: { values: ['男', '女'], strict: true },
        6: { values: relations, strict: true },
        7: { values: Object.keys(AWAY_SCOPES), strict: true },
      },
    },
  ], villages);
}

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
          shownValues(e.sheet, values, masked).forEach((v, i) => { cells[`v${i}`] = cellText(v); });
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
