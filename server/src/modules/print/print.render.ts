import PDFDocument from 'pdfkit';
import { fontBuffer, SVG_FONT_FAMILY } from '../../lib/print-font.ts';
import type { MapItem, MapLayout } from './link-map.layout.ts';

export interface PdfMeta { title: string; subject: string }

/** A pdfkit document with the print font registered (text stays extractable: pdfkit writes a ToUnicode map). */
export function newPdf(meta: PdfMeta): PDFKit.PDFDocument {
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: meta.title, Subject: meta.subject, Author: '济源示范区党群连心工程', Creator: 'LianXin 连心' } });
  doc.registerFont('regular', fontBuffer('regular'));
  doc.registerFont('bold', fontBuffer('bold'));
  return doc;
}

export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

function drawItem(doc: PDFKit.PDFDocument, it: MapItem) {
  if (it.t === 'rect') {
    doc.rect(it.x, it.y, it.w, it.h);
    if (it.fill && it.stroke) doc.lineWidth(0.6).fillAndStroke(it.fill, it.stroke);
    else if (it.fill) doc.fill(it.fill);
    else if (it.stroke) doc.lineWidth(0.6).stroke(it.stroke);
    return;
  }
  doc.font(it.weight).fontSize(it.size).fillColor(it.color);
  const x = it.anchor === 'middle' ? it.x - doc.widthOfString(it.text) / 2 : it.x;
  doc.text(it.text, x, it.y, { lineBreak: false, baseline: 'alphabetic' });
}

export async function renderMapPdf(layout: MapLayout, meta: PdfMeta): Promise<Buffer> {
  const doc = newPdf(meta);
  for (const p of layout.pages) {
    doc.addPage({ size: [layout.spec.width, layout.spec.height], margin: 0 });
    for (const it of p.items) drawItem(doc, it);
  }
  return pdfBuffer(doc);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (n: number) => Math.round(n * 100) / 100;

/** Every page of the layout stacked in one SVG (a gap between pages), for the browser. Text is escaped, never markup. */
export function renderMapSvg(layout: MapLayout, title: string): string {
  const { width, height } = layout.spec;
  const gap = 16;
  const total = layout.pages.length * height + (layout.pages.length - 1) * gap;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(width)} ${num(total)}" width="${num(width)}" height="${num(total)}" font-family="${esc(SVG_FONT_FAMILY)}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
  ];
  layout.pages.forEach((p, i) => {
    out.push(`<g transform="translate(0 ${num(i * (height + gap))})">`, `<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="#fff" stroke="#d9d9d9"/>`);
    for (const it of p.items) {
      if (it.t === 'rect') {
        out.push(`<rect x="${num(it.x)}" y="${num(it.y)}" width="${num(it.w)}" height="${num(it.h)}" fill="${it.fill ?? 'none'}"${it.stroke ? ` stroke="${it.stroke}" stroke-width="0.6"` : ''}/>`);
      } else {
        out.push(`<text x="${num(it.x)}" y="${num(it.y)}" font-size="${it.size}"${it.weight === 'bold' ? ' font-weight="700"' : ''} fill="${it.color}"${it.anchor === 'middle' ? ' text-anchor="middle"' : ''}>${esc(it.text)}</text>`);
      }
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}
