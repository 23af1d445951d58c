import { createReadStream } from 'node:fs';
import { createInflateRaw } from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { ZipEntry } from './imports.zip.ts';

/**
 * A streaming reader of the sheets of an .xlsx, for the import's hot path. exceljs' streaming reader builds a model
 * object per row and cell; for 300,000 rows it took 9.4 s of a 20 s import (twice the raw COPY of the same rows), where
 * inflating the same XML takes 0.5 s. This reader turns <row>/<c> elements straight into the values exceljs would give
 * (`row.values`: 1-based, sparse; strings, numbers, booleans, Dates for date-formatted numbers, `{ formula }`,
 * `{ error }`), so the import's checks are unchanged. It relies on `imports.zip.ts` having checked and listed the
 * entries (sizes bounded, no hidden entries), and reads only what the import needs: workbook, its relationships, shared
 * strings, number formats and the sheets. exceljs remains the writer (templates, exports) and the reader elsewhere.
 */
export type XValue = string | number | boolean | Date | { formula: string } | { error: string } | null | undefined;
export interface XRow { number: number; values: XValue[] }
export interface XSheet extends AsyncIterable<XRow> { name: string }

// Built-in number formats that are dates or times (ECMA-376 Part 1 §18.8.30, and the zh-CN ids 27–36, 50–58).
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** exceljs' rule (utils.isDateFmt): date/time letters outside quoted text and [..] sections. */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function excelToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

/** Column letters of an A1 reference → 1-based index (A → 1, AA → 27). */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + c - 64;
  }
  return n;
}

async function* chunksOf(file: string, e: ZipEntry): AsyncGenerator<Buffer> {
  if (!e.compressed) return;
  const src = createReadStream(file, { start: e.start, end: e.start + e.compressed - 1, highWaterMark: 256 * 1024 });
  if (e.method === 0) { yield* src as AsyncIterable<Buffer>; return; }
  const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
  src.on('error', (err) => inflate.destroy(err));
  yield* src.pipe(inflate) as AsyncIterable<Buffer>;
}

/** Feeds an entry's XML to a fresh saxes parser, yielding after each chunk whatever `collect` gathered. */
async function* parse<T>(file: string, e: ZipEntry, setup: (p: SaxesParser, out: T[]) => void): AsyncGenerator<T> {
  const parser = new SaxesParser();
  const out: T[] = [];
  setup(parser, out);
  const decoder = new TextDecoder('utf-8'); // stream mode: a character split across chunks stays whole
  for await (const chunk of chunksOf(file, e)) {
    parser.write(decoder.decode(chunk, { stream: true }));
    if (out.length) yield* out.splice(0);
  }
  parser.write(decoder.decode());
  parser.close();
  yield* out.splice(0);
}

async function wholeText(file: string, e: ZipEntry | undefined): Promise<string> {
  if (!e) return '';
  const parts: Buffer[] = [];
  for await (const c of chunksOf(file, e)) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const attr = (tag: SaxesTagPlain, name: string): string | undefined => {
  for (const [k, v] of Object.entries(tag.attributes)) if (local(k) === name && (k === name || !k.startsWith('xmlns'))) return v as string;
  return undefined;
};

/** Shared strings (<si>: plain <t> or rich runs; phonetic <rPh> runs are not part of the text). */
async function sharedStrings(file: string, e: ZipEntry | undefined): Promise<string[]> {
  if (!e) return [];
  const all: string[] = [];
  let text = '';
  let inT = false;
  let inPhonetic = false;
  for await (const s of parse<string>(file, e, (p, out) => {
    p.on('opentag', (t) => {
      const n = local(t.name);
      if (n === 'si') text = '';
      else if (n === 't' && !inPhonetic) inT = true;
      else if (n === 'rPh') inPhonetic = true;
    });
    p.on('text', (x) => { if (inT) text += x; });
    p.on('closetag', (t) => {
      const n = local(t.name);
      if (n === 't') inT = false;
      else if (n === 'rPh') inPhonetic = false;
      else if (n === 'si') out.push(text);
    });
  })) all.push(s);
  return all;
}

/** For each cellXfs index: is it a date format? */
async function dateStyles(file: string, e: ZipEntry | undefined): Promise<boolean[]> {
  const xml = await wholeText(file, e);
  const custom = new Map<number, string>();
  const dates: boolean[] = [];
  const p = new SaxesParser();
  let inXfs = false;
  p.on('opentag', (t) => {
    const n = local(t.name);
    if (n === 'numFmt') custom.set(Number(attr(t, 'numFmtId')), attr(t, 'formatCode') ?? '');
    else if (n === 'cellXfs') inXfs = true;
    else if (n === 'xf' && inXfs) {
      const id = Number(attr(t, 'numFmtId') ?? 0);
      dates.push(custom.has(id) ? isDateFormat(custom.get(id)!) : DATE_FORMAT_IDS.has(id));
    }
  });
  p.on('closetag', (t) => { if (local(t.name) === 'cellXfs') inXfs = false; });
  if (xml) p.write(xml).close();
  return dates;
}

/** The sheets in workbook order, each an async iterable of its rows. */
export async function* readSheets(file: string, entries: Map<string, ZipEntry>): AsyncGenerator<XSheet> {
  const book = await wholeText(file, entries.get('xl/workbook.xml'));
  const rels = await wholeText(file, entries.get('xl/_rels/workbook.xml.rels'));
  if (!book) throw new Error('not a workbook: xl/workbook.xml missing');
  const targets = new Map<string, string>();
  const sheets: { name: string; target: string }[] = [];
  let date1904 = false;
  const rp = new SaxesParser();
  rp.on('opentag', (t) => {
    if (local(t.name) !== 'Relationship') return;
    const target = attr(t, 'Target') ?? '';
    targets.set(attr(t, 'Id') ?? '', target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  });
  if (rels) rp.write(rels).close();
  const bp = new SaxesParser();
  bp.on('opentag', (t) => {
    const n = local(t.name);
    if (n === 'workbookPr') date1904 = ['1', 'true'].includes(attr(t, 'date1904') ?? '');
    else if (n === 'sheet') sheets.push({ name: attr(t, 'name') ?? '', target: targets.get(attr(t, 'id') ?? '') ?? '' });
  });
  bp.write(book).close();
  const strings = await sharedStrings(file, entries.get('xl/sharedStrings.xml'));
  const dates = await dateStyles(file, entries.get('xl/styles.xml'));
  for (const s of sheets) {
    const entry = entries.get(s.target);
    if (!entry) continue;
    yield Object.assign(rowsOf(file, entry, strings, dates, date1904), { name: s.name });
  }
}

function rowsOf(file: string, e: ZipEntry, strings: string[], dates: boolean[], date1904: boolean): AsyncIterable<XRow> {
  return {
    [Symbol.asyncIterator]: () => parse<XRow>(file, e, (p, out) => {
      let row: XRow | null = null;
      let nextRow = 1;
      let col = 0;
      let type = 'n';
      let style = 0;
      let value = '';
      let formula: string | null = null;
      let inV = false;
      let inT = false;
      let inF = false;
      let inPhonetic = false;
      p.on('opentag', (t) => {
        switch (local(t.name)) {
          case 'row': {
            const r = Number(attr(t, 'r'));
            row = { number: r > 0 ? r : nextRow, values: [] };
            nextRow = row.number + 1;
            col = 0;
            break;
          }
          case 'c': {
            const ref = attr(t, 'r');
            col = ref ? columnOf(ref) : col + 1;
            type = attr(t, 't') ?? 'n';
            style = Number(attr(t, 's') ?? 0);
            value = '';
            formula = null;
            break;
          }
          case 'v': inV = true; break;
          case 't': if (!inPhonetic) inT = true; break;
          case 'rPh': inPhonetic = true; break;
          case 'f': inF = true; formula = ''; break;
        }
      });
      p.on('text', (x) => {
        if (inV || inT) value += x;
        else if (inF) formula += x;
      });
      p.on('closetag', (t) => {
        switch (local(t.name)) {
          case 'v': inV = false; break;
          case 't': inT = false; break;
          case 'rPh': inPhonetic = false; break;
          case 'f': inF = false; break;
          case 'c': {
            if (!row || col < 1) break;
            let v: XValue;
            if (formula !== null) v = { formula };
            else if (type === 's') v = strings[Number(value)] ?? '';
            else if (type === 'inlineStr' || type === 'str') v = value;
            else if (type === 'b') v = value === '1' || value === 'true';
            else if (type === 'e') v = { error: value };
            else if (type === 'd') v = value ? new Date(value) : null;
            else if (value === '') v = null;
            else {
              const n = Number(value);
              v = dates[style] && Number.isFinite(n) ? excelToDate(n, date1904) : n;
            }
            if (v !== null) row.values[col] = v;
            break;
          }
          case 'row':
            if (row) out.push(row);
            row = null;
            break;
        }
      });
    }),
  };
}
