import { PassThrough } from 'node:stream';
import type ExcelJSType from 'exceljs';
import ExcelJS from '../../lib/exceljs.ts';
import { importLimits, LISTED_ERRORS, NOTES_SHEET, OPTIONS_SHEET } from './imports.limits.ts';

/**
 * The import templates (households, and every registry kind in kinds/): 说明, the data sheets — a header, a marked
 * example row (skipped on import) and drop-down lists on the coded columns — and 可选值, the lists themselves. Uploaded
 * unchanged, a template is a valid, empty import.
 */

/** A row whose first cell starts with this is an example: the template's own (grey italic), skipped by every import. */
export const EXAMPLE_MARK = '示例';
export const isExampleRow = (firstCell: string) => firstCell.startsWith(EXAMPLE_MARK);

/**
 * Rows that get the drop-down lists. A template is filled by hand for a village or a town (the largest village has
 * ~1,400 households, a town ~15,000 residents); bigger files come from other systems, pasted, and are checked on
 * import anyway. Bounded because every reader of the file (exceljs included) expands a list range cell by cell.
 */
const LISTED_ROWS = 20_000;

/** The villages a template is for: those the caller may import to (under the page's org), and the one to prefill. */
export interface TemplateVillages { list: { code: string; name: string }[]; prefill: { code: string; name: string } | null }

/** A drop-down list of a column. `strict`: only listed values (otherwise a hint: 标签 takes several, or names/aliases). */
export interface ColumnList { values: readonly string[]; strict: boolean; notes?: readonly string[]; notesHeader?: string }

export interface TemplateSheet {
  name: string;
  columns: readonly string[];
  widths?: Record<number, number>;
  /** Example rows; the first cell of each starts with EXAMPLE_MARK. */
  examples: string[][];
  /** Column index → its list. */
  lists: Record<number, ColumnList>;
}

/** The village code of the example rows: the prefilled village, else the first offered. */
export function exampleVillage(villages: TemplateVillages): string {
  return villages.prefill?.code ?? villages.list[0]?.code ?? '（12 位村（社区）代码）';
}

/** The 村（社区）代码 list: the codes, with the names beside them on 可选值. */
export function villageList(villages: TemplateVillages): ColumnList {
  return { values: villages.list.map((v) => v.code), strict: true, notesHeader: '村（社区）名称', notes: villages.list.map((v) => v.name) };
}

/**
 * exceljs' streaming worksheet writes `dataValidations` (lib/stream/xlsx/worksheet-writer.js) but its typings declare
 * them on neither worksheet class; a range address ("C2:C20001") is written as one sqref.
 */
const validations = (ws: object) => (ws as { dataValidations: { add(address: string, v: ExcelJSType.DataValidation): void } }).dataValidations;

const EXAMPLE_FONT = { italic: true, color: { argb: 'FF808080' } };

const columnLetter = (i: number) => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** The lines every template's 说明 ends with: the example row, the lists, the limits, all or nothing. */
function commonNotes(): string[] {
  const mb = Math.round(importLimits.maxBytes / 1024 / 1024);
  return [
    `第 2 行起灰色斜体、第一列以“${EXAMPLE_MARK}”开头的是填写示例，导入时跳过，可保留也可删除；请从示例下面一行开始填写。`,
    `带下拉箭头的列可直接从列表中选择（前 ${LISTED_ROWS.toLocaleString('en-US')} 行）；全部可选值见“${OPTIONS_SHEET}”表。`,
    `限制：每个工作表不超过 ${importLimits.maxRows.toLocaleString('en-US')} 行，文件不超过 ${mb} MB；不接受公式和合并单元格，请勿修改表头和工作表名称。`,
    `全部行校验通过才会写入；有任何错误则不写入，页面上会列出前 ${LISTED_ERRORS} 处错误，也可下载完整的错误清单，修改后重新导入整个文件。`,
  ];
}

/** One template workbook, streamed. `notes` are numbered in 说明; the village to prefill is named there too. */
export function templateWorkbook(
  title: string, notes: readonly string[], sheets: TemplateSheet[], villages: TemplateVillages,
): PassThrough {
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const notesWs = wb.addWorksheet(NOTES_SHEET);
  notesWs.columns = [{ header: title, key: 'a', width: 110 }];
  const lines = [...notes, ...commonNotes()];
  lines.forEach((line, i) => notesWs.addRow({ a: `${i + 1}. ${line}` }).commit());
  if (villages.prefill) {
    notesWs.addRow({ a: `本模板为 ${villages.prefill.name}（村（社区）代码 ${villages.prefill.code}）准备，示例行已填入该代码。` }).commit();
  }
  notesWs.commit();

  // 可选值: one column per list (its header names the sheet's column), with a note column beside it where useful.
  const listColumns: { header: string; values: readonly string[]; notesHeader?: string; notes?: readonly string[] }[] = [];
  const listRef = new Map<string, number>(); // sheet|column → its list's index in listColumns
  for (const sheet of sheets) {
    for (const [i, list] of Object.entries(sheet.lists)) {
      if (!list.values.length) continue;
      const header = sheet.columns[Number(i)]!;
      let at = listColumns.findIndex((c) => c.header === header && c.values.join('\n') === list.values.join('\n'));
      if (at < 0) {
        at = listColumns.length;
        listColumns.push({ header, values: list.values, notesHeader: list.notesHeader, notes: list.notes });
      }
      listRef.set(`${sheet.name}|${i}`, at);
    }
  }
  let col = 0;
  const letters: string[] = [];
  for (const c of listColumns) {
    letters.push(columnLetter(col));
    col += c.notes ? 2 : 1;
  }

  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name);
    ws.columns = sheet.columns.map((h, i) => ({ header: h, key: `c${i}`, width: sheet.widths?.[i] ?? 16, style: { numFmt: '@' } }));
    ws.getRow(1).font = { bold: true };
    for (const [i, list] of Object.entries(sheet.lists)) {
      const at = listRef.get(`${sheet.name}|${i}`);
      if (at === undefined) continue;
      const c = listColumns[at]!;
      const letter = letters[at]!;
      const target = columnLetter(Number(i));
      validations(ws).add(`${target}2:${target}${LISTED_ROWS + 1}`, {
        type: 'list',
        allowBlank: true,
        formulae: [`'${OPTIONS_SHEET}'!$${letter}$2:$${letter}$${c.values.length + 1}`],
        // A hint list (标签: several per cell, names and aliases) lets other text through; the import checks it.
        showErrorMessage: list.strict,
        errorStyle: 'stop',
        errorTitle: '不在可选值中',
        error: `请从下拉列表中选择（可选值见“${OPTIONS_SHEET}”表）`,
      });
    }
    for (const example of sheet.examples) {
      const row = ws.addRow(Object.fromEntries(example.map((v, i) => [`c${i}`, v])));
      row.font = EXAMPLE_FONT;
      row.commit();
    }
    ws.commit();
  }

  const opts = wb.addWorksheet(OPTIONS_SHEET);
  opts.columns = listColumns.flatMap((c, k) => [
    { header: c.header, key: `v${k}`, width: 16, style: { numFmt: '@' } },
    ...(c.notes ? [{ header: c.notesHeader ?? '说明', key: `n${k}`, width: 40 }] : []),
  ]);
  opts.getRow(1).font = { bold: true };
  const height = Math.max(0, ...listColumns.map((c) => c.values.length));
  for (let r = 0; r < height; r++) {
    opts.addRow(Object.fromEntries(listColumns.flatMap((c, k) => [
      [`v${k}`, c.values[r] ?? null],
      ...(c.notes ? [[`n${k}`, c.notes[r] ?? null]] : []),
    ]))).commit();
  }
  opts.commit();
  void wb.commit().catch((e: unknown) => stream.destroy(e as Error));
  return stream;
}
