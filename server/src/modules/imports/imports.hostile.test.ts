import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { deflatedRepeat, errorRowsOf, handMadeWorkbook, headerRowXml, uploadWorkbook } from '../../../test/imports.ts';
import ExcelJS from '../../lib/exceljs.ts';
import { HOUSEHOLD_COLUMNS } from './imports.limits.ts';
import { LINK_SHEET, linksKind } from './kinds/links.ts';

/**
 * Hostile workbooks (issue 8, item 10): a job reading one must fail within seconds with memory bounded, /healthz must
 * keep answering, and other uploaders' imports must not wait for it. The files are built by repeating one compressed
 * block (test/imports.ts deflatedRepeat): hundreds of MB to inflate for a few hundred KB and milliseconds here.
 */

let t: TestApp;
const s: Record<string, Session> = {};
const MB = 1024 * 1024;
const SHEET_OPEN = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'secretary']) s[r] = await login(t.app, r);
});
afterAll(async () => { await t.close(); });

type Job = { id: string; status: string; startedAt: string; finishedAt: string; counts: { rows: number; written: number } };

async function upload(role: string, kind: string, body: Buffer): Promise<string> {
  const res = await uploadWorkbook(t.app, s[role]!, kind, body);
  expect(res.statusCode, res.body).toBe(202);
  return res.json().data.id as string;
}

/**
 * Polls the job until it ends, asking /healthz each time: the slowest /healthz answer, the peak RSS of this process
 * (the server runs in it) above what it was before, and the time until the job ended.
 */
async function watch(role: string, id: string, limitMs = 20_000) {
  const t0 = performance.now();
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  let slowestHealthz = 0;
  for (;;) {
    const h0 = performance.now();
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    slowestHealthz = Math.max(slowestHealthz, performance.now() - h0);
    expect(health.statusCode).toBe(200);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const job = (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: { cookie: s[role]!.cookie } })).json().data as Job;
    const ms = performance.now() - t0;
    if (job.status === 'done' || job.status === 'failed') return { job, ms, slowestHealthz, rssGrowthMb: (rssPeak - rss0) / MB };
    if (ms > limitMs) throw new Error(`job still ${job.status} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function householdCount(): Promise<number> {
  return (await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM households`)).rows[0]!.n;
}

/** The first file: a header, then row 2 opening one inline-string cell of 503 MB that never ends. */
function endlessCell(sheet: string, columns: readonly string[]): Buffer {
  return handMadeWorkbook(sheet, deflatedRepeat([
    { text: `${SHEET_OPEN}${headerRowXml(columns)}<row r="2"><c r="A2" t="inlineStr"><is><t>` },
    { text: 'A'.repeat(MB), times: 503 },
  ]));
}

describe('POST /api/v1/imports/households with a hostile workbook', () => {
  it('fails within seconds, naming 住户 row 2, for a ~500 KB workbook declaring one 503 MB cell with no </row>; memory stays bounded, /healthz answers, nothing written', async () => {
    const body = endlessCell('住户', HOUSEHOLD_COLUMNS);
    expect(body.length).toBeLessThan(600 * 1024);
    const before = await householdCount();
    const { job, ms, slowestHealthz, rssGrowthMb } = await watch('secretary', await upload('secretary', 'households', body));
    expect(job.status).toBe('failed');
    expect(job.counts).toMatchObject({ rows: 0, written: 0 });
    const errors = await errorRowsOf(t.app, s.secretary!, job.id);
    expect(errors).toHaveLength(1);
    expect(errors[0]![3]).toContain('工作表“住户”第 2 行过长或没有结束（超过 4 MB');
    expect(ms).toBeLessThan(5000);
    expect(slowestHealthz).toBeLessThan(1000);
    expect(rssGrowthMb).toBeLessThan(300);
    expect(await householdCount()).toBe(before);
  });

  it('fails naming the row for a cell over Excel\'s 32,767 characters (a complete row), and reads a cell of exactly 32,767', async () => {
    const book = (chars: number) => handMadeWorkbook('住户', deflatedRepeat([{
      text: `${SHEET_OPEN}${headerRowXml(HOUSEHOLD_COLUMNS)}<row r="2"><c r="A2" t="inlineStr"><is><t>${'户'.repeat(chars)}</t></is></c></row></sheetData></worksheet>`,
    }]));
    const over = (await watch('secretary', await upload('secretary', 'households', book(32_768)))).job;
    expect(over.status).toBe('failed');
    expect((await errorRowsOf(t.app, s.secretary!, over.id))[0]![3]).toContain('工作表“住户”第 2 行有单元格超过 32,767 个字符');
    // At the limit the row is read, and refused by the row checks like any other (户编号 at most 50 characters).
    const at = (await watch('secretary', await upload('secretary', 'households', book(32_767)))).job;
    expect(at.status).toBe('failed');
    expect(at.counts.rows).toBe(1);
    const rows = await errorRowsOf(t.app, s.secretary!, at.id);
    expect(rows.map((r) => r[3])).toContain('户编号不能超过 50 个字');
    // The error list keeps the first 1,000 characters of a cell: enough to see it, not a copy of the attacker's text.
    expect(rows[0]![4]).toBe(`${'户'.repeat(1000)}…`);
  });

  it('fails within seconds for a ~2 MB zip whose headers declare 1,000 bytes and whose sheet (or shared strings) inflates to 2 GB of zeros; memory stays bounded', async () => {
    const zeros = deflatedRepeat([{ text: Buffer.alloc(MB), times: 2048 }]);
    expect(zeros.length).toBeLessThan(2.5 * MB);
    const inSheet = handMadeWorkbook('住户', zeros, { declared: 1000 });
    const inStrings = handMadeWorkbook('住户', deflatedRepeat([{ text: `${SHEET_OPEN}</sheetData></worksheet>` }]), { declared: 1000, sharedStrings: zeros });
    const expected = ['工作表“住户”中有超过 4 MB 不属于任何一行的内容', '工作簿的组成部分 xl/sharedStrings.xml 异常或过大'];
    for (const [i, body] of [inSheet, inStrings].entries()) {
      const { job, ms, slowestHealthz, rssGrowthMb } = await watch('secretary', await upload('secretary', 'households', body));
      expect(job.status).toBe('failed');
      expect((await errorRowsOf(t.app, s.secretary!, job.id))[0]![3]).toContain(expected[i]);
      expect(ms).toBeLessThan(5000);
      expect(slowestHealthz).toBeLessThan(1000);
      expect(rssGrowthMb).toBeLessThan(300);
    }
  });
});

describe('POST /api/v1/imports/households with tag soup', () => {
  it('ends within seconds for 2 MB of unclosed <c> in one row and 2 MB of "<a" in styles.xml (patterns once scanned to the end of the text from every tag: quadratic)', async () => {
    const cells = handMadeWorkbook('住户', deflatedRepeat([
      { text: `${SHEET_OPEN}${headerRowXml(HOUSEHOLD_COLUMNS)}<row r="2">` }, { text: '<c>'.repeat(100_000), times: 7 }, { text: '</row></sheetData></worksheet>' },
    ]));
    const styles = handMadeWorkbook('住户', deflatedRepeat([{ text: `${SHEET_OPEN}</sheetData></worksheet>` }]), {
      styles: deflatedRepeat([{ text: '<styleSheet>' }, { text: '<a'.repeat(100_000), times: 10 }]),
    });
    for (const body of [cells, styles]) {
      const { job, ms, slowestHealthz } = await watch('secretary', await upload('secretary', 'households', body));
      // Read to the end: no rows with values, so the file fails for its missing sheet, not for its size.
      expect(job.status).toBe('failed');
      expect((await errorRowsOf(t.app, s.secretary!, job.id)).map((r) => r[3])).toContain('缺少工作表“居民”，请使用导入模板');
      expect(ms).toBeLessThan(5000);
      expect(slowestHealthz).toBeLessThan(1000);
    }
  });
});

describe('POST /api/v1/imports/links with a hostile workbook', () => {
  it('fails within seconds naming 联户关系 row 2 for the 503 MB cell with no </row> (the registry kinds read through the same reader)', async () => {
    const { job, ms } = await watch('secretary', await upload('secretary', 'links', endlessCell(LINK_SHEET, linksKind.columns)));
    expect(job.status).toBe('failed');
    expect((await errorRowsOf(t.app, s.secretary!, job.id))[0]![3]).toContain(`工作表“${LINK_SHEET}”第 2 行过长或没有结束`);
    expect(ms).toBeLessThan(5000);
  });
});

describe('import jobs of several uploaders', () => {
  it('a second uploader\'s job starts and ends while the first uploader\'s 2 GB zip (headers: 1,000 bytes) is inflated up to its 512 MB bound; the first uploader\'s next job waits for their first', async () => {
    // Well-formed rows this time (a 30,000-character cell past the template's columns in each), so only the count of
    // inflated bytes stops it — after 512 MB of XML: the longest a workbook can hold a slot.
    const bomb = handMadeWorkbook('住户', deflatedRepeat([
      { text: `${SHEET_OPEN}${headerRowXml(HOUSEHOLD_COLUMNS)}` },
      { text: `<row><c r="Z9" t="inlineStr"><is><t>${'A'.repeat(30_000)}</t></is></c></row>`.repeat(32), times: 2200 },
    ]), { declared: 1000 });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('住户').addRow([...HOUSEHOLD_COLUMNS]);
    wb.addWorksheet('居民').addRow(['户编号', '姓名', '性别', '出生日期', '身份证号', '电话', '与户主关系', '在外范围', '在外地点']);
    const empty = Buffer.from(await wb.xlsx.writeBuffer());

    const first = await upload('secretary', 'households', bomb);
    const firstNext = await upload('secretary', 'households', empty);
    const other = await upload('office', 'households', empty);
    const big = await watch('secretary', first, 60_000);
    const [next, others] = [(await watch('secretary', firstNext)).job, (await watch('office', other)).job];

    expect(big.job.status).toBe('failed');
    expect((await errorRowsOf(t.app, s.secretary!, first))[0]![3]).toContain('工作簿解压后超过 512 MB');
    expect(big.slowestHealthz).toBeLessThan(1000);
    expect(big.rssGrowthMb).toBeLessThan(400);
    expect(others.status).toBe('done');
    expect(next.status).toBe('done');
    const at = (iso: string) => new Date(iso).getTime();
    // The other uploader's job ran beside the big one; the same uploader's next job waited for it.
    expect(at(others.finishedAt)).toBeLessThan(at(big.job.finishedAt));
    expect(at(next.startedAt)).toBeGreaterThanOrEqual(at(big.job.finishedAt));
  });
});
