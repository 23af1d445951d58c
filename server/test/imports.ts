import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import ExcelJS from '../src/lib/exceljs.ts';
import { XLSX_TYPE } from '../src/modules/imports/imports.limits.ts';
import type { Session } from './app.ts';

/** POSTs a workbook to /api/v1/imports/<kind> as the session (raw xlsx body, CSRF header). */
export function uploadWorkbook(app: FastifyInstance, s: Session, kind: string, body: Buffer) {
  return app.inject({
    method: 'POST', url: `/api/v1/imports/${kind}?fileName=test.xlsx`, payload: body,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': XLSX_TYPE },
  });
}

/** Polls the job until it ends (jobs run in the background of the same process). */
export async function waitForJob(app: FastifyInstance, s: Session, id: string) {
  for (let i = 0; i < 300; i++) {
    const job = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: { cookie: s.cookie } })).json().data;
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

/** Uploads (202 expected) and waits for the job's end. */
export async function importWorkbook(app: FastifyInstance, s: Session, kind: string, body: Buffer) {
  const res = await uploadWorkbook(app, s, kind, body);
  expect(res.statusCode, res.body).toBe(202);
  return waitForJob(app, s, res.json().data.id);
}

/** The rows of a job's error workbook (行, 工作表, 列, 原因, values…) as text. */
export async function errorRowsOf(app: FastifyInstance, s: Session, id: string): Promise<string[][]> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/imports/${id}/errors.xlsx`, headers: { cookie: s.cookie } });
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.getWorksheet('错误')!.eachRow((row, n) => { if (n > 1) out.push(Array.from((row.values as unknown[]).slice(1), (v) => String(v ?? ''))); });
  return out;
}

/**
 * A raw deflate stream of `parts` in order, each repeated `times` (default 1), built without inflating anything: each
 * part is compressed once as a run of non-final, byte-aligned blocks (Z_FULL_FLUSH: no reference to earlier data) and
 * repeated, then one empty final block closes the stream. 1 MB of one character compresses to ~1 KB, so hundreds of
 * MB of inflated text cost the test a few hundred KB and milliseconds.
 */
export function deflatedRepeat(parts: { text: string | Buffer; times?: number }[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const block = deflateRawSync(p.text, { finishFlush: zlibConstants.Z_FULL_FLUSH });
    for (let i = 0; i < (p.times ?? 1); i++) out.push(block);
  }
  out.push(deflateRawSync(Buffer.alloc(0)));
  return Buffer.concat(out);
}

/**
 * A zip of already deflated entries, each with the uncompressed size its local and central headers declare (an
 * attacker's file may declare anything: `declared`, default the deflated size) and no CRC (the import does not trust
 * it either).
 */
export function rawZip(entries: { name: string; deflated: Buffer; declared?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const declared = e.declared ?? e.deflated.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8); local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(e.deflated.length, 18); local.writeUInt32LE(declared, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14); central.writeUInt32LE(e.deflated.length, 20); central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.deflated);
    centrals.push(central, name);
    offset += 30 + name.length + e.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A workbook of one sheet, written by hand so that its sheet XML (`sheetXml`: raw deflate, e.g. from deflatedRepeat)
 * and the sizes its headers declare can be anything; `sharedStrings` and `styles` likewise when given.
 */
export function handMadeWorkbook(sheet: string, sheetXml: Buffer, o: { declared?: number; sharedStrings?: Buffer; styles?: Buffer } = {}): Buffer {
  const xml = (s: string) => deflateRawSync(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  return rawZip([
    { name: '[Content_Types].xml', deflated: xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    { name: 'xl/workbook.xml', deflated: xml(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', deflated: xml('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
    ...(o.sharedStrings ? [{ name: 'xl/sharedStrings.xml', deflated: o.sharedStrings, declared: o.declared }] : []),
    ...(o.styles ? [{ name: 'xl/styles.xml', deflated: o.styles, declared: o.declared }] : []),
    { name: 'xl/worksheets/sheet1.xml', deflated: sheetXml, declared: o.declared },
  ]);
}

/** A header row of inline strings, as sheet XML. */
export function headerRowXml(columns: readonly string[]): string {
  return `<row r="1">${columns.map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;
}
