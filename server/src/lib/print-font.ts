import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * The print font comes from an npm package (Noto Serif SC = 思源宋体, SIL OFL 1.1), so PDFs render Chinese on a server
 * with no CJK fonts installed. A serif face because office documents are set in 宋体 (../shared/ARCHITECTURE.md #14).
 * Read once per process (≈ 15 MB each); pdfkit embeds only the glyphs a document uses.
 */
const require = createRequire(import.meta.url);
const files = {
  regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
} as const;
export type FontWeight = keyof typeof files;

const buffers = new Map<FontWeight, Buffer>();
export function fontBuffer(weight: FontWeight): Buffer {
  let b = buffers.get(weight);
  if (!b) {
    b = readFileSync(require.resolve(files[weight]));
    buffers.set(weight, b);
  }
  return b;
}

/** CSS font stack for SVG shown in a browser: the same face when installed, else the system's 宋体. */
export const SVG_FONT_FAMILY = "'Noto Serif SC','Noto Serif CJK SC','Source Han Serif SC','SimSun','Songti SC',serif";

interface Metrics { unitsPerEm: number; ascent: number; advance: Map<number, number>; font: fontkit.Font }
const metrics = new Map<FontWeight, Metrics>();
function metricsOf(weight: FontWeight): Metrics {
  let m = metrics.get(weight);
  if (!m) {
    const font = fontkit.create(fontBuffer(weight)) as fontkit.Font;
    m = { unitsPerEm: font.unitsPerEm, ascent: font.ascent / font.unitsPerEm, advance: new Map(), font };
    metrics.set(weight, m);
  }
  return m;
}

/** Width in points of `text` at `size`: per-code-point advances (CJK needs no kerning), cached. */
export function textWidth(text: string, size: number, weight: FontWeight = 'regular'): number {
  const m = metricsOf(weight);
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let a = m.advance.get(cp);
    if (a === undefined) {
      a = m.font.glyphForCodePoint(cp).advanceWidth;
      m.advance.set(cp, a);
    }
    units += a;
  }
  return (units / m.unitsPerEm) * size;
}

/** Distance from the top of a line box to the baseline, in points. */
export function ascent(size: number, weight: FontWeight = 'regular'): number {
  return metricsOf(weight).ascent * size;
}

/** The longest prefix of `text` that fits `width` with an ellipsis, or `text` itself when it fits. */
export function fitText(text: string, width: number, size: number, weight: FontWeight = 'regular'): string {
  if (textWidth(text, size, weight) <= width) return text;
  const chars = [...text];
  while (chars.length && textWidth(chars.join('') + '…', size, weight) > width) chars.pop();
  return chars.join('') + '…';
}
