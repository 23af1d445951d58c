import { open } from 'node:fs/promises';

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

/** An entry as the reader needs it: where its data starts, its compressed size and method. */
export interface ZipEntry { name: string; start: number; compressed: number; method: number }

/**
 * The zip's entries from its central directory, refused when the declared sizes pass `limit` or when the entries do
 * not tile the file (no entry hidden from the directory). Inflates nothing: a reader of these entries must count what
 * it inflates itself (imports.xlsx-reader.ts does, stopping as soon as the sum passes `limit`: declared sizes can lie).
 * The entries must tile the file back to back up to the central directory, so nothing hidden from the directory is read.
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
