import type { Handbook, HandbookEntry } from '@lianxin/contracts';
import { itemUrgencyLabels, visitChannelLabels, visitChannels } from '@lianxin/contracts';
import { fitText, textWidth } from '../../lib/print-font.ts';
import { shanghaiTime } from '../../lib/dates.ts';
import { newPdf, pdfBuffer } from '../print/print.service.ts';

export interface HandbookPdfOptions { periodLabel: string; printedOn: string; synthetic: boolean; truncated: boolean }

// A4 portrait; body in 五号 (10.5 pt) like the office's documents, flowing over pages inside these margins.
const PAGE = { w: 595.28, h: 841.89 };
const MARGINS = { top: 64, bottom: 64, left: 56, right: 56 };
const WIDTH = PAGE.w - MARGINS.left - MARGINS.right;
const BODY = 10.5;
const RED = '#a8071a';
const INK = '#1f1f1f';
const GREY = '#595959';

const KIND_WORDS = { household: '户', enterprise: '企业', shop: '商户', team: '团队' } as const;
const STATUS_WORDS = { open: '未办结', converted: '已转为事项', closed: '已办结' } as const;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

const dayText = (day: string) => {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日（周${WEEKDAYS[dow]}）`;
};

function bottom(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** A new page when less than `need` points are left, so a heading or a visit does not start at the foot of a page. */
function ensure(doc: PDFKit.PDFDocument, need: number) {
  if (doc.y + need > bottom(doc)) doc.addPage({ size: 'A4', margins: MARGINS });
}

function heading(doc: PDFKit.PDFDocument, text: string) {
  ensure(doc, 60);
  doc.moveDown(0.6);
  doc.font('bold').fontSize(13).fillColor(INK).text(text, MARGINS.left, doc.y, { width: WIDTH });
  doc.moveDown(0.3);
}

function para(doc: PDFKit.PDFDocument, text: string, opts: { indent?: number; color?: string; bold?: boolean } = {}) {
  const indent = opts.indent ?? 0;
  doc.font(opts.bold ? 'bold' : 'regular').fontSize(BODY).fillColor(opts.color ?? INK)
    .text(text, MARGINS.left + indent, doc.y, { width: WIDTH - indent, lineGap: 3 });
}

/** 姓名, 支部, 镇, period and print date in a ruled box under the title. */
function titleBlock(doc: PDFKit.PDFDocument, h: Handbook, o: HandbookPdfOptions) {
  doc.font('bold').fontSize(20).fillColor(RED).text('党员联户工作手册', MARGINS.left, MARGINS.top, { width: WIDTH, align: 'center' });
  doc.moveDown(0.2);
  doc.font('regular').fontSize(14).fillColor(INK).text(o.periodLabel, { width: WIDTH, align: 'center' });
  doc.moveDown(0.8);
  const rows: [string, string][] = [
    ['姓　　名', h.person.kind === 'helper' ? `${h.person.name}（志愿者）` : h.person.name],
    ['所在支部', h.person.branch],
    ['镇（街道）', h.person.town ?? '—'],
    ['记录期间', `${h.from} 至 ${h.to}`],
    ['打印日期', o.printedOn],
  ];
  const rowH = 22;
  const labelW = 84;
  let y = doc.y;
  doc.lineWidth(0.6).strokeColor('#8c8c8c');
  for (const [label, value] of rows) {
    doc.rect(MARGINS.left, y, labelW, rowH).stroke();
    doc.rect(MARGINS.left + labelW, y, WIDTH - labelW, rowH).stroke();
    doc.font('bold').fontSize(BODY).fillColor(INK).text(label, MARGINS.left + 8, y + 6, { lineBreak: false });
    doc.font('regular').fontSize(BODY).text(fitText(value, WIDTH - labelW - 16, BODY), MARGINS.left + labelW + 8, y + 6, { lineBreak: false });
    y += rowH;
  }
  doc.x = MARGINS.left;
  doc.y = y + 8;
}

function summaryText(h: Handbook): string {
  const s = h.summary;
  const channels = visitChannels.map((c) => `${visitChannelLabels[c]} ${s.byChannel[c] ?? 0} 次`).join('、');
  return [
    `本期走访 ${s.visits} 次（${channels}），走访住户和企业商户 ${s.constituents} 户（家）${s.proxy ? `，其中支部代录 ${s.proxy} 次` : ''}。`,
    `群众反映事项 ${s.items} 件，其中尚未办结 ${s.openItems} 件。`,
    `现联系住户和企业商户 ${h.links.length} 户（家），本期未走访 ${s.notVisited} 户（家）。`,
  ].join('');
}

/** The current links as a ruled table (序号, 名称, 地址, 本期走访, 最近走访); the header repeats on a new page. */
function linksTable(doc: PDFKit.PDFDocument, h: Handbook) {
  if (!h.links.length) {
    para(doc, '目前没有联系的住户或企业商户。', { color: GREY });
    return;
  }
  const cols = [
    { title: '序号', w: 34 }, { title: '名称', w: 120 }, { title: '地址', w: WIDTH - 34 - 120 - 60 - 84 },
    { title: '本期走访', w: 60 }, { title: '最近走访', w: 84 },
  ];
  const rowH = 18;
  const row = (cells: string[], bold: boolean, colors: (string | undefined)[] = []) => {
    let x = MARGINS.left;
    const y = doc.y;
    cells.forEach((c, i) => {
      const w = cols[i]!.w;
      doc.font(bold ? 'bold' : 'regular').fontSize(9.5).fillColor(colors[i] ?? INK)
        .text(fitText(c, w - 8, 9.5, bold ? 'bold' : 'regular'), x + 4, y + 4.5, { lineBreak: false });
      x += w;
    });
    doc.moveTo(MARGINS.left, y + rowH).lineTo(MARGINS.left + WIDTH, y + rowH).lineWidth(0.4).strokeColor('#bfbfbf').stroke();
    doc.x = MARGINS.left;
    doc.y = y + rowH;
  };
  const header = () => row(cols.map((c) => c.title), true);
  header();
  h.links.forEach((l, i) => {
    if (doc.y + rowH > bottom(doc)) {
      doc.addPage({ size: 'A4', margins: MARGINS });
      header();
    }
    const name = l.kind === 'household' ? l.name : `${l.name}（${KIND_WORDS[l.kind]}）`;
    row(
      [String(i + 1), l.role === 'helper' ? `${name}·协助` : name, l.address, l.visits ? `${l.visits} 次` : '未走访', l.lastVisitedOn ?? '从未走访'],
      false, [undefined, undefined, GREY, l.visits ? undefined : RED],
    );
  });
}

function entryBlock(doc: PDFKit.PDFDocument, e: HandbookEntry) {
  ensure(doc, 56);
  doc.moveDown(0.4);
  const head = `${dayText(e.visitedOn)} ${shanghaiTime(new Date(e.visitedAt))}　${visitChannelLabels[e.channel]}　${e.constituentName}`;
  para(doc, head, { bold: true });
  const indent = 14;
  if (e.residents.length) para(doc, `在场：${e.residents.join('、')}`, { indent });
  if (e.notes) para(doc, `记录：${e.notes}`, { indent });
  for (const it of e.items) {
    const urgent = it.urgency === 'urgent' ? `｜${itemUrgencyLabels.urgent}` : '';
    para(doc, `反映事项：【${it.categoryName}${urgent}】${it.description}（${STATUS_WORDS[it.status]}）`, { indent, color: it.urgency === 'urgent' ? RED : INK });
  }
  const marks = [
    e.proxy ? `代录（${e.enteredByName}录入）` : '',
    e.basis === 'helper' ? '协助走访（当时未联系该户）' : '',
    e.photos ? `照片 ${e.photos} 张` : '',
  ].filter(Boolean);
  if (marks.length) para(doc, marks.join('　'), { indent, color: GREY });
}

/** 第 i 页 共 n 页 with the member and period on every page, drawn once all pages exist. */
function footers(doc: PDFKit.PDFDocument, h: Handbook, o: HandbookPdfOptions) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Inside the bottom margin: lift the margin, or pdfkit would start a new page for text below it.
    doc.page.margins.bottom = 0;
    const foot = `${h.person.name}　${o.periodLabel}工作手册　第 ${i - range.start + 1} 页 共 ${range.count} 页`;
    doc.font('regular').fontSize(9).fillColor(GREY)
      .text(foot, (PAGE.w - textWidth(foot, 9)) / 2, PAGE.h - 40, { lineBreak: false });
  }
}

/**
 * 工作手册 PDF: title block, 一、本期概况 (summary), 二、联系的住户和企业商户 (current links with visits in the period),
 * 三、本期未走访, 四、走访记录 (every visit in order with its residents, notes and items). Text stays extractable.
 */
export async function renderHandbookPdf(h: Handbook, o: HandbookPdfOptions): Promise<Buffer> {
  const doc = newPdf({ title: `${h.person.name}党员联户工作手册（${o.periodLabel}）`, subject: '党员联户工作手册', synthetic: o.synthetic });
  doc.addPage({ size: 'A4', margins: MARGINS });
  titleBlock(doc, h, o);

  heading(doc, '一、本期概况');
  para(doc, summaryText(h));

  heading(doc, `二、联系的住户和企业商户（${h.links.length} 户／家）`);
  linksTable(doc, h);

  heading(doc, '三、本期未走访');
  const missing = h.links.filter((l) => l.visits === 0).map((l) => l.name);
  para(doc, missing.length ? missing.join('、') : '联系的住户和企业商户本期都已走访。', { color: missing.length ? INK : GREY });

  heading(doc, `四、走访记录（${h.timeline.length} 次）`);
  if (!h.timeline.length) para(doc, '本期没有走访记录。', { color: GREY });
  for (const e of h.timeline) entryBlock(doc, e);
  if (o.truncated) {
    doc.moveDown(0.6);
    para(doc, `记录过多，只印出前 ${h.timeline.length} 次走访，请按月份分别打印。`, { color: RED, bold: true });
  }
  footers(doc, h, o);
  return pdfBuffer(doc);
}
