/**
 * `npm run bench:import` — issue 3's import figures, on the embedded PostgreSQL (default) or DATABASE_URL:
 * a workbook of BENCH_HOUSEHOLDS households (default 100,000) with BENCH_RESIDENTS_PER residents each (1 or 2, default
 * 2: 300,000 rows, the residents sheet at 200,000 within the 300,000-rows-per-sheet limit; the issue's 250k-household
 * workbook is BENCH_HOUSEHOLDS=250000 BENCH_RESIDENTS_PER=1, heads only, 500,000 rows) imported through the API — streamed read,
 * validation, encryption, staging, one merge — beside a raw COPY of the same rows into bare tables in the same run.
 * The server runs as its own process (`server/src/main.ts`, as deployed), so its memory is its own: peak RSS is the
 * kernel's high-water mark (VmHWM in /proc/<pid>/status, Linux). The job's phase timings are read from the server's
 * log line `import job timings` and written beside the totals.
 */
import ExcelJS from '../server/src/lib/exceljs.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openPool } from '../server/src/db/client.ts';
import { startEmbedded } from '../server/src/db/embedded.ts';
import { runMigrations } from '../server/src/db/migrate.ts';
import { makeIdNumber } from '../server/src/lib/id-number.ts';
import { XLSX_TYPE } from '../server/src/modules/imports/imports.limits.ts';
import { seedBase } from '../server/src/seed/index.ts';
import { writeResults } from './write-results.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);
const PER = process.env.BENCH_RESIDENTS_PER === '1' ? 1 : 2;
const password = 'lianxin-demo-2026';
const ring = { current: 'b1', keys: { b1: Buffer.alloc(32, 5).toString('base64') } };
const dir = mkdtempSync(path.join(tmpdir(), 'lianxin-bench-import-'));

const engine = process.env.DATABASE_URL ? 'pg-url' : 'embedded';
let adminUrl = process.env.DATABASE_URL ?? '';
let stopEmbedded: (() => Promise<void>) | null = null;
if (!adminUrl) {
  const e = await startEmbedded({ dir: path.join(dir, 'postgres'), log: () => {} });
  adminUrl = e.url;
  stopEmbedded = () => e.stop();
}
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS lx_bench_import WITH (FORCE)');
await admin.query('CREATE DATABASE lx_bench_import');
const u = new URL(adminUrl);
u.pathname = '/lx_bench_import';
const database = openPool(u.toString(), 'url', 10);
await runMigrations(database);
await seedBase(database.pool, { demoPassword: password });
const villages = (await database.pool.query<{ code: string }>(`
  SELECT v.code FROM orgs v JOIN orgs t ON t.id = v.parent_id WHERE t.code = '419001100000' ORDER BY v.sort_key`)).rows.map((r) => r.code);

// The workbook, written with the streaming writer; rows are kept for the COPY baseline too.
const file = path.join(dir, 'households.xlsx');
const t0 = Date.now();
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
const hs = wb.addWorksheet('住户');
hs.addRow(['户编号', '村（社区）代码', '地址', '标签', '网格代码']).commit();
const rs = wb.addWorksheet('居民');
rs.addRow(['户编号', '姓名', '性别', '出生日期', '身份证号', '电话', '与户主关系', '在外范围', '在外地点']).commit();
const hhCopy: string[] = [];
const resCopy: string[] = [];
const heads: string[] = []; // each household's head ID number, for the links workbook
for (let i = 0; i < N; i++) {
  const key = `H${i}`;
  const village = villages[i % villages.length]!;
  const address = `基准测试 ${Math.floor(i / 100)}组 ${i % 100}号`;
  hs.addRow([key, village, address, i % 20 === 0 ? '低保' : '', '']).commit();
  hhCopy.push(`${key}\t${village}\t${address}\n`);
}
for (let i = 0; i < N; i++) {
  const key = `H${i}`;
  const birth = `19${40 + (i % 50)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const area = `4190${String(10 + Math.floor(i / 499) % 90).padStart(2, '0')}`;
  const head = makeIdNumber(area, birth, i % 499, 'M');
  heads.push(head);
  const spouse = makeIdNumber(area, birth, i % 499, 'F');
  rs.addRow([key, `户主${i}`, '男', birth, head, '13800000000', '户主', '', '']).commit();
  resCopy.push(`${key}\t户主${i}\tM\t${birth}\t${head}\t户主\n`);
  if (PER === 2) {
    rs.addRow([key, `配偶${i}`, '女', birth, spouse, '', '配偶', '', '']).commit();
    resCopy.push(`${key}\t配偶${i}\tF\t${birth}\t${spouse}\t配偶\n`);
  }
}
hs.commit();
rs.commit();
await wb.commit();
const rows = N * (1 + PER);
const bytes = statSync(file).size;
console.log(`workbook: ${N} households, ${PER * N} residents, ${(bytes / 1048576).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// Paired runs (this machine is shared and noisy): each run is a raw COPY of the same rows into bare tables (no
// validation, no encryption, no indexes) and then the import through the API into emptied registry tables; the figure
// is the median of the per-run ratios.
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
await database.pool.query('CREATE TABLE bench_h (key text, village text, address text); CREATE TABLE bench_r (key text, name text, sex text, birth date, id text, relation text)');
// The server: NODE_ENV=test because production refuses the demo accounts the bench logs in with; nothing on the
// import path differs.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
  env: {
    ...process.env, DATABASE_URL: u.toString(), PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'info',
    DATA_DIR: dir, SESSION_SECRET: 'x'.repeat(40), LIANXIN_KEYRING: JSON.stringify(ring), LIANXIN_DEMO_PASSWORD: password,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const timings = new Map<string, Record<string, number>>(); // job id → phases, from the server's log
let serverOut = '';
let pending = '';
server.stdout!.on('data', (d: Buffer) => {
  pending += d.toString();
  const lines = pending.split('\n');
  pending = lines.pop()!;
  for (const line of lines) {
    if (!line.includes('import job timings')) continue;
    const entry = JSON.parse(line) as { jobId: string; phases: Record<string, number> };
    timings.set(entry.jobId, entry.phases);
  }
});
server.stderr!.on('data', (d: Buffer) => { serverOut = (serverOut + d.toString()).slice(-4000); });
for (let i = 0; ; i++) {
  if (server.exitCode !== null || i > 600) throw new Error(`server did not start: ${serverOut}`);
  try { if ((await fetch(`${base}/readyz`)).status === 200) break; } catch { /* not listening yet */ }
  await new Promise((r) => setTimeout(r, 100));
}
const memory = (field: 'VmRSS' | 'VmHWM') => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
};
const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'town', password }) });
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
const csrf = ((await login.json()) as { data: { csrfToken: string } }).data.csrfToken;
const api = async (url: string) => ((await (await fetch(`${base}${url}`, { headers: { cookie } })).json()) as { data: typeof job }).data;
const workbookBytes = readFileSync(file);
/** Uploads a workbook to /api/v1/imports/<kind> and polls the job until it ends. */
async function importThroughApi(kind: string, body: Buffer): Promise<typeof job> {
  const up = await fetch(`${base}/api/v1/imports/${kind}?fileName=bench.xlsx`, {
    method: 'POST', body: new Uint8Array(body), headers: { cookie, 'x-csrf-token': csrf, 'content-type': XLSX_TYPE },
  });
  if (up.status !== 202) throw new Error(`${kind} upload: ${up.status} ${await up.text()}`);
  let j = ((await up.json()) as { data: typeof job }).data;
  while (j.status !== 'done' && j.status !== 'failed') {
    await new Promise((r) => setTimeout(r, 200));
    j = await api(`/api/v1/imports/${j.id}`);
  }
  return j;
}
const rssBefore = memory('VmRSS');
const runs: { copyMs: number; importMs: number; ratio: number; phases: Record<string, number> }[] = [];
let job: { id: string; status: string; counts: { written: number } } = { id: '', status: 'queued', counts: { written: 0 } };
for (let run = 0; run < RUNS; run++) {
  await database.pool.query('TRUNCATE bench_h, bench_r; TRUNCATE residents, households CASCADE');
  const c = await database.pool.connect();
  const tc = performance.now();
  await pipeline(Readable.from(hhCopy), c.query(copyFrom('COPY bench_h FROM STDIN')));
  await pipeline(Readable.from(resCopy), c.query(copyFrom('COPY bench_r FROM STDIN')));
  const copyMs = performance.now() - tc;
  c.release();
  const ti = performance.now();
  job = await importThroughApi('households', workbookBytes);
  const id = job.id;
  const importMs = performance.now() - ti;
  if (job.status !== 'done') {
    const errs = await fetch(`${base}/api/v1/imports/${id}/errors.xlsx`, { headers: { cookie } });
    const ewb = new ExcelJS.Workbook();
    await ewb.xlsx.load(await errs.arrayBuffer());
    const first: unknown[] = [];
    ewb.worksheets[0]!.eachRow((r, i) => { if (i <= 4) first.push(r.values); });
    throw new Error(`import failed: ${JSON.stringify(job)} ${JSON.stringify(first)}`);
  }
  for (let i = 0; i < 100 && !timings.has(id); i++) await new Promise((r) => setTimeout(r, 50)); // logged as the job ends
  const phases = timings.get(id) ?? {};
  runs.push({ copyMs, importMs, ratio: copyMs / importMs, phases });
  console.log(`run ${run + 1}: import ${Math.round(importMs)} ms, COPY ${Math.round(copyMs)} ms, ${(100 * copyMs / importMs).toFixed(1)}% — phases ${JSON.stringify(phases)}`);
}
const byRatio = [...runs].sort((a, b) => a.ratio - b.ratio);
const mid = byRatio[Math.floor(byRatio.length / 2)]!; // the median run (odd RUNS): its times and phases are reported
const importMs = mid.importMs;
const copyMs = mid.copyMs;
const peak = memory('VmHWM');

// Links through the registry-kind runner (imports/kinds): every household of the last run gets a primary member —
// the go-live load of a whole area. Members are created first (one per 10 households of a village); the workbook names
// each household by its head's ID number and the member by name. One run beside a COPY of the same rows.
let links: { rows: number; importMs: number; copyMs: number; ratio: number; peakRssMB: number; status: string } | null = null;
if (process.env.BENCH_LINKS !== '0') {
  const perVillage = Math.ceil(N / villages.length);
  await database.pool.query(`
    INSERT INTO people (org_id, kind, name, sex)
    SELECT o.id, 'member', '基准党员' || g, 'M' FROM orgs o, generate_series(1, $2::int) g WHERE o.code = ANY($1::text[])`,
  [villages, Math.ceil(perVillage / 10)]);
  const lf = path.join(dir, 'links.xlsx');
  const lwb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: lf, useSharedStrings: false });
  const ls = lwb.addWorksheet('联户关系');
  ls.addRow(['村（社区）代码', '户主身份证号', '统一社会信用代码', '党员姓名', '党员工作电话', '联系类型', '更换原因']).commit();
  const linkCopy: string[] = [];
  for (let i = 0; i < N; i++) {
    const village = villages[i % villages.length]!;
    const member = `基准党员${1 + Math.floor(Math.floor(i / villages.length) / 10)}`;
    ls.addRow([village, heads[i]!, '', member, '', '主联系人', '']).commit();
    linkCopy.push(`${village}\t${heads[i]}\t${member}\t主联系人\n`);
  }
  ls.commit();
  await lwb.commit();
  await database.pool.query('CREATE TABLE bench_l (village text, id text, member text, role text)');
  const c = await database.pool.connect();
  const tc = performance.now();
  await pipeline(Readable.from(linkCopy), c.query(copyFrom('COPY bench_l FROM STDIN')));
  const lCopyMs = performance.now() - tc;
  c.release();
  writeFileSync(`/proc/${server.pid}/clear_refs`, '5'); // resets VmHWM: the links import's own peak
  const ti = performance.now();
  const lj = await importThroughApi('links', readFileSync(lf));
  const lImportMs = performance.now() - ti;
  links = { rows: N, importMs: Math.round(lImportMs), copyMs: Math.round(lCopyMs), ratio: +(lCopyMs / lImportMs).toFixed(3), peakRssMB: Math.round(memory('VmHWM') / 1048576), status: lj.status };
  console.log(`links: ${JSON.stringify(links)} ${JSON.stringify(lj.counts)}`);
  if (lj.status !== 'done') throw new Error(`links import failed: ${JSON.stringify(lj)}`);
}
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
const phases = mid.phases;
await database.close();
await admin.query('DROP DATABASE IF EXISTS lx_bench_import WITH (FORCE)');
const version = (await admin.query("SELECT current_setting('server_version') AS v")).rows[0].v;
await admin.end();
await stopEmbedded?.();
rmSync(dir, { recursive: true, force: true });

const result = {
  at: new Date().toISOString(), engine, postgres: version, households: N, residents: PER * N, rows, workbookMB: +(bytes / 1048576).toFixed(1),
  import: { ms: Math.round(importMs), rowsPerSec: Math.round(rows / (importMs / 1000)), written: job.counts.written },
  copy: { ms: Math.round(copyMs), rowsPerSec: Math.round(rows / (copyMs / 1000)) },
  importOverCopy: +mid.ratio.toFixed(3),
  runs: runs.map((r) => ({ importMs: Math.round(r.importMs), copyMs: Math.round(r.copyMs), importOverCopy: +r.ratio.toFixed(3) })),
  peakRssMB: Math.round(peak / 1048576), rssBeforeMB: Math.round(rssBefore / 1048576), links,
  phasesMs: phases,
};
const phaseNotes: Record<string, string> = {
  inflateCheck: 'zip directory: declared sizes within the bound, no hidden entries (the reader counts what it inflates)',
  readParse: 'sheet reader (imports.xlsx-reader.ts): waiting for the next row (inflate, tokenize, cell values)',
  readRows: 'checking rows, batching them (encryption, keyed hash, initials on a worker thread)',
  stagingWait: 'waiting for the previous staging batch (part of readRows)',
  read: 'whole read: parse + rows + staging',
  crossCheck: 'ANALYZE staging; unknown 户编号, duplicate IDs in the file and against the database; 户主 counts',
  merge: 'INSERT … SELECT into households and residents; org_rollups',
  analyze: 'ANALYZE households, residents inside the merge transaction (statistics include the new rows)',
  coverageAuditCommit: 'coverage rollups of the villages, audit event, job status, COMMIT',
  total: 'the job, from validating to done',
};
const md = [
  `# Import benchmark — ${result.at} (${engine}, PostgreSQL ${version})`,
  '',
  `Workbook: ${N} households + ${PER * N} residents = ${rows} rows, ${result.workbookMB} MB.`,
  '',
  '| path (median run) | ms | rows/s |',
  '|---|---|---|',
  `| import through the API (stream, validate, encrypt, stage, merge) | ${result.import.ms} | ${result.import.rowsPerSec} |`,
  `| raw COPY of the same rows into bare tables (baseline, same run) | ${result.copy.ms} | ${result.copy.rowsPerSec} |`,
  '',
  `Import ÷ COPY throughput, median of ${RUNS} paired runs: ${(result.importOverCopy * 100).toFixed(1)}% (target ≥ 30%; runs: ${result.runs.map((r) => `${(r.importOverCopy * 100).toFixed(1)}%`).join(', ')}). Peak RSS of the server process (its own process; kernel high-water mark over all runs): ${result.peakRssMB} MB (target < 1 GB; ${result.rssBeforeMB} MB before the first upload).`,
  ...(links ? ['', `Links (联户关系, registry-kind runner, one run): ${links.rows} rows imported in ${links.importMs} ms, COPY of the same rows ${links.copyMs} ms — ${(links.ratio * 100).toFixed(1)}% of COPY; server peak RSS during it ${links.peakRssMB} MB.`] : []),
  '',
  'Phases of the job (wall clock, ms):',
  '',
  '| phase | ms | what |',
  '|---|---|---|',
  ...Object.entries(phases).filter(([k]) => k in phaseNotes).map(([k, v]) => `| ${k} | ${v} | ${phaseNotes[k]} |`),
  '',
].join('\n');
// The default shape is "latest"; another shape keeps its own latest files beside it.
const shape = N === 100_000 && PER === 2 ? '' : `-${N}x${PER}`;
writeResults({ history: `import-${engine}`, latest: `import-${engine}${shape}-latest` }, result, md);
console.log(md);
