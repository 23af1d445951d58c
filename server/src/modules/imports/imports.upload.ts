import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, errors } from '../../errors.ts';
import { importLimits } from './imports.limits.ts';

export interface Upload { path: string; size: number; owned: boolean }

const tooLarge = () => new AppError('payload_too_large', `文件超过 ${Math.round(importLimits.maxBytes / 1024 / 1024)} MB，请拆分后分批导入`);

/**
 * The body of an xlsx upload, streamed to a private temp file (never held in memory). Over the size limit: 413 —
 * by the declared length before reading, or as soon as the bytes pass it. Not a zip (xlsx is one): 400.
 */
export async function receiveUpload(body: NodeJS.ReadableStream, declaredLength: string | undefined): Promise<Upload> {
  if (declaredLength && Number(declaredLength) > importLimits.maxBytes) throw tooLarge();
  const file = path.join(tmpdir(), `lianxin-import-${randomUUID()}.xlsx`);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > importLimits.maxBytes) cb(tooLarge());
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    const fh = await open(file, 'r');
    const head = Buffer.alloc(4);
    try { await fh.read(head, 0, 4, 0); } finally { await fh.close(); }
    // Local file header signature PK\x03\x04: every xlsx (OOXML) is a zip starting with one.
    if (size < 4 || head.readUInt32LE(0) !== 0x04034b50) throw errors.validation('文件不是有效的 Excel（.xlsx）工作簿');
    return { path: file, size, owned: false };
  } catch (e) {
    await rm(file, { force: true });
    throw e;
  }
}
