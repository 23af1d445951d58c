import { ascent, fitText, textWidth, type FontWeight } from '../../lib/print-font.ts';

/**
 * 联户示意图 layout: one pure function from the map's data to positioned boxes and text, drawn by both the PDF and the
 * SVG renderer, so what the secretary sees in the browser is what the printer gets. Units are PDF points (1/72 in).
 */
export interface MapMember { name: string; workPhone: string | null; items: string[] }
export interface MapGrid { name: string; members: MapMember[]; linked: number; unlinked: number }
export interface LinkMapContent { title: string; unit: string; dateText: string; summary: string; grids: MapGrid[] }

export type MapItem =
  | { t: 'text'; x: number; y: number; text: string; size: number; weight: FontWeight; color: string; anchor: 'start' | 'middle' }
  | { t: 'rect'; x: number; y: number; w: number; h: number; fill: string | null; stroke: string | null };
export interface MapPage { items: MapItem[] }
export interface PageSpec { name: 'A4' | 'A3'; width: number; height: number; margin: number; columns: number }
export interface MapLayout { spec: PageSpec; pages: MapPage[] }

// Paper sizes in points (ISO 216). Body at 五号 (10.5 pt), title at 小二 (18 pt): ../shared/ARCHITECTURE.md #14.
export const A4_PORTRAIT: PageSpec = { name: 'A4', width: 595.28, height: 841.89, margin: 42, columns: 2 };
export const A3_LANDSCAPE: PageSpec = { name: 'A3', width: 1190.55, height: 841.89, margin: 42, columns: 4 };
export const BODY_PT = 10.5;
const TITLE_PT = 18;
const HEADING_PT = 12;
const LINE = 15; // 10.5 pt text on 15 pt lines (≈ 1.4 leading)
const GAP = 8;
const PAD = 5;
const SUBGAP = 10; // between the sub-columns of constituents inside one member's box
const HEADING_H = 22;
const FOOTER_H = 22;
const INK = '#1f1f1f';
const RED = '#a8071a'; // 党建红 for the title and headings

/** A member's box: its constituents numbered down `sub` side-by-side columns (wide boxes hold two or three). */
interface Box { header: string; entries: string[]; sub: number }

function text(x: number, top: number, s: string, size: number, weight: FontWeight, color = INK, anchor: 'start' | 'middle' = 'start'): MapItem {
  return { t: 'text', x, y: top + ascent(size, weight), text: s, size, weight, color, anchor };
}

function rowsOf(box: Box): number {
  return Math.ceil(box.entries.length / box.sub);
}

function boxHeight(rows: number): number {
  return PAD + LINE + 2 + rows * LINE + PAD;
}

/** Lays the map out on `spec`; grids never share a member box, and a grid that does not fit the rest of a page moves whole to the next one unless it is larger than a page. */
export function layoutLinkMap(content: LinkMapContent, spec: PageSpec): MapLayout {
  const contentW = spec.width - 2 * spec.margin;
  const colW = (contentW - (spec.columns - 1) * GAP) / spec.columns;
  const top = spec.margin;
  const bottom = spec.height - spec.margin - FOOTER_H;
  const pages: MapPage[] = [];
  let page!: MapPage;
  let y = top;
  let drawnOnPage = false;

  const newPage = () => {
    page = { items: [] };
    pages.push(page);
    y = top;
    drawnOnPage = false;
    if (pages.length === 1) {
      const cx = spec.width / 2;
      page.items.push(text(cx, y, content.title, TITLE_PT, 'bold', RED, 'middle'));
      y += TITLE_PT + 10;
      page.items.push(text(cx, y, `${content.unit}　　${content.dateText}`, BODY_PT, 'regular', INK, 'middle'));
      y += LINE;
      page.items.push(text(cx, y, content.summary, BODY_PT, 'regular', INK, 'middle'));
      y += LINE + 8;
    }
  };

  const boxesOf = (g: MapGrid): Box[] =>
    g.members.map((m) => {
      const phone = m.workPhone ? `　${m.workPhone}` : '';
      const inner = colW - 2 * PAD;
      const raw = m.items.map((s, n) => `${n + 1}. ${s}`);
      // Sub-columns sized for most entries (the 85th percentile): one long business name is shortened with "…"
      // rather than forcing the whole box into a single column.
      const widths = raw.map((r) => textWidth(r, BODY_PT)).sort((a, b) => a - b);
      const typical = widths[Math.floor(0.85 * (widths.length - 1))] ?? 0;
      const sub = Math.max(1, Math.min(3, Math.floor((inner + SUBGAP) / (typical + SUBGAP))));
      const subW = (inner - (sub - 1) * SUBGAP) / sub;
      return { header: fitText(`${m.name}${phone}`, inner, BODY_PT, 'bold'), entries: raw.map((r) => fitText(r, subW, BODY_PT)), sub };
    });

  /** Shortest-column placement from `startY`; returns the positions, or null when some box would cross `bottom`. */
  const place = (boxes: Box[], startY: number): { x: number; y: number; box: Box }[] | null => {
    const cols = Array.from({ length: spec.columns }, () => startY);
    const out: { x: number; y: number; box: Box }[] = [];
    for (const box of boxes) {
      let c = 0;
      for (let i = 1; i < cols.length; i++) if (cols[i]! < cols[c]!) c = i;
      const h = boxHeight(rowsOf(box));
      if (cols[c]! + h > bottom) return null;
      out.push({ x: spec.margin + c * (colW + GAP), y: cols[c]!, box });
      cols[c] = cols[c]! + h + GAP;
    }
    return out;
  };

  const draw = (placed: { x: number; y: number; box: Box }[]) => {
    let maxY = y;
    for (const { x, y: by, box } of placed) {
      const rows = rowsOf(box);
      const h = boxHeight(rows);
      const subW = (colW - 2 * PAD - (box.sub - 1) * SUBGAP) / box.sub;
      page.items.push({ t: 'rect', x, y: by, w: colW, h, fill: null, stroke: '#8c8c8c' });
      page.items.push({ t: 'rect', x, y: by, w: colW, h: PAD + LINE + 2, fill: '#fff1f0', stroke: null });
      page.items.push(text(x + PAD, by + PAD, box.header, BODY_PT, 'bold'));
      box.entries.forEach((l, i) => {
        const col = Math.floor(i / rows);
        page.items.push(text(x + PAD + col * (subW + SUBGAP), by + PAD + LINE + 2 + (i % rows) * LINE, l, BODY_PT, 'regular'));
      });
      maxY = Math.max(maxY, by + h);
    }
    y = maxY + GAP;
    drawnOnPage = true;
  };

  const heading = (g: MapGrid, continued: boolean) => {
    page.items.push({ t: 'rect', x: spec.margin, y, w: contentW, h: HEADING_H, fill: '#f5f5f5', stroke: null });
    const label = `${g.name}${continued ? '（续）' : ''}　党员 ${g.members.length} 名　已联系 ${g.linked} 户（家）${g.unlinked ? `　未联系 ${g.unlinked} 户（家）` : ''}`;
    page.items.push(text(spec.margin + PAD, y + (HEADING_H - HEADING_PT) / 2 - 1, fitText(label, contentW - 2 * PAD, HEADING_PT, 'bold'), HEADING_PT, 'bold', RED));
    y += HEADING_H + GAP;
  };

  /** A member box taller than a whole page is cut into continuation boxes of at most a page's rows. */
  const pageRows = Math.floor((bottom - top - HEADING_H - GAP - boxHeight(0)) / LINE);
  const splitTall = (boxes: Box[]): Box[] =>
    boxes.flatMap((b) => {
      const per = pageRows * b.sub;
      if (b.entries.length <= per) return [b];
      const parts: Box[] = [];
      for (let i = 0; i < b.entries.length; i += per) {
        parts.push({ header: i ? fitText(`${b.header}（续）`, colW - 2 * PAD, BODY_PT, 'bold') : b.header, entries: b.entries.slice(i, i + per), sub: b.sub });
      }
      return parts;
    });

  newPage();
  for (const g of content.grids) {
    const boxes = splitTall(boxesOf(g));
    const whole = place(boxes, y + HEADING_H + GAP);
    if (whole) { heading(g, false); draw(whole); continue; }
    if (drawnOnPage) {
      newPage();
      const fresh = place(boxes, y + HEADING_H + GAP);
      if (fresh) { heading(g, false); draw(fresh); continue; }
    }
    // Larger than a page: break between member boxes, repeating the grid heading with （续）.
    let rest = boxes;
    let continued = false;
    while (rest.length) {
      if (y + HEADING_H + GAP + boxHeight(1) > bottom) newPage();
      let n = rest.length;
      let fit = place(rest, y + HEADING_H + GAP);
      while (!fit && n > 1) fit = place(rest.slice(0, --n), y + HEADING_H + GAP);
      if (!fit) {
        if (!drawnOnPage && pages.length > 1 && y === top) throw new Error('link map: a box does not fit an empty page');
        newPage();
        continue;
      }
      heading(g, continued);
      draw(fit);
      rest = rest.slice(n);
      continued = true;
      if (rest.length) newPage();
    }
  }

  const total = pages.length;
  pages.forEach((p, i) => p.items.push(text(spec.width / 2, spec.height - spec.margin - LINE + 4, `第 ${i + 1} 页 共 ${total} 页`, BODY_PT, 'regular', INK, 'middle')));
  return { spec, pages };
}

/** A4 portrait when the map fits one page, else A3 landscape (../shared/ARCHITECTURE.md #14: A3 for large maps). */
export function layoutForPrint(content: LinkMapContent): MapLayout {
  const a4 = layoutLinkMap(content, A4_PORTRAIT);
  return a4.pages.length === 1 ? a4 : layoutLinkMap(content, A3_LANDSCAPE);
}
