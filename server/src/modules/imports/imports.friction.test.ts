import type { Workbook, Worksheet } from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { errorRowsOf, importWorkbook } from '../../../test/imports.ts';
import ExcelJS from '../../lib/exceljs.ts';
import { makeIdNumber } from '../../lib/id-number.ts';

/** What a village secretary ran into importing (issue 8 item 5): tags, dates, the example row, lists, errors on the page. */

let t: TestApp;
const s: Record<string, Session> = {};
let own: string; // the secretary's village
let ownName: string;

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'secretary', 'town']) s[r] = await login(t.app, r);
  const { rows } = await t.database.db.execute<{ code: string; name: string }>(sql`
    SELECT v.code, v.name FROM orgs v JOIN orgs p ON p.id = v.parent_id
    WHERE v.level = 'village' AND p.code = '419001100000' ORDER BY v.sort_key`);
  own = rows[0]!.code;
  ownName = rows[0]!.name;
});
afterAll(async () => { await t.close(); });

const get = (role: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s[role]!.cookie } });
const send = (role: string, method: 'POST' | 'PATCH', url: string, payload: object) =>
  t.app.inject({ method, url, payload, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
const importAs = (role: string, body: Buffer, kind = 'households') => importWorkbook(t.app, s[role]!, kind, body);

const HOUSEHOLD_HEADER = ['户编号', '村（社区）代码', '地址', '标签', '网格代码'];
const RESIDENT_HEADER = ['户编号', '姓名', '性别', '出生日期', '身份证号', '电话', '与户主关系', '在外范围', '在外地点'];
type Cell = string | number | Date;

async function workbook(households: Cell[][], residents: Cell[][], edit?: (wb: Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const hs = wb.addWorksheet('住户');
  hs.addRow(HOUSEHOLD_HEADER);
  for (const h of households) hs.addRow(h);
  const rs = wb.addWorksheet('居民');
  rs.addRow(RESIDENT_HEADER);
  for (const r of residents) rs.addRow(r);
  edit?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function load(bytes: Buffer): Promise<Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
/** One household per key, its head born on `birth` (as typed) with an ID number of `iso`. */
function head(key: string, birth: Cell, iso: string, seq: number): Cell[] {
  return [key, `日期户主${key}`, '男', birth, makeIdNumber('419001', iso, seq, 'M'), '', '户主', '', ''];
}
async function tagsOf(address: string): Promise<string[]> {
  const { rows } = await t.database.db.execute<{ tags: string[] }>(sql`SELECT tags FROM households WHERE address = ${address}`);
  return rows[0]!.tags;
}

describe('tags: a code, its name or an alias is accepted and stored as the code', () => {
  it('is done importing 低保户, 五保户 and " 残 疾 人 " (spaces, full-width): stored 低保, 特困, 残疾; an unknown tag still fails naming it', async () => {
    const job = await importAs('secretary', await workbook(
      [['1', own, '标签测试 1号', '低保户、五保户'], ['2', own, '标签测试 2号', '残　疾　人，低保']],
      [head('1', '1960-05-17', '1960-05-17', 301), head('2', '1961-01-02', '1961-01-02', 303)],
    ));
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    expect(await tagsOf('标签测试 1号')).toEqual(['低保', '特困']);
    expect(await tagsOf('标签测试 2号')).toEqual(['残疾', '低保']);

    const bad = await importAs('secretary', await workbook([['1', own, '标签测试 3号', '贫困户']], [head('1', '1962-01-02', '1962-01-02', 305)]));
    expect(bad.status).toBe('failed');
    expect(bad.errors).toEqual([expect.objectContaining({ sheet: '住户', row: 2, column: '标签', value: '贫困户' })]);
    expect(bad.errors[0].reason).toContain('未知的标签：贫困户');
  });

  it('returns 201/200 registering and editing a household with 低保户 / 五保户 (stored 低保 / 特困, once each) and 400 for an unknown tag', async () => {
    const created = await send('secretary', 'POST', '/api/v1/households', householdBody(own, { address: '标签接口 1号', tags: ['低保户', '低保', ' 城乡低保 '] }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().data.tags).toEqual(['低保']);
    const id = created.json().data.id;
    const edited = await send('secretary', 'PATCH', `/api/v1/households/${id}`, { tags: ['五保户', '留守儿童'] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().data.tags).toEqual(['特困', '留守儿童']);
    const bad = await send('secretary', 'PATCH', `/api/v1/households/${id}`, { tags: ['贫困户'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ path: 'tags', message: '未知的标签：贫困户' }]);
  });

  it('returns the aliases with the dictionary (GET /api/v1/tags)', async () => {
    const dict = (await get('secretary', '/api/v1/tags')).json().data;
    expect(dict.find((x: { code: string }) => x.code === '低保')).toMatchObject({ name: '低保户', aliases: expect.arrayContaining(['城乡低保']) });
    expect(dict.find((x: { code: string }) => x.code === '特困').aliases).toEqual(expect.arrayContaining(['五保户']));
  });
});

describe('dates: the forms people type are read as the same day; a day that does not exist is refused', () => {
  it('is done for 1960-05-17, 1960/5/17, 1960.5.17, 1960年5月17日, 19600517 (text and number), a date cell and a serial number', async () => {
    const forms: Cell[] = ['1960-05-17', '1960/5/17', '1960.5.17', '1960年5月17日', '19600517', 19600517, new Date(Date.UTC(1960, 4, 17)), 22053];
    const households = forms.map((_, i) => [String(i + 1), own, `日期测试 ${i + 1}号`, '', '']);
    const residents = forms.map((f, i) => head(String(i + 1), f, '1960-05-17', 401 + 2 * i));
    const job = await importAs('secretary', await workbook(households, residents, (wb) => {
      const rs = wb.getWorksheet('居民')!;
      rs.getCell('D8').numFmt = 'yyyy"年"m"月"d"日"'; // the Date: a date cell
      rs.getCell('D9').numFmt = 'General'; // 22053: a serial number pasted into a number cell
    }));
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    const { rows } = await t.database.db.execute<{ birth_date: string }>(sql`
      SELECT r.birth_date::text FROM residents r JOIN households h ON h.id = r.household_id WHERE h.address LIKE '日期测试 %'`);
    expect(rows.map((r) => r.birth_date)).toEqual(forms.map(() => '1960-05-17'));
  });

  it('fails for 1960-02-30 and 1960/13/1 (no such day) and for "五月" (not a date), each with its reason', async () => {
    const job = await importAs('secretary', await workbook(
      [['1', own, '坏日期 1号', ''], ['2', own, '坏日期 2号', ''], ['3', own, '坏日期 3号', '']],
      [head('1', '1960-02-30', '1960-02-29', 201), head('2', '1960/13/1', '1960-12-01', 203), head('3', '五月', '1960-05-01', 205)],
    ));
    expect(job.status).toBe('failed');
    expect(job.errors.map((e: { row: number; column: string; reason: string }) => [e.row, e.column, e.reason])).toEqual([
      [2, '出生日期', '日期不存在：1960-02-30'],
      [3, '出生日期', '日期不存在：1960/13/1'],
      [4, '出生日期', expect.stringContaining('无法识别的日期：五月')],
    ]);
  });

  it('is done importing a member whose 入党日期 is 1998.7.1 (stored 1998-07-01)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员');
    ws.addRow(['村（社区）代码', '姓名', '性别', '出生年份', '工作电话', '入党日期', '类别', '流动党员']);
    ws.addRow([own, '日期党员', '男', '1970', '13977771234', '1998.7.1', '党员', '否']);
    const job = await importAs('secretary', Buffer.from(await wb.xlsx.writeBuffer()), 'members');
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    const { rows } = await t.database.db.execute<{ member_since: string }>(sql`SELECT member_since::text FROM people WHERE name = '日期党员'`);
    expect(rows).toEqual([{ member_since: '1998-07-01' }]);
  });
});

describe('templates: a marked example row, drop-down lists, the uploader\'s village', () => {
  it('returns the secretary\'s households template prefilled with their village, lists on the coded columns, and the 可选值 sheet', async () => {
    const res = await get('secretary', '/api/v1/imports/templates/households.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = await load(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '住户', '居民', '可选值']);
    const hs = wb.getWorksheet('住户')!;
    expect(String(hs.getCell('A2').value)).toMatch(/^示例/);
    expect(hs.getCell('B2').value).toBe(own);
    expect(hs.getCell('A2').font).toMatchObject({ italic: true });
    expect(wb.getWorksheet('说明')!.getColumn(1).values.join('')).toContain(`${ownName}（村（社区）代码 ${own}）`);

    const options = wb.getWorksheet('可选值')!;
    const lists = new Map<string, string[]>();
    options.getRow(1).eachCell((c, col) => {
      const values: string[] = [];
      options.getColumn(col).eachCell((v, r) => { if (r > 1 && v.value) values.push(String(v.value)); });
      lists.set(String(c.value), values);
    });
    expect(lists.get('村（社区）代码')).toEqual([own]);
    expect(lists.get('性别')).toEqual(['男', '女']);
    expect(lists.get('与户主关系')).toContain('户主');
    expect(lists.get('在外范围')).toEqual(['省内市外', '省外', '国外']);
    expect(lists.get('标签')).toEqual(expect.arrayContaining(['低保', '特困']));
    expect(lists.get('也可填写')!.join('、')).toContain('五保户');

    /** The list validation of a cell, with the 可选值 column it names. */
    const listOf = (ws: Worksheet, cell: string) => {
      // exceljs reads data validations but its typings leave them out.
      const v = (ws as unknown as { dataValidations: { find(a: string): unknown } }).dataValidations.find(cell) as { type: string; formulae: string[]; showErrorMessage?: boolean } | undefined;
      const col = /'可选值'!\$([A-Z]+)\$2/.exec(v?.formulae[0] ?? '')?.[1];
      return { type: v?.type, strict: !!v?.showErrorMessage, header: col ? String(options.getCell(`${col}1`).value) : null };
    };
    const rs = wb.getWorksheet('居民')!;
    expect(listOf(hs, 'B3')).toEqual({ type: 'list', strict: true, header: '村（社区）代码' });
    expect(listOf(hs, 'D3')).toEqual({ type: 'list', strict: false, header: '标签' }); // several tags per cell may be typed
    expect(listOf(rs, 'C3')).toEqual({ type: 'list', strict: true, header: '性别' });
    expect(listOf(rs, 'G500')).toEqual({ type: 'list', strict: true, header: '与户主关系' });
    expect(listOf(rs, 'H3')).toEqual({ type: 'list', strict: true, header: '在外范围' });
    expect(listOf(rs, 'E3').type).toBeUndefined(); // ID numbers are not coded
  });

  it('returns an office template for the village picked (?org=) prefilled, and without ?org= the zone\'s villages and no prefill', async () => {
    const picked = await load((await get('office', `/api/v1/imports/templates/households.xlsx?org=${own}`)).rawPayload);
    expect(picked.getWorksheet('住户')!.getCell('B2').value).toBe(own);
    const zone = await load((await get('office', '/api/v1/imports/templates/households.xlsx')).rawPayload);
    const codes = zone.getWorksheet('可选值')!.getColumn(1).values.slice(2);
    expect(codes.length).toBeGreaterThan(500);
    expect(zone.getWorksheet('说明')!.getColumn(1).values.join('')).not.toContain('本模板为');
  });

  it('returns kind templates with their example row and lists (members: 性别, 类别, 流动党员; links: 联系类型, 更换原因; businesses: 类型)', async () => {
    const members = await load((await get('secretary', '/api/v1/imports/templates/members.xlsx')).rawPayload);
    expect(members.worksheets.map((w) => w.name)).toEqual(['说明', '党员', '可选值']);
    expect(members.getWorksheet('党员')!.getCell('A2').value).toBe(`示例：${own}`);
    const headers = (wb: Workbook) => (wb.getWorksheet('可选值')!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headers(members)).toEqual(['村（社区）代码', '村（社区）名称', '性别', '类别', '流动党员']);
    const links = await load((await get('secretary', '/api/v1/imports/templates/links.xlsx')).rawPayload);
    expect(headers(links)).toEqual(['村（社区）代码', '村（社区）名称', '联系类型', '更换原因']);
    const businesses = await load((await get('secretary', '/api/v1/imports/templates/businesses.xlsx')).rawPayload);
    expect(headers(businesses)).toEqual(['类型', '村（社区）代码', '村（社区）名称']);
    expect(businesses.getWorksheet('企业商户')!.getCell('B2').value).toBe(own);
  });

  it('is done for the template filled below its example rows: the examples are skipped, and an error names the row Excel shows', async () => {
    const tpl = await load((await get('secretary', '/api/v1/imports/templates/households.xlsx')).rawPayload);
    tpl.getWorksheet('住户')!.addRow(['1', own, '模板测试 1号', '低保户', '']);
    const rs = tpl.getWorksheet('居民')!;
    rs.addRow(head('1', '1958/3/4', '1958-03-04', 211));
    const good = await importAs('secretary', Buffer.from(await tpl.xlsx.writeBuffer()));
    expect(good, JSON.stringify(good.errors)).toMatchObject({ status: 'done', counts: { rows: 2, households: 1, residents: 1 } });

    rs.addRow(['1', '坏行', '男', '1958-03-04', '123', '', '子', '', '']); // row 5: after two example rows and the row above
    const bad = await importAs('secretary', Buffer.from(await tpl.xlsx.writeBuffer()));
    expect(bad.status).toBe('failed');
    expect(bad.errors.map((e: { sheet: string; row: number; column: string }) => [e.sheet, e.row, e.column])).toContainEqual(['居民', 5, '身份证号']);
  });

  it('is done uploading a kind template unchanged: its example row is skipped (0 rows)', async () => {
    const res = await get('secretary', '/api/v1/imports/templates/members.xlsx');
    expect(String((await load(res.rawPayload)).getWorksheet('党员')!.getCell('A2').value)).toMatch(/^示例：/);
    const job = await importAs('secretary', res.rawPayload, 'members');
    expect(job).toMatchObject({ status: 'done', counts: { rows: 0, written: 0 } });
  });
});

describe('GET /api/v1/imports/:id lists the first 50 errors', () => {
  it('returns 200 with row, column, value and reason: full values for the uploader, masked ID numbers and phones for the office', async () => {
    const r = residentBody({ birthDate: '1970-05-17' });
    const wrong = `${r.idNumber.slice(0, 17)}${r.idNumber[17] === '0' ? '1' : '0'}`;
    const job = await importAs('secretary', await workbook([['1', own, '错误列表 1号', '']], [['1', '错误户主', '男', '1970-05-17', wrong, '1381234567', '户主', '', '']]));
    expect(job.status).toBe('failed');
    expect(job.failure).toBeNull();
    type Listed = { column: string; value: string };
    const byColumn = (errs: Listed[]) => [...errs].sort((a, b) => (a.column < b.column ? -1 : 1));
    expect(byColumn(job.errors)).toEqual([
      { sheet: '居民', row: 2, column: '电话', value: '1381234567', reason: '电话号码格式不正确' },
      { sheet: '居民', row: 2, column: '身份证号', value: wrong, reason: expect.stringContaining('校验位') },
    ]);
    const seen = (await get('office', `/api/v1/imports/${job.id}`)).json().data;
    expect(byColumn(seen.errors).map((e) => e.value)).toEqual(['138***4567', `${wrong.slice(0, 3)}***********${wrong.slice(-4)}`]);
    expect(JSON.stringify(seen)).not.toContain(wrong);
  });

  it('returns 50 of 60 errors on the page (the error workbook has all 60)', async () => {
    const households = Array.from({ length: 60 }, (_, i) => [String(i + 1), '419001199999', `多错误 ${i + 1}号`, '']);
    const job = await importAs('secretary', await workbook(households, []));
    expect(job.counts.errors).toBe(60);
    expect(job.errors).toHaveLength(50);
    expect(job.errors[0]).toMatchObject({ sheet: '住户', row: 2, column: '村（社区）代码', value: '419001199999' });
    expect(await errorRowsOf(t.app, s.secretary!, job.id)).toHaveLength(60);
  });

  it('returns failure with the reason when the whole job failed (not a workbook)', async () => {
    const job = await importAs('secretary', Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(2048, 0x41)]));
    expect(job.status).toBe('failed');
    expect(job.failure).toContain('无法读取工作簿');
  });
});
