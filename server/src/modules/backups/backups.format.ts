import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/**
 * The backup file (`lianxin-<Shanghai time>.lxbackup.gz`): gzip whose text is
 *
 *   LIANXIN-BACKUP 1 {manifest JSON}\n
 *   TABLE <name>\n  <the table's rows exactly as COPY … TO STDOUT wrote them>  \.\n     (once per table, in load order)
 *   END\n
 *
 * The manifest comes first so a listing reads a few bytes (it is written as its own gzip member in front of the data,
 * which is why the dump is staged in a second file). COPY's text format escapes newlines and backslashes inside
 * values, so every row is one line and `\.` alone on a line can only be the end of a table.
 */
export const BACKUP_FORMAT = 1;
export const BACKUP_MAGIC = 'LIANXIN-BACKUP';
export const BACKUP_SUFFIX = '.lxbackup.gz';
/** Anything still being written ends with this; a kill -9 leaves it behind, never a name that looks complete. */
export const PARTIAL_SUFFIX = '.partial';

export interface TableManifest {
  name: string;
  /** The stored columns dumped (generated columns are left out: the database computes them again). */
  columns: string[];
  rows: number;
  /** SHA-256 (hex) of the table's COPY text, rows in primary-key order. */
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** The latest migration applied when the backup was taken (drizzle journal tag). */
  migration: string;
  serverVersion: string;
  /** In load order: a table comes after the tables its foreign keys point at. */
  tables: TableManifest[];
  /** Sequence positions (bigserial ids), so restored ids keep counting from where they were. */
  sequences: { name: string; lastValue: number }[];
}

export class BackupFileError extends Error {}

export interface BackupSink {
  table(name: string): Promise<void> | void;
  rows(chunk: Buffer): Promise<void> | void;
  endTable(): Promise<void> | void;
}

function parseHeader(line: string): BackupManifest {
  const prefix = `${BACKUP_MAGIC} ${BACKUP_FORMAT} `;
  if (!line.startsWith(prefix)) throw new BackupFileError('不是连心备份文件（或版本不支持）');
  try {
    const m = JSON.parse(line.slice(prefix.length)) as BackupManifest;
    if (m.format !== BACKUP_FORMAT || !Array.isArray(m.tables) || typeof m.migration !== 'string') throw new Error();
    return m;
  } catch {
    throw new BackupFileError('备份文件的清单已损坏');
  }
}

/** Only the manifest: reads the first line and stops (listings). */
export async function readManifest(file: string): Promise<BackupManifest> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.pipe(gunzip);
  const parts: Buffer[] = [];
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const nl = chunk.indexOf(10);
      if (nl >= 0) {
        parts.push(chunk.subarray(0, nl));
        return parseHeader(Buffer.concat(parts).toString('utf8'));
      }
      parts.push(chunk);
      if (parts.reduce((n, p) => n + p.length, 0) > 16 << 20) break;
    }
  } catch (e) {
    if (e instanceof BackupFileError) throw e;
    throw new BackupFileError(`备份文件无法读取：${(e as Error).message}`);
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  throw new BackupFileError('备份文件不完整（没有清单）');
}

/**
 * Reads the whole file: the manifest, then each table's rows handed to `sink` in whole lines. Throws BackupFileError
 * on anything out of shape (truncated gzip, missing END, text outside a table).
 */
export async function readBackup(file: string, onManifest: (m: BackupManifest) => BackupSink | Promise<BackupSink>): Promise<BackupManifest> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  let manifest: BackupManifest | null = null;
  let sink: BackupSink | null = null;
  let inTable = false;
  let ended = false;
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const raw of gunzip as AsyncIterable<Buffer>) {
      const buf = carry.length ? Buffer.concat([carry, raw]) : raw;
      let pos = 0;
      let rowsFrom = -1;
      for (;;) {
        const nl = buf.indexOf(10, pos);
        if (nl < 0) break;
        if (ended) throw new BackupFileError('备份文件在 END 之后还有内容');
        if (inTable) {
          if (nl - pos === 2 && buf[pos] === 0x5c && buf[pos + 1] === 0x2e) {
            if (rowsFrom >= 0) await sink!.rows(buf.subarray(rowsFrom, pos));
            rowsFrom = -1;
            inTable = false;
            await sink!.endTable();
          } else if (rowsFrom < 0) {
            rowsFrom = pos;
          }
        } else {
          const line = buf.toString('utf8', pos, nl);
          if (!manifest) {
            manifest = parseHeader(line);
            sink = await onManifest(manifest);
          } else if (line.startsWith('TABLE ')) {
            inTable = true;
            await sink!.table(line.slice(6));
          } else if (line === 'END') {
            ended = true;
          } else {
            throw new BackupFileError('备份文件格式错误');
          }
        }
        pos = nl + 1;
      }
      if (inTable && rowsFrom >= 0) await sink!.rows(buf.subarray(rowsFrom, pos));
      carry = Buffer.from(buf.subarray(pos));
      if (!inTable && carry.length > 16 << 20) throw new BackupFileError('备份文件格式错误');
    }
  } catch (e) {
    if (e instanceof BackupFileError) throw e;
    throw new BackupFileError(`备份文件已损坏或不完整：${(e as Error).message}`);
  } finally {
    input.destroy();
  }
  if (!manifest || !ended || carry.length) throw new BackupFileError('备份文件不完整（缺少结尾）');
  return manifest;
}
