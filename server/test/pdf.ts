import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfPage { width: number; height: number; text: string; sizes: number[]; links: string[] }

/** Reads a PDF the way a user's viewer does (pdf.js): page sizes, extractable text, font sizes, link annotations. */
export async function readPdf(bytes: Buffer | Uint8Array): Promise<{ pages: PdfPage[]; text: string; title: string | null }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: PdfPage[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const p = await doc.getPage(i);
    const [, , width, height] = p.view as [number, number, number, number];
    const tc = await p.getTextContent();
    const items = tc.items.filter((x): x is typeof x & { str: string; transform: number[] } => 'str' in x);
    const annotations = (await p.getAnnotations()) as { subtype: string; url?: string }[];
    pages.push({
      width, height,
      text: items.map((x) => x.str).join('\n'),
      sizes: items.filter((x) => x.str.trim()).map((x) => Math.hypot(x.transform[0]!, x.transform[1]!)),
      links: annotations.filter((a) => a.subtype === 'Link' && a.url).map((a) => a.url!),
    });
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages, text: pages.map((p) => p.text).join('\n'), title: ((meta.info as { Title?: string }).Title) ?? null };
}
