// Draws the installable app's icons (manifest in vite.config.ts) from the favicon's design: 连 in white on the party
// red. Run once when the design changes (`node web/scripts/make-icons.mjs`); the PNGs are committed, so a build needs
// neither sharp nor a CJK font. "any" icons keep the favicon's rounded square; the maskable one fills the square and
// keeps the glyph inside the 80 % safe zone, since a launcher crops it to its own shape.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/icons');
const font = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";

function svg({ rounded, glyph }) {
  const r = rounded ? 14 : 0;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="${r}" fill="#c8161d"/>` +
      `<text x="32" y="${32 + glyph * 0.36}" text-anchor="middle" font-size="${glyph}" font-weight="700" fill="#fff" font-family="${font}">连</text></svg>`,
  );
}

const icons = [
  { file: 'icon-192.png', size: 192, rounded: true, glyph: 40 },
  { file: 'icon-512.png', size: 512, rounded: true, glyph: 40 },
  { file: 'maskable-512.png', size: 512, rounded: false, glyph: 30 },
  { file: 'apple-touch-icon-180.png', size: 180, rounded: false, glyph: 36 },
];
for (const i of icons) {
  await sharp(svg(i), { density: (72 * i.size) / 64 }).resize(i.size, i.size).png({ compressionLevel: 9 }).toFile(path.join(out, i.file));
  console.log(`wrote ${i.file}`);
}
