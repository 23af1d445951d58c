import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

/** The workbook inflates to more than the limit: a zip bomb, or far more than the row limit could ever need. */
export class InflatedTooLarge extends Error {
  constructor(readonly limit: number) { super(`inflated size over ${limit} bytes`); }
}

/** Not a zip we can account for (no end record, zip64, entries outside the central directory, unknown method…). */
export class UnreadableZip extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry { name: string; offset: number; start: number; compressed: number; uncompressed: number; method: number; descriptor: boolean }

/** What a scan learnt besides the size: merged ranges per sheet name (exceljs' streaming reader ignores merges). */
export interface ZipEntry { name: string; start: number; compressed: number; method: number }
export interface WorkbookScan { inflated: number; merged: { sheet: string; ref: string }[]; entries: Map<string, ZipEntry> }

/**
 * Bounds what a workbook inflates to before anything parses it (exceljs caches shared strings in memory and may write
 * early sheets to temp files, so a zip bomb must be stopped first). Two checks: the sizes the central directory declares
 * (cheap, refuses honest bombs at once), then the bytes each entry *actually* inflates to, counted while inflating and
 * stopped as soon as the sum passes `limit` — declared sizes can lie. The entries must tile the file back to back up to
 * the central directory, so no entry hidden from the directory reaches the streaming reader (it walks local headers).
 * Returns the total inflated size.
 */

const SHEET_ENTRY = /^xl\/worksheets\/[^/]+\.xml$/;
const BOOK_ENTRIES = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']);
// Tags are ASCII, so latin1 decoding finds them whatever the text around them; refs are A1-style ranges.
const MERGE = /<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"/g;

/**
 * The zip's entries from its central directory, refused when the declared sizes pass `limit` or when the entries do
 * not tile the file (no entry hidden from the directory). Inflates nothing: a reader of these entries must count what
 * it inflates itself (imports.xlsx-reader.ts does); scanWorkbook does it for readers that cannot (exceljs).
 */
export async function listEntries(file: string, limit: number): Promise<Map<string, ZipEntry>> {
  return new Map((await directory(file, limit)).map((e) => [e.name, { name: e.name, start: e.start, compressed: e.compressed, method: e.method }]));
}

async function directory(file: string, limit: number): Promise<Entry[]> {
  const fh = await open(file, 'r');
  let entries: Entry[];
  let cdOffset: number;
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) { eocd = i; break; }
    if (eocd < 0) throw new UnreadableZip('no end of central directory');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    cdOffset = tail.readUInt32LE(eocd + 16);
    // zip64 markers: an upload is ≤ 100 MB, so a workbook never needs them.
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff || cdOffset + cdSize > size) throw new UnreadableZip('zip64 or bad directory');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    entries = [];
    let declared = 0;
    for (let p = 0, i = 0; i < count; i++) {
      if (p + 46 > cdSize || cd.readUInt32LE(p) !== CENTRAL) throw new UnreadableZip('bad central directory entry');
      const e: Entry = {
        name: cd.toString('utf8', p + 46, p + 46 + cd.readUInt16LE(p + 28)),
        descriptor: (cd.readUInt16LE(p + 8) & 0x08) !== 0, method: cd.readUInt16LE(p + 10),
        compressed: cd.readUInt32LE(p + 20), uncompressed: cd.readUInt32LE(p + 24), offset: cd.readUInt32LE(p + 42), start: 0,
      };
      if (e.compressed === 0xffffffff || e.uncompressed === 0xffffffff || e.offset === 0xffffffff) throw new UnreadableZip('zip64 entry');
      if (e.method !== 0 && e.method !== 8) throw new UnreadableZip(`compression method ${e.method}`);
      declared += e.uncompressed;
      if (declared > limit) throw new InflatedTooLarge(limit);
      entries.push(e);
      p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    entries.sort((a, b) => a.offset - b.offset);
    let expected = 0;
    const head = Buffer.alloc(30);
    for (const e of entries) {
      if (e.offset !== expected) throw new UnreadableZip('entries do not tile the file');
      await fh.read(head, 0, 30, e.offset);
      if (head.readUInt32LE(0) !== LOCAL) throw new UnreadableZip('bad local header');
      e.start = e.offset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
      expected = e.start + e.compressed;
      if (e.descriptor) {
        // Data descriptor: optional signature, crc, sizes (12 or 16 bytes).
        const d = Buffer.alloc(4);
        await fh.read(d, 0, 4, expected);
        expected += d.readUInt32LE(0) === 0x08074b50 ? 16 : 12;
      }
    }
    if (expected !== cdOffset) throw new UnreadableZip('data after the last entry');
  } finally {
    await fh.close();
  }
  return entries;
}

/** The size bound for a reader that inflates on its own (exceljs), and while inflating, every sheet's merged ranges. */
export async function scanWorkbook(file: string, limit: number): Promise<WorkbookScan> {
  const entries = await directory(file, limit);
  let total = 0;
  const mergedByEntry = new Map<string, Set<string>>();
  const book = new Map<string, string>(); // workbook.xml and its rels, to name the sheets
  for (const e of entries) {
    if (!e.compressed) continue;
    const isSheet = SHEET_ENTRY.test(e.name);
    const isBook = BOOK_ENTRIES.has(e.name);
    let carry = '';
    const look = (chunk: Buffer) => {
      if (isBook) { book.set(e.name, (book.get(e.name) ?? '') + chunk.toString('utf8')); return; }
      if (!isSheet) return;
      const text = carry + chunk.toString('latin1');
      for (const m of text.matchAll(MERGE)) {
        let set = mergedByEntry.get(e.name);
        if (!set) mergedByEntry.set(e.name, (set = new Set()));
        set.add(m[1]!);
      }
      carry = text.slice(-200); // a tag split across two chunks is found in the next window (the Set drops repeats)
    };
    if (e.method === 0) {
      total += e.compressed;
      if (total > limit) throw new InflatedTooLarge(limit);
      if (isSheet || isBook) {
        const fh2 = await open(file, 'r');
        try {
          const b = Buffer.alloc(e.compressed);
          await fh2.read(b, 0, e.compressed, e.start);
          look(b);
        } finally { await fh2.close(); }
      }
      continue;
    }
    total = await new Promise<number>((resolve, reject) => {
      let n = total;
      const src = createReadStream(file, { start: e.start, end: e.start + e.compressed - 1, highWaterMark: 256 * 1024 });
      const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
      const fail = (err: Error) => { src.destroy(); inflate.destroy(); reject(err); };
      inflate.on('data', (chunk: Buffer) => {
        n += chunk.length;
        if (n > limit) fail(new InflatedTooLarge(limit));
        else look(chunk);
      });
      inflate.on('end', () => resolve(n));
      inflate.on('error', (err) => fail(new UnreadableZip(err.message)));
      src.on('error', fail);
      src.pipe(inflate);
    });
  }
  const names = sheetNames(book.get('xl/workbook.xml') ?? '', book.get('xl/_rels/workbook.xml.rels') ?? '');
  const merged = [...mergedByEntry].flatMap(([entry, refs]) => [...refs].map((ref) => ({ sheet: names.get(entry) ?? entry, ref })));
  return { inflated: total, merged, entries: new Map(entries.map((e) => [e.name, { name: e.name, start: e.start, compressed: e.compressed, method: e.method }])) };
}

const attrs = (tag: string) => new Map([...tag.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const));
const unescapeXml = (v: string) => v.replace(/&(lt|gt|quot|apos|amp);/g, (_, k: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[k]!);

/** Sheet entry path (xl/worksheets/sheet1.xml) → the sheet's name, from workbook.xml and its relationships. */
function sheetNames(workbook: string, rels: string): Map<string, string> {
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const a = attrs(m[0]);
    const id = a.get('Id');
    const target = a.get('Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const out = new Map<string, string>();
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const a = attrs(m[0]);
    const rid = [...a].find(([k]) => k.endsWith(':id'))?.[1];
    const name = a.get('name');
    const target = rid ? targets.get(rid) : undefined;
    if (name && target) out.set(target, unescapeXml(name));
  }
  return out;
}
