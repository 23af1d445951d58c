import ExcelJS from '../../lib/exceljs.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, TEST_DEMO_PASSWORD, type TestApp } from '../../../test/app.ts';
import { makeIdNumber } from '../../lib/id-number.ts';
import { XLSX_TYPE } from './imports.limits.ts';

/**
 * kill -9 of the server in the middle of an import leaves the database exactly as before the import; the next start
 * marks the job failed and clears its staging rows. The server runs as a real separate process on a cloned database.
 */
const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main.ts');
let t: TestApp;
let url: string;
let village: string;

beforeAll(async () => {
  t = await setupTestApp();
  url = (t.database.pool.options as { connectionString: string }).connectionString;
  const { rows } = await t.database.pool.query<{ code: string }>(`
    SELECT v.code FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE p.code = '419001100000' ORDER BY v.sort_key LIMIT 1`);
  village = rows[0]!.code;
});
afterAll(async () => { await t.close(); });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'warn',
      DATA_DIR: t.config.dataDir, SESSION_SECRET: t.config.sessionSecret, LIANXIN_KEYRING: JSON.stringify(t.config.keyring),
      LIANXIN_DEMO_PASSWORD: TEST_DEMO_PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return child;
    } catch {
      // not yet listening
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${out}`);
}

async function bigWorkbook(n: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const hs = wb.addWorksheet('住户');
  hs.addRow(['户编号', '村（社区）代码', '地址', '标签', '网格代码']);
  const rs = wb.addWorksheet('居民');
  rs.addRow(['户编号', '姓名', '性别', '出生日期', '身份证号', '电话', '与户主关系', '在外范围', '在外地点']);
  for (let i = 0; i < n; i++) {
    const key = `K${i}`;
    hs.addRow([key, village, `崩溃测试 ${i} 号`, '', '']);
    const birth = `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 9}`;
    rs.addRow([key, `户主${i}`, '男', birth, makeIdNumber('419002', birth, i % 499, 'M'), '', '户主', '', '']);
    rs.addRow([key, `配偶${i}`, '女', birth, makeIdNumber('419003', birth, i % 499, 'F'), '', '配偶', '', '']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const counts = async () => (await t.database.pool.query<{ h: number; r: number }>(
  'SELECT (SELECT count(*) FROM households)::int AS h, (SELECT count(*) FROM residents)::int AS r')).rows[0]!;

describe('import and kill -9', () => {
  it('leaves households and residents exactly as before, and the restarted server marks the job failed', async () => {
    const before = await counts();
    const body = await bigWorkbook(6000);
    const port = await freePort();
    let child = await startServer(port);
    const base = `http://127.0.0.1:${port}`;
    try {
      const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretary', password: TEST_DEMO_PASSWORD }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const csrf = ((await login.json()) as { data: { csrfToken: string } }).data.csrfToken;
      const up = await fetch(`${base}/api/v1/imports/households?fileName=crash.xlsx`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': XLSX_TYPE }, body: new Uint8Array(body) });
      expect(up.status).toBe(202);
      const jobId = ((await up.json()) as { data: { id: string } }).data.id;
      // Kill as soon as the job is doing work (validating or merging), not before and not after.
      let status = '';
      for (let i = 0; i < 400 && !['validating', 'merging', 'done', 'failed'].includes(status); i++) {
        const j = await fetch(`${base}/api/v1/imports/${jobId}`, { headers: { cookie } });
        status = ((await j.json()) as { data: { status: string } }).data.status;
        if (status === 'queued') await new Promise((r) => setTimeout(r, 10));
      }
      expect(['validating', 'merging']).toContain(status);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(await counts()).toEqual(before);

      child = await startServer(port);
      const { rows } = await t.database.pool.query<{ status: string; error_count: number }>('SELECT status, error_count FROM import_jobs WHERE id = $1', [jobId]);
      expect(rows[0]).toMatchObject({ status: 'failed' });
      expect(rows[0]!.error_count).toBeGreaterThan(0);
      // The staging TEMP tables went with the killed process's connection (the server drops them when its backend ends).
      let staged = -1;
      for (let i = 0; i < 100 && staged !== 0; i++) {
        if (i) await new Promise((r) => setTimeout(r, 100));
        staged = (await t.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('lx_import_h', 'lx_import_r')`)).rows[0]!.n;
      }
      expect(staged).toBe(0);
      expect(await counts()).toEqual(before);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
  }, 120_000);
});
