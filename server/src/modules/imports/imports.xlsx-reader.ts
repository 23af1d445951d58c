import { createReadStream } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createInflateRaw } from 'node:zlib';
import { importLimits } from './imports.limits.ts';
import { InflatedTooLarge, type ZipEntry } from './imports.zip.ts';

/**
 * A streaming reader of the sheets of an .xlsx, for the import's hot path. exceljs' streaming reader builds a model
 * object per row and cell; for 300,000 rows it took 9.4 s of a 20 s import (twice the raw COPY of the same rows), where
 * inflating the same XML takes 0.5 s. This reader turns <row>/<c> elements straight into the values exceljs would give
 * (`row.values`: 1-based, sparse; strings, numbers, booleans, Dates for date-formatted numbers, `{ formula }`,
 * `{ error }`), so the import's checks are unchanged. It relies on `imports.zip.ts` having checked and listed the
 * entries (sizes bounded, no hidden entries), and reads only what the import needs: workbook, its relationships, shared
 * strings, number formats and the sheets. exceljs remains the writer (templates, exports) and the reader elsewhere.
 *
 * A workbook is hostile input: a 491 KB upload once declared one 503-million-character cell with no </row>. So every
 * byte inflated is counted (the zip's declared sizes are not trusted), what the reader holds is bounded (a cell, a row
 * not yet ended, a part read whole, the shared strings: `importLimits`), every search is linear (the text of a row is
 * searched once, not once per chunk; no pattern scans past the next tag that cannot belong to its match), and the event
 * loop gets a turn after each inflated chunk. Over a bound the reader throws `Oversized` at once, naming the sheet row.
 */
export type XValue = string | number | boolean | Date | { formula: string } | { error: string } | null | undefined;
export interface XRow { number: number; values: XValue[] }
/** A sheet's rows; `merged` lists its merged ranges (A2:A4), complete once the rows have been read. */
export interface XSheet extends AsyncIterable<XRow> { name: string; merged: string[] }

/** The file and what may still be inflated from it: every entry read counts against one bound (zip bombs). */
interface Source { file: string; left: number; limit: number }

/** Excel's own sheet size: a workbook beyond it was not written by a spreadsheet. */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

/**
 * Content over one of the reader's bounds, thrown as soon as it is passed: `cell` (a value over maxCellChars; `sheet`
 * is '' for a shared string), `row` (not ended within maxRowChars, or past Excel's last column), `rows` (past Excel's
 * last row), `sheet` (sheet XML outside any row over maxRowChars), `part` (a part read whole over maxPartBytes, shared
 * strings over maxSharedChars; `sheet` is then the part's name in the zip).
 */
export class Oversized extends Error {
  constructor(readonly what: 'cell' | 'row' | 'rows' | 'sheet' | 'part', readonly sheet: string, readonly row = 0) {
    super(`${what} over the reader's bound: ${sheet} ${row}`);
  }
}

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

/**
 * An entry's bytes as they are inflated, at most 256 KB at a time, each chunk counted as it is produced against the
 * workbook's bound and against `cap` (this entry's own), whatever the zip's headers declare; the chunk that passes a
 * bound destroys the streams (the inflater stops there). The event loop gets a turn after each chunk: other requests
 * are answered while a large workbook is read.
 */
async function* chunksOf(source: Source, e: ZipEntry, cap = Infinity): AsyncGenerator<Buffer> {
  if (!e.compressed) return;
  const src = createReadStream(source.file, { start: e.start, end: e.start + e.compressed - 1, highWaterMark: 256 * 1024 });
  const inflate = e.method !== 0 ? createInflateRaw({ chunkSize: 256 * 1024 }) : null;
  if (inflate) src.on('error', (err) => inflate.destroy(err));
  let read = 0;
  try {
    for await (const chunk of (inflate ? src.pipe(inflate) : src) as AsyncIterable<Buffer>) {
      source.left -= chunk.length;
      read += chunk.length;
      if (source.left < 0) throw new InflatedTooLarge(source.limit);
      if (read > cap) throw new Oversized('part', e.name);
      yield chunk;
      await nextTurn();
    }
  } finally {
    inflate?.destroy();
    src.destroy();
  }
}

/**
 * The XML of sheets and shared strings is machine-written and regular, so it is tokenized with one regular expression
 * instead of a character-by-character XML parser (saxes took longer than exceljs itself: ~8 million events for 300,000
 * rows). `onTag(name, attrs, kind)` gets the local name, the raw attribute text and open/close/empty; `onText` gets
 * entity-decoded text. Chunks are cut after the last '>' so no tag is split. No alternative reads past a '<' that
 * cannot be inside it (XML allows no '<' in attribute values), so a failed match costs the text up to the next tag,
 * never the rest of the text: `<a<a<a…` is linear, not quadratic.
 */
type TagKind = 'open' | 'close' | 'empty';
const TOKEN = /<(\/?)([A-Za-z_][\w.:-]*)((?:[^<>"']|"[^<"]*"|'[^<']*')*?)(\/?)>|<[^<>]*>|([^<]+)/g;
const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (_, e: string) => (e[0] === '#'
    ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
    : NAMED[e]!));
}

type OnTag = (name: string, attrs: string, kind: TagKind) => void;
type OnText = (t: string) => void;

function tokenize(text: string, onTag: OnTag, onText: OnText) {
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    if (m[5] !== undefined) { onText(decodeEntities(m[5])); continue; }
    if (m[2] === undefined) continue; // <?xml …?>, comments, <!DOCTYPE>: nothing for us
    const colon = m[2].indexOf(':');
    onTag(colon < 0 ? m[2] : m[2].slice(colon + 1), m[3]!, m[1] ? 'close' : m[4] ? 'empty' : 'open');
  }
}

async function* parse<T>(source: Source, e: ZipEntry, setup: (on: { tag: (f: (name: string, attrs: string, kind: TagKind) => void) => void; text: (f: (t: string) => void) => void }, out: T[]) => void): AsyncGenerator<T> {
  let onTag: OnTag = () => {};
  let onText: OnText = () => {};
  const out: T[] = [];
  setup({ tag: (f) => { onTag = f; }, text: (f) => { onText = f; } }, out);
  const decoder = new TextDecoder('utf-8'); // stream mode: a character split across chunks stays whole
  let rest = '';
  const run = (text: string) => tokenize(text, onTag, onText);
  for await (const chunk of chunksOf(source, e)) {
    const fresh = decoder.decode(chunk, { stream: true });
    const cut = fresh.lastIndexOf('>') + 1; // searched in the new text only: a '>' that never comes costs one pass
    if (!cut) {
      rest += fresh;
      if (rest.length > importLimits.maxRowChars) throw new Oversized('part', e.name);
      continue;
    }
    const text = rest + fresh.slice(0, cut);
    rest = fresh.slice(cut);
    run(text);
    if (out.length) yield* out.splice(0);
  }
  run(rest + decoder.decode());
  yield* out.splice(0);
}

/** One attribute's value from a tag's raw attribute text (namespace prefixes ignored). */
function attrOf(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}=(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? decodeEntities(m[1] ?? m[2]!) : undefined;
}
const R_ATTR = /(?:^|\s)r=["']([^"']*)["']/;
const T_ATTR = /(?:^|\s)t=["']([^"']*)["']/;
const S_ATTR = /(?:^|\s)s=["']([^"']*)["']/;

async function wholeText(source: Source, e: ZipEntry | undefined): Promise<string> {
  if (!e) return '';
  const parts: Buffer[] = [];
  for await (const c of chunksOf(source, e, importLimits.maxPartBytes)) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}


/**
 * Shared strings (<si>: plain <t> or rich runs; phonetic <rPh> runs are not part of the text). Held for the whole job:
 * each string within a cell's bound, all of them within maxSharedChars.
 */
async function sharedStrings(source: Source, e: ZipEntry | undefined): Promise<string[]> {
  if (!e) return [];
  const all: string[] = [];
  let text = '';
  let inT = false;
  let inPhonetic = false;
  let total = 0;
  for await (const s of parse<string>(source, e, (on, out) => {
    on.tag((n, _a, kind) => {
      if (kind === 'empty') { if (n === 'si') out.push(''); return; }
      const open = kind === 'open';
      if (n === 'si') { if (open) text = ''; else out.push(text); }
      else if (n === 't') inT = open && !inPhonetic;
      else if (n === 'rPh') inPhonetic = open;
    });
    on.text((x) => {
      if (!inT) return;
      text += x;
      if (text.length > importLimits.maxCellChars) throw new Oversized('cell', '');
    });
  })) {
    total += s.length;
    if (total > importLimits.maxSharedChars) throw new Oversized('part', e.name);
    all.push(s);
  }
  return all;
}

/** For each cellXfs index: is it a date format? */
async function dateStyles(source: Source, e: ZipEntry | undefined): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const dates: boolean[] = [];
  let inXfs = false;
  tokenize(await wholeText(source, e), (n, attrs, kind) => {
    if (n === 'numFmt' && kind !== 'close') custom.set(Number(attrOf(attrs, 'numFmtId')), attrOf(attrs, 'formatCode') ?? '');
    else if (n === 'cellXfs') inXfs = kind === 'open';
    else if (n === 'xf' && inXfs && kind !== 'close') {
      const id = Number(attrOf(attrs, 'numFmtId') ?? 0);
      dates.push(custom.has(id) ? isDateFormat(custom.get(id)!) : DATE_FORMAT_IDS.has(id));
    }
  }, () => {});
  return dates;
}

/** The sheets in workbook order, each an async iterable of its rows. */
/**
 * The sheets in workbook order, each an async iterable of its rows. `entries` come from imports.zip.ts listEntries
 * (directory checked); everything inflated here counts against `limit`, so a zip bomb stops with InflatedTooLarge.
 */
export async function* readSheets(file: string, entries: Map<string, ZipEntry>, limit: number): AsyncGenerator<XSheet> {
  const source: Source = { file, left: limit, limit };
  const book = await wholeText(source, entries.get('xl/workbook.xml'));
  if (!book) throw new Error('not a workbook: xl/workbook.xml missing');
  const targets = new Map<string, string>();
  tokenize(await wholeText(source, entries.get('xl/_rels/workbook.xml.rels')), (n, attrs, kind) => {
    if (n !== 'Relationship' || kind === 'close') return;
    const target = attrOf(attrs, 'Target') ?? '';
    targets.set(attrOf(attrs, 'Id') ?? '', target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }, () => {});
  const sheets: { name: string; target: string }[] = [];
  let date1904 = false;
  tokenize(book, (n, attrs, kind) => {
    if (kind === 'close') return;
    if (n === 'workbookPr') date1904 = ['1', 'true'].includes(attrOf(attrs, 'date1904') ?? '');
    else if (n === 'sheet') sheets.push({ name: attrOf(attrs, 'name') ?? '', target: targets.get(attrOf(attrs, 'id') ?? '') ?? '' });
  }, () => {});
  const strings = await sharedStrings(source, entries.get('xl/sharedStrings.xml'));
  const dates = await dateStyles(source, entries.get('xl/styles.xml'));
  for (const s of sheets) {
    const entry = entries.get(s.target);
    if (!entry) continue;
    const merged: string[] = [];
    yield Object.assign(rowsOf(source, entry, s.name, strings, dates, date1904, merged), { name: s.name, merged });
  }
}

// One match per row start, row end or whole cell (a cell's XML is short and never nested), so a 300,000-row sheet costs
// ~3 million matches rather than one callback per tag and text. Namespace prefixes (<x:c>) are allowed. Linear on any
// input: attributes stop at '<'; a cell's content is runs of text between tags other than <c, </c, <row, </row (which
// no cell contains; "unrolled", so a run is taken whole and never split two ways on backtracking), so an unclosed <c>
// costs the text up to the next cell, not the rest of the sheet.
const SHEET = /<(?:\w+:)?row\b((?:[^<>"']|"[^<"]*"|'[^<']*')*?)(\/?)>|<\/(?:\w+:)?row>|<(?:\w+:)?c\b((?:[^<>"']|"[^<"]*"|'[^<']*')*?)(?:\/>|>([^<]*(?:<(?!\/?(?:\w+:)?(?:c|row)\b)[^<]*)*)<\/(?:\w+:)?c>)/g;
const V = /<(?:\w+:)?v\b[^<>]*>([^<]*)<\/(?:\w+:)?v>/;
const F = /<(?:\w+:)?f\b[^<>]*?(?:\/>|>([^<]*)<\/(?:\w+:)?f>)/;
const T = /<(?:\w+:)?t\b[^<>]*?(?:\/>|>([^<]*)<\/(?:\w+:)?t>)/g;
const PHONETIC = /<(?:\w+:)?rPh\b[^<]*(?:<(?!\/?(?:\w+:)?rPh\b)[^<]*)*<\/(?:\w+:)?rPh>/g;
const ROW_END = /<\/(?:\w+:)?row>/g;
/** Longest </row> searched for across a chunk boundary (prefix included). */
const ROW_END_MAX = 64;
const ROW_START = /<(?:\w+:)?row\b([^<>]*)/;
// <mergeCells> follows <sheetData>, so it is in the text after the last row.
const MERGE_REF = /<(?:\w+:)?mergeCell\b[^<>]*?\bref=["']([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)["']/g;

/** The last `n` characters of the held parts. */
function tailOf(parts: string[], n: number): string {
  let s = '';
  for (let i = parts.length - 1; i >= 0 && s.length < n; i--) s = parts[i] + s;
  return s.slice(-n);
}

/** The characters of a cell's value (a formula's text, an error value's code). */
function lengthOf(v: XValue): number {
  if (typeof v === 'string') return v.length;
  if (v && typeof v === 'object' && !(v instanceof Date)) return 'formula' in v ? v.formula.length : v.error.length;
  return 0;
}

function rowsOf(source: Source, e: ZipEntry, sheet: string, strings: string[], dates: boolean[], date1904: boolean, merged: string[]): AsyncIterable<XRow> {
  const cellValue = (attrs: string, inner: string | undefined): XValue => {
    if (!inner) return null; // <c r="B2" s="1"/>: styled but empty, absent as in exceljs
    const f = F.exec(inner);
    if (f) return { formula: decodeEntities(f[1] ?? '') };
    const type = T_ATTR.exec(attrs)?.[1] ?? 'n';
    if (type === 'inlineStr') {
      let text = '';
      const runs = inner.includes('rPh') ? inner.replace(PHONETIC, '') : inner;
      T.lastIndex = 0;
      for (let m = T.exec(runs); m; m = T.exec(runs)) text += m[1] ?? '';
      return decodeEntities(text);
    }
    const raw = V.exec(inner)?.[1];
    if (raw === undefined || raw === '') return type === 'str' ? '' : null;
    const value = decodeEntities(raw);
    switch (type) {
      case 's': return strings[Number(value)] ?? '';
      case 'str': return value;
      case 'b': return value === '1' || value === 'true';
      case 'e': return { error: value };
      case 'd': return new Date(value);
      default: {
        const n = Number(value);
        const style = Number(S_ATTR.exec(attrs)?.[1] ?? 0);
        return dates[style] && Number.isFinite(n) ? excelToDate(n, date1904) : n;
      }
    }
  };
  return {
    async *[Symbol.asyncIterator]() {
      const decoder = new TextDecoder('utf-8'); // stream mode: a character split across chunks stays whole
      let row: XRow | null = null;
      let nextRow = 1;
      let rows = 0;
      let col = 0;
      const out: XRow[] = [];
      const run = (text: string) => {
        SHEET.lastIndex = 0;
        for (let m = SHEET.exec(text); m; m = SHEET.exec(text)) {
          if (m[3] !== undefined) { // a cell
            if (!row) continue;
            const ref = R_ATTR.exec(m[3])?.[1];
            col = ref ? columnOf(ref) : col + 1;
            if (col > MAX_COLUMNS) throw new Oversized('row', sheet, row.number);
            const v = cellValue(m[3], m[4]);
            if (lengthOf(v) > importLimits.maxCellChars) throw new Oversized('cell', sheet, row.number);
            if (v !== null && col > 0) row.values[col] = v;
          } else if (m[0].charCodeAt(1) === 47) { // </row>
            if (row) out.push(row);
            row = null;
          } else { // <row …> or <row …/>
            const r = Number(R_ATTR.exec(m[1]!)?.[1]);
            row = { number: r > 0 ? r : nextRow, values: [] };
            if (row.number > MAX_ROWS || ++rows > MAX_ROWS) throw new Oversized('rows', sheet, row.number);
            nextRow = row.number + 1;
            col = 0;
            if (m[2]) { out.push(row); row = null; }
          }
        }
      };
      // Text after the last </row> seen: the row not yet ended (or what precedes the first row or follows the last).
      // Only new text is searched for </row>, and the held text is joined once, when its row ends: linear in the
      // sheet's size whatever its rows' lengths. Held past maxRowChars, the row is refused there and then.
      const held: string[] = [];
      let heldChars = 0;
      const refuse = (): Oversized => {
        let head = '';
        for (const part of held) { if (head.length >= 64 * 1024) break; head += part; }
        const start = ROW_START.exec(head.slice(0, 64 * 1024));
        if (!start) return new Oversized('sheet', sheet);
        const r = Number(R_ATTR.exec(start[1]!)?.[1]);
        return new Oversized('row', sheet, r > 0 ? r : nextRow);
      };
      for await (const chunk of chunksOf(source, e)) {
        const fresh = decoder.decode(chunk, { stream: true });
        const overlap = held.length ? tailOf(held, ROW_END_MAX) : '';
        const probe = overlap + fresh;
        let cut = -1;
        ROW_END.lastIndex = 0;
        for (let m = ROW_END.exec(probe); m; m = ROW_END.exec(probe)) cut = m.index + m[0].length;
        if (cut < 0) {
          held.push(fresh);
          heldChars += fresh.length;
        } else {
          const text = held.join('') + fresh;
          const at = heldChars - overlap.length + cut;
          run(text.slice(0, at));
          held.length = 0;
          held.push(text.slice(at));
          heldChars = held[0]!.length;
        }
        if (heldChars > importLimits.maxRowChars) throw refuse();
        if (out.length) yield* out.splice(0);
      }
      const tail = held.join('') + decoder.decode();
      run(tail);
      MERGE_REF.lastIndex = 0;
      for (let m = MERGE_REF.exec(tail); m; m = MERGE_REF.exec(tail)) merged.push(m[1]!);
      yield* out.splice(0);
    },
  };
}
