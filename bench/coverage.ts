/**
 * `npm run bench:coverage` — issue 3's coverage figures, on the embedded PostgreSQL (default) or DATABASE_URL:
 *  - zone and town coverage read from the rollups (the API's path) vs a naive aggregate over the raw tables, same run;
 *  - the same rollup read at ~10% scale (`demo`: 26k households) vs full scale (250k): cost must not grow with data;
 *  - "suggest assignments" for a town with 2,000 unlinked households.
 * Writes bench/results/coverage-<engine>-latest.json and .md (tracked) and coverage-<engine>-<timestamp>.json and .md
 * (local history).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { openPool, type Database } from '../server/src/db/client.ts';
import { startEmbedded } from '../server/src/db/embedded.ts';
import { runMigrations } from '../server/src/db/migrate.ts';
import { coverageOf } from '../server/src/modules/links/coverage.repo.ts';
import { generateDemo } from '../server/src/seed/demo/generate.ts';
import { seedBase } from '../server/src/seed/index.ts';
import { writeResults } from './write-results.ts';

const ZONE = '419001000000';
const TOWN = '419001100000'; // 克井镇
const password = 'lianxin-demo-2026';
const ring = { current: 'b1', keys: { b1: Buffer.alloc(32, 5).toString('base64') } };

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, p50: +q(0.5).toFixed(3), p99: +q(0.99).toFixed(3) };
}
async function time(n: number, fn: () => Promise<unknown>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return stats(out);
}

const naive = (code: string) => `
  SELECT count(*) AS households, count(l.id) AS linked
  FROM households h JOIN orgs o ON o.id = h.org_id
  LEFT JOIN links l ON l.household_id = h.id AND l.role = 'primary' AND l.ends_on IS NULL
  WHERE h.removed_at IS NULL AND (o.path LIKE (SELECT path FROM orgs WHERE code = '${code}') || '/%')`;

async function dataset(adminUrl: string, name: string, scale: 'demo' | 'full'): Promise<Database> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = '/' + name;
  const db = openPool(u.toString(), 'url', 4);
  await runMigrations(db);
  await seedBase(db.pool, { demoPassword: password });
  const t0 = Date.now();
  await generateDemo(db.pool, { scale, keyring: ring, log: (m) => console.log(`  ${m}`) });
  console.log(`${name}: ${scale} generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return db;
}

async function measure(db: Database) {
  await db.pool.query('ANALYZE');
  const zoneRollup = await time(200, () => coverageOf(db.db, ZONE));
  const townRollup = await time(200, () => coverageOf(db.db, TOWN));
  const zoneNaive = await time(20, () => db.pool.query(naive(ZONE)));
  const townNaive = await time(20, () => db.pool.query(naive(TOWN)));
  const baseline = await time(200, () => db.pool.query('SELECT 1'));
  return { zoneRollup, townRollup, zoneNaive, townNaive, baselineSelect1: baseline };
}

const engine = process.env.DATABASE_URL ? 'pg-url' : 'embedded';
let stopEmbedded: (() => Promise<void>) | null = null;
let adminUrl = process.env.DATABASE_URL ?? '';
const dir = mkdtempSync(path.join(tmpdir(), 'lianxin-bench-cov-'));
if (!adminUrl) {
  const e = await startEmbedded({ dir: path.join(dir, 'postgres'), log: () => {} });
  adminUrl = e.url;
  stopEmbedded = () => e.stop();
}
const small = await dataset(adminUrl, 'lx_bench_small', 'demo');
const smallFig = await measure(small);
await small.close();
const full = await dataset(adminUrl, 'lx_bench_full', 'full');
const fullFig = await measure(full);

// Suggestions: free 2,000 households of the town (end their links), then ask for proposals through the API.
await full.pool.query(`
  UPDATE links SET ends_on = CURRENT_DATE, end_reason = 'other' WHERE id IN (
    SELECT l.id FROM links l JOIN households h ON h.id = l.household_id JOIN orgs o ON o.id = h.org_id
    WHERE l.ends_on IS NULL AND o.path LIKE '${ZONE}/${TOWN}/%' ORDER BY h.address, h.id LIMIT 2000)`);
const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, SESSION_SECRET: 'x'.repeat(40), LIANXIN_KEYRING: JSON.stringify(ring), LIANXIN_DEMO_PASSWORD: password });
const app = await buildApp({ config, database: full });
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'town', password } });
const cookie = `lx_session=${login.cookies.find((c) => c.name === 'lx_session')!.value}`;
const csrf = login.json().data.csrfToken;
let suggested = 0;
let unlinkedBefore = 0;
const suggest = await time(5, async () => {
  const r = await app.inject({ method: 'POST', url: '/api/v1/coverage/suggestions', headers: { cookie, 'x-csrf-token': csrf }, payload: { org: TOWN } });
  const d = r.json().data;
  suggested = d.suggestions.length;
  unlinkedBefore = d.suggestions.length + d.unassigned;
});

// Print: the largest village's 联户示意图 (PDF) and every contact card of it, through HTTP, beside /healthz in the same run.
const office = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'office', password } });
const officeHeaders = { cookie: `lx_session=${office.cookies.find((c) => c.name === 'lx_session')!.value}`, 'x-csrf-token': office.json().data.csrfToken };
const biggest = (await full.pool.query<{ code: string; name: string; n: number }>(`
  SELECT o.code, o.short_name AS name, count(*)::int AS n FROM households h JOIN orgs o ON o.id = h.org_id
  WHERE h.removed_at IS NULL GROUP BY o.code, o.short_name ORDER BY n DESC LIMIT 1`)).rows[0]!;
let mapBytes = 0;
let mapPages = 0;
let cardBytes = 0;
const healthz = await time(50, () => app.inject({ method: 'GET', url: '/healthz' }));
const mapPdf = await time(5, async () => {
  const r = await app.inject({ method: 'GET', url: `/api/v1/orgs/${biggest.code}/link-map.pdf`, headers: officeHeaders });
  if (r.statusCode !== 200) throw new Error(`link map: ${r.statusCode} ${r.body}`);
  mapBytes = r.rawPayload.length;
  mapPages = (r.rawPayload.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
});
const cards = await time(2, async () => {
  const r = await app.inject({ method: 'POST', url: `/api/v1/orgs/${biggest.code}/contact-cards`, headers: officeHeaders, payload: {} });
  if (r.statusCode !== 200) throw new Error(`cards: ${r.statusCode} ${r.body}`);
  cardBytes = r.rawPayload.length;
});
await app.close();
await full.close();
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
for (const n of ['lx_bench_small', 'lx_bench_full']) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
const version = (await admin.query("SELECT current_setting('server_version') AS v")).rows[0].v;
await admin.end();
await stopEmbedded?.();
rmSync(dir, { recursive: true, force: true });

const result = {
  at: new Date().toISOString(), engine, postgres: version,
  small: smallFig, full: fullFig,
  ratios: {
    zoneNaiveOverRollup: fullFig.zoneNaive.p50 / fullFig.zoneRollup.p50,
    townNaiveOverRollup: fullFig.townNaive.p50 / fullFig.townRollup.p50,
    zoneRollupFullOverSmall: fullFig.zoneRollup.p50 / smallFig.zoneRollup.p50,
    townRollupFullOverSmall: fullFig.townRollup.p50 / smallFig.townRollup.p50,
  },
  suggestions: { town: TOWN, unlinked: unlinkedBefore, suggested, ...suggest },
  print: { village: biggest, healthz, linkMapPdf: { ...mapPdf, bytes: mapBytes, pages: mapPages }, contactCards: { ...cards, bytes: cardBytes } },
};
const r2 = (x: number) => x.toFixed(2);
const md = [
  `# Coverage benchmark — ${result.at} (${engine}, PostgreSQL ${version})`,
  '',
  '| query | scale | p50 ms | p99 ms |',
  '|---|---|---|---|',
  `| baseline SELECT 1 | full | ${fullFig.baselineSelect1.p50} | ${fullFig.baselineSelect1.p99} |`,
  `| zone coverage from rollups | 10% (demo) | ${smallFig.zoneRollup.p50} | ${smallFig.zoneRollup.p99} |`,
  `| zone coverage from rollups | full | ${fullFig.zoneRollup.p50} | ${fullFig.zoneRollup.p99} |`,
  `| zone coverage, naive aggregate over raw tables | full | ${fullFig.zoneNaive.p50} | ${fullFig.zoneNaive.p99} |`,
  `| town coverage from rollups | 10% (demo) | ${smallFig.townRollup.p50} | ${smallFig.townRollup.p99} |`,
  `| town coverage from rollups | full | ${fullFig.townRollup.p50} | ${fullFig.townRollup.p99} |`,
  `| town coverage, naive aggregate | full | ${fullFig.townNaive.p50} | ${fullFig.townNaive.p99} |`,
  '',
  `Ratios (p50): naive/rollup zone ${r2(result.ratios.zoneNaiveOverRollup)}× (target ≥ 10×), town ${r2(result.ratios.townNaiveOverRollup)}×; `
    + `rollup full/10% zone ${r2(result.ratios.zoneRollupFullOverSmall)}× (target ≤ 1.5×), town ${r2(result.ratios.townRollupFullOverSmall)}×.`,
  '',
  `Suggestions for 克井镇 with ${unlinkedBefore} unlinked households: ${suggested} proposed, p50 ${suggest.p50} ms (p99 ${suggest.p99} ms, ${suggest.n} runs, through HTTP).`,
  '',
  `Print, largest village (${biggest.name}, ${biggest.n} households), through HTTP: 联户示意图 PDF p50 ${mapPdf.p50} ms (${mapPages} pages, ${Math.round(mapBytes / 1024)} KB); `
    + `all its 联系卡 p50 ${cards.p50} ms (${Math.round(cardBytes / 1024)} KB); /healthz p50 ${healthz.p50} ms in the same run.`,
  '',
].join('\n');
writeResults({ history: `coverage-${engine}`, latest: `coverage-${engine}-latest` }, result, md);
console.log(md);
