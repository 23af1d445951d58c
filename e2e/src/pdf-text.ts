import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of a PDF as a reader's copy would give it: each page's text items joined, pages separated by a newline. */
export async function pdfText(bytes: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const tc = await (await doc.getPage(i)).getTextContent();
    parts.push(tc.items.map((x) => ('str' in x ? x.str : '')).join(''));
  }
  await doc.destroy();
  return parts.join('\n');
}
