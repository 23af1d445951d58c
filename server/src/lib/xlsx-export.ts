import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { errors } from '../errors.ts';
import { within } from './paths.ts';
import ExcelJS from './exceljs.ts';

/** Spreadsheet apps treat a leading = + - @ (or tab/CR) as a formula: prefix an apostrophe so text stays text (OWASP CSV injection). */
export function cellText(v: string | null | undefined): string {
  if (v == null) return '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Keyset batch size of the registry exports (households and businesses): bounded memory, few round trips. */
export const EXPORT_BATCH = 500;

export type ExportColumn = { header: string; key: string; width: number };

/**
 * A streaming xlsx (exceljs WorkbookWriter over a PassThrough) with one sheet and a bold header row: rows are committed
 * as they are added, so the response streams while later batches are still being read.
 */
export function xlsxStream(sheetName: string, columns: ExportColumn[]) {
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet(sheetName);
  ws.columns = columns;
  ws.getRow(1).font = { bold: true };
  return { stream, wb, ws };
}

/**
 * Full (unmasked) values need a reason and the reveal permission over everything exported: the chosen org, or — with
 * no org — every root the caller reads. 400 without a reason, 403 without the permission.
 */
export function assertFullExport(opts: { reason: string; orgPath?: string; readRoots: string[]; revealRoots: string[]; what: string }): void {
  if (opts.reason.trim().length < 2) {
    throw errors.validation(`导出完整${opts.what}需填写原因`, [{ path: 'body/reason', message: '请填写原因' }]);
  }
  const scope = opts.orgPath ?? opts.readRoots[0];
  if (!scope || !within(scope, opts.revealRoots) || (!opts.orgPath && opts.readRoots.some((r) => !within(r, opts.revealRoots)))) {
    throw errors.forbidden('没有导出完整号码的权限');
  }
}

/** Sends an export stream as an xlsx attachment (RFC 6266 filename*); never cached (app.ts: no-store on every /api/ answer). */
export function sendXlsx(reply: FastifyReply, stream: PassThrough, filename: string) {
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .send(stream);
}
