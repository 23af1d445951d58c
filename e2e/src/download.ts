import type { Download } from 'playwright-core';

/** The bytes of a browser download (playwright keeps them in a temporary file). */
export async function readDownload(d: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await d.createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
