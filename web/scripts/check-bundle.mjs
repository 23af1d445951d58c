// Bundle budget: the gzipped JavaScript a phone downloads before it can log in, and before it shows the org tree.
// Reads dist/.vite/manifest.json (vite build with build.manifest) and follows static imports only: dynamic imports
// are fetched later, on demand. Exits 1 when a budget is exceeded.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const manifestPath = path.join(dist, '.vite/manifest.json');
const KB = 1024;
// Budgets (the member's home below): /login is a plain page (no React, no antd: issue 10's Lighthouse target on a weak signal) — 30 KB; 450 KB for
// login → tree (the brief's). The login page is in the entry's chunk; main.tsx imports the app dynamically.
const budgets = [
  { name: '/login', routes: [], limit: 30 * KB },
  {
    name: '/login → /orgs (tree) → /orgs/:code',
    routes: ['src/app/app-root.tsx', 'src/routes/app-shell.tsx', 'src/routes/orgs-tree-page.tsx', 'src/routes/org-page.tsx'],
    limit: 450 * KB,
  },
  {
    // A member's first page on a weak signal (issue 10's Lighthouse target): the shell, the home and the member's own
    // cards only (each card is lazy: home-registry.ts). 284 KB when set; the office cards, antd's Card (Tabs), List
    // (Pagination, Select) and the header search are kept off this path.
    name: '/ as a member (今天, 我联系的, 待同步)',
    routes: [
      'src/app/app-root.tsx', 'src/routes/app-shell.tsx', 'src/routes/home-page.tsx', 'src/features/visits/today-card.tsx',
      'src/features/home/my-links-card.tsx', 'src/features/offline/offline-card.tsx',
    ],
    limit: 320 * KB,
  },
];

if (!existsSync(manifestPath)) {
  console.error(`check-bundle: ${manifestPath} not found — run \`npm run build -w web\` first (build.manifest must be on).`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const entries = Object.entries(manifest).filter(([, c]) => c.isEntry).map(([k]) => k);
if (entries.length !== 1) {
  console.error(`check-bundle: expected one entry in the manifest, found ${entries.length}: ${entries.join(', ')}`);
  process.exit(1);
}

const gz = new Map();
function gzipSize(file) {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length);
  return gz.get(file);
}

/** The chunk files a manifest key loads: itself and its static imports, transitively. */
function closure(key, files = new Set(), seen = new Set()) {
  if (seen.has(key)) return files;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`check-bundle: ${key} is not in the manifest (renamed route module? update scripts/check-bundle.mjs)`);
  if (chunk.file.endsWith('.js')) files.add(chunk.file);
  for (const imp of chunk.imports ?? []) closure(imp, files, seen);
  return files;
}

const fmt = (n) => `${(n / KB).toFixed(1)} KB`;
let failed = false;
console.log(`entry: ${entries[0]}`);
for (const b of budgets) {
  const files = closure(entries[0]);
  for (const r of b.routes) closure(r, files);
  const total = [...files].reduce((s, f) => s + gzipSize(f), 0);
  const ok = total <= b.limit;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${b.name}: ${fmt(total)} gzip JS in ${files.size} files (budget ${fmt(b.limit)})`);
  if (!ok) {
    const largest = [...files].sort((a, c) => gzipSize(c) - gzipSize(a)).slice(0, 8);
    for (const f of largest) console.log(`       ${fmt(gzipSize(f)).padStart(9)}  ${f}`);
  }
}
if (failed) {
  console.error('check-bundle: bundle budget exceeded — keep antd imports per component, lazy-load heavy routes.');
  process.exit(1);
}
