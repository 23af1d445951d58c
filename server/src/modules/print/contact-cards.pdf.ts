import QRCode from 'qrcode';
import { ascent, fitText, textWidth } from '../../lib/print-font.ts';
import { newPdf, pdfBuffer } from './print.render.ts';

/**
 * `memberTitle`: 联户党员, or 联户志愿者 etc. for a helper holding the link (print.service.ts holderTitle). `group`: the
 * member's 一群 (微信群 name and its join QR as PNG) when they recorded one.
 */
export interface CardContent {
  constituent: string; address: string; member: string; memberTitle: string; workPhone: string | null; branch: string; url: string;
  group?: { name: string; qr: Buffer | null } | null;
}

// 名片 size 90 × 54 mm (GB/T 13316 common card), 2 × 4 per A4 portrait page with a title line and page numbers.
const MM = 72 / 25.4;
const PAGE = { w: 595.28, h: 841.89 };
const CARD = { w: 90 * MM, h: 54 * MM };
const COLS = 2;
const ROWS = 4;
const LEFT = (PAGE.w - COLS * CARD.w) / 2;
const TOP = 72;
const QR = 78;
/** With a 一群 QR the two codes share the right column, one above the other. */
const QR_PAIR = 56;
const PAD = 9;
const RED = '#a8071a';

/** The QR as vector squares (crisp at any printer resolution), one rectangle per horizontal run of dark modules. */
export function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number) {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) { c++; continue; }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      doc.rect(x + (quiet + start) * cell, y + (quiet + r) * cell, (c - start) * cell + 0.05, cell + 0.05);
    }
  }
  doc.fill('#000');
  // A link over the code too: the PDF opened on a screen can be clicked, and the URL is machine-readable.
  doc.link(x, y, size, size, url);
}

function line(doc: PDFKit.PDFDocument, s: string, x: number, top: number, size: number, bold = false, color = '#1f1f1f') {
  const weight = bold ? 'bold' : 'regular';
  doc.font(weight).fontSize(size).fillColor(color).text(s, x, top + ascent(size, weight), { lineBreak: false, baseline: 'alphabetic' });
}

function drawCard(doc: PDFKit.PDFDocument, c: CardContent, x: number, y: number) {
  doc.save().lineWidth(0.5).dash(3, { space: 3 }).rect(x, y, CARD.w, CARD.h).stroke('#8c8c8c').restore(); // 裁切线
  doc.rect(x, y, CARD.w, 24).fill(RED);
  line(doc, '党群连心卡', x + PAD, y + 5, 13, true, '#fff');
  const tag = '济源示范区党群连心工程';
  line(doc, tag, x + CARD.w - PAD - textWidth(tag, 8), y + 8, 8, false, '#fff');

  const groupQr = c.group?.qr ?? null;
  const qrSize = groupQr ? QR_PAIR : QR;
  const textW = CARD.w - qrSize - 3 * PAD;
  let top = y + 32;
  const row = (label: string, value: string, bold = false) => {
    line(doc, fitText(`${label}${value}`, textW, 10.5, bold ? 'bold' : 'regular'), x + PAD, top, 10.5, bold);
    top += 18;
  };
  row('联系对象：', c.constituent);
  line(doc, fitText(c.address, textW, 9), x + PAD, top - 3, 9, false, '#595959');
  top += 12;
  row(`${c.memberTitle}：`, c.member, true);
  row('工作电话：', c.workPhone ?? '请联系村党支部');
  line(doc, fitText(c.branch, textW, 9), x + PAD, top + 2, 9);
  if (c.group) line(doc, fitText(`一群：${c.group.name}`, textW, 9, 'bold'), x + PAD, top + 18, 9, true);
  const foot = groupQr ? '上码看联系方式，下码扫码入群' : '有事找党员，扫码看联系方式';
  line(doc, foot, x + PAD, y + CARD.h - PAD - 9, 8, false, '#595959');
  const qrX = x + CARD.w - PAD - qrSize;
  if (groupQr) {
    drawQr(doc, c.url, qrX, y + 28, qrSize);
    // The image as uploaded (re-encoded, borders trimmed): a WeChat join code cannot be re-drawn without decoding it.
    doc.image(groupQr, qrX, y + 32 + qrSize, { fit: [qrSize, qrSize], align: 'center', valign: 'center' });
  } else {
    drawQr(doc, c.url, qrX, y + 30, QR);
  }
}

/** 联系卡 sheet: 8 cards per A4 page, cut lines, a title line with the unit and date, page numbers. */
export async function renderCardsPdf(cards: CardContent[], unit: string, dateText: string, synthetic: boolean): Promise<Buffer> {
  const doc = newPdf({ title: `${unit}党群连心卡`, subject: '联系卡', synthetic });
  const perPage = COLS * ROWS;
  const pages = Math.max(1, Math.ceil(cards.length / perPage));
  for (let p = 0; p < pages; p++) {
    doc.addPage({ size: 'A4', margin: 0 });
    const title = `${unit}　党群连心卡　${dateText}`;
    line(doc, title, (PAGE.w - textWidth(title, 12, 'bold')) / 2, 34, 12, true);
    cards.slice(p * perPage, (p + 1) * perPage).forEach((c, i) => {
      drawCard(doc, c, LEFT + (i % COLS) * CARD.w, TOP + Math.floor(i / COLS) * CARD.h);
    });
    const foot = `第 ${p + 1} 页 共 ${pages} 页　沿虚线裁切`;
    line(doc, foot, (PAGE.w - textWidth(foot, 10.5)) / 2, PAGE.h - 44, 10.5);
  }
  return pdfBuffer(doc);
}
