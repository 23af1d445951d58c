import { ascent, fitText, textWidth } from '../../lib/print-font.ts';
import { drawQr, newPdf, pdfBuffer } from '../print/print.service.ts';

/** One 开通通知单 slip: who, where, how to log in. The password exists only in this document (never stored in clear). */
export interface Slip { name: string; branch: string; username: string; password: string }

// 2 × 4 slips per A4 portrait page inside 36 pt margins, a title line above and page numbers below, cut along dashes.
const PAGE = { w: 595.28, h: 841.89 };
const COLS = 2;
const ROWS = 4;
const MARGIN = 36;
const TOP = 64;
const BOTTOM = 52;
const SLIP = { w: (PAGE.w - 2 * MARGIN) / COLS, h: (PAGE.h - TOP - BOTTOM) / ROWS };
const PAD = 12;
const QR = 80;
const RED = '#a8071a';

export const SLIP_TITLE = '连心账号开通通知单';
export const SLIP_ADVICE = '首次登录后请立即修改密码';

function line(doc: PDFKit.PDFDocument, s: string, x: number, top: number, size: number, bold = false, color = '#1f1f1f') {
  const weight = bold ? 'bold' : 'regular';
  doc.font(weight).fontSize(size).fillColor(color).text(s, x, top + ascent(size, weight), { lineBreak: false, baseline: 'alphabetic' });
}

/** The largest size ≤ `max` at which `text` fits `width`: a username, a password or an address is never cut short. */
function sizeToFit(text: string, width: number, max: number, weight: 'regular' | 'bold' = 'regular'): number {
  return Math.max(5, Math.min(max, Math.floor((max * width) / textWidth(text, max, weight) * 10) / 10));
}

function drawSlip(doc: PDFKit.PDFDocument, s: Slip, loginUrl: string, x: number, y: number) {
  doc.save().lineWidth(0.5).dash(3, { space: 3 }).rect(x, y, SLIP.w, SLIP.h).stroke('#8c8c8c').restore(); // 裁切线
  line(doc, SLIP_TITLE, x + PAD, y + PAD, 12, true, RED);
  // Name and branch across the slip (branch names run long); below them the login on the left and its QR on the right.
  const full = SLIP.w - 2 * PAD;
  let top = y + PAD + 20;
  line(doc, fitText(`姓名：${s.name}`, full, 10.5, 'bold'), x + PAD, top, 10.5, true);
  top += 17;
  line(doc, fitText(`支部：${s.branch}`, full, 9.5), x + PAD, top, 9.5);
  top += 17;
  const qrTop = top;
  const left = SLIP.w - QR - 3 * PAD;
  // Label above value: the value gets the column's whole width, at the largest size that fits.
  const field = (label: string, value: string, max: number, bold: boolean) => {
    line(doc, label, x + PAD, top, 8.5, false, '#595959');
    top += 12;
    const size = sizeToFit(value, left, max, bold ? 'bold' : 'regular');
    line(doc, value, x + PAD, top + (max - size), size, bold);
    top += max + 7;
  };
  field('用户名', s.username, 12, true);
  field('初始密码', s.password, 12, true);
  field('登录地址（或扫右侧二维码）', loginUrl, 8.5, false);
  line(doc, fitText(`${SLIP_ADVICE}，密码请勿告诉他人。`, full, 9, 'bold'), x + PAD, y + SLIP.h - PAD - 10, 9, true, RED);
  drawQr(doc, loginUrl, x + SLIP.w - PAD - QR, qrTop, QR);
}

/** 开通通知单: 8 slips per A4 page (2 × 4) with dashed cut lines; 演示数据 on every page when the people are synthetic. */
export async function renderSlipsPdf(slips: Slip[], unit: string, dateText: string, loginUrl: string, synthetic: boolean): Promise<Buffer> {
  const doc = newPdf({ title: `${unit}${SLIP_TITLE}`, subject: SLIP_TITLE, synthetic });
  const perPage = COLS * ROWS;
  const pages = Math.max(1, Math.ceil(slips.length / perPage));
  for (let p = 0; p < pages; p++) {
    doc.addPage({ size: 'A4', margin: 0 });
    const title = [unit, SLIP_TITLE, dateText].filter(Boolean).join('　');
    line(doc, fitText(title, PAGE.w - 2 * MARGIN, 12, 'bold'), Math.max(MARGIN, (PAGE.w - textWidth(title, 12, 'bold')) / 2), 34, 12, true);
    slips.slice(p * perPage, (p + 1) * perPage).forEach((s, i) => {
      drawSlip(doc, s, loginUrl, MARGIN + (i % COLS) * SLIP.w, TOP + Math.floor(i / COLS) * SLIP.h);
    });
    const foot = `第 ${p + 1} 页 共 ${pages} 页　沿虚线裁切，每人一张　${SLIP_ADVICE}`;
    line(doc, foot, (PAGE.w - textWidth(foot, 10)) / 2, PAGE.h - 40, 10);
  }
  return pdfBuffer(doc);
}
