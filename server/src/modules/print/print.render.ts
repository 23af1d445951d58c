import PDFDocument from 'pdfkit';
import { fontBuffer, SVG_FONT_FAMILY } from '../../lib/print-font.ts';
import type { MapItem, MapLayout } from './link-map.layout.ts';

/** `synthetic`: the document shows demo data — every page then carries the 演示数据 mark (pdfBuffer draws it). */
export interface PdfMeta { title: string; subject: string; synthetic: boolean }

export const DEMO_MARK = '演示数据';
const DEMO_BAND = '演示数据 · 合成的演示信息，并非真实人员和联系方式，请勿张贴或使用';
const demoDocs = new WeakSet<PDFKit.PDFDocument>();

/** A pdfkit document with the print font registered (text stays extractable: pdfkit writes a ToUnicode map). */
export function newPdf(meta: PdfMeta): PDFKit.PDFDocument {
  // Pages stay buffered so the demo mark can be drawn last, over the content (a filled box would hide one drawn first).
  const doc = new PDFDocument({
    autoFirstPage: false, margin: 0, bufferPages: true,
    info: { Title: meta.synthetic ? `${meta.title}（${DEMO_MARK}）` : meta.title, Subject: meta.subject, Author: '济源示范区党群连心工程', Creator: 'LianXin 连心' },
  });
  doc.registerFont('regular', fontBuffer('regular'));
  doc.registerFont('bold', fontBuffer('bold'));
  if (meta.synthetic) demoDocs.add(doc);
  return doc;
}

/**
 * 演示数据 on a page: a band of text in the top margin and large translucent diagonal words across the page, so a
 * printed sheet made from demo data cannot pass for a real one (pdf.js and copy-paste read the words too).
 */
function stampDemo(doc: PDFKit.PDFDocument) {
  const { width, height } = doc.page;
  doc.save();
  doc.font('bold').fontSize(10.5).fillColor('#a8071a').fillOpacity(1); // 五号, like the body: the mark is read, not decoration
  doc.text(DEMO_BAND, 0, 22, { width, align: 'center', lineBreak: false, baseline: 'alphabetic' });
  const size = Math.min(width, height) / 5;
  doc.font('bold').fontSize(size).fillColor('#a8071a').fillOpacity(0.12);
  const w = doc.widthOfString(DEMO_MARK);
  for (const fy of [0.3, 0.7]) {
    const cx = width / 2, cy = height * fy;
    doc.save().rotate(-30, { origin: [cx, cy] });
    doc.text(DEMO_MARK, cx - w / 2, cy + size / 3, { lineBreak: false, baseline: 'alphabetic' });
    doc.restore();
  }
  doc.restore();
}

export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  if (demoDocs.has(doc)) {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      stampDemo(doc);
    }
  }
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

/**
 * Every page of the layout stacked in one SVG (a gap between pages), for the browser. Text is escaped, never markup.
 * Demo data carries the same 演示数据 mark as the PDF (the sheet can be printed from the browser too).
 */
export function renderMapSvg(layout: MapLayout, title: string, synthetic = false): string {
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
    if (synthetic) {
      const size = num(Math.min(width, height) / 5);
      out.push(`<text x="${num(width / 2)}" y="22" font-size="10.5" font-weight="700" fill="#a8071a" text-anchor="middle" dominant-baseline="hanging">${esc(DEMO_BAND)}</text>`);
      for (const fy of [0.3, 0.7]) {
        const cx = num(width / 2), cy = num(height * fy);
        out.push(`<text x="${cx}" y="${cy}" font-size="${size}" font-weight="700" fill="#a8071a" fill-opacity="0.12" text-anchor="middle" dominant-baseline="middle" transform="rotate(-30 ${cx} ${cy})">${DEMO_MARK}</text>`);
      }
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}
