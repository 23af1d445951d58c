import type { Workbook } from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../../test/app.ts';
import { householdBody, residentBody } from '../../../../test/factories.ts';
import { errorRowsOf, importWorkbook, uploadWorkbook } from '../../../../test/imports.ts';
import ExcelJS from '../../../lib/exceljs.ts';
import { decrypt, keyedHash } from '../../../lib/crypto.ts';
import { makeCreditCode } from '../../../lib/credit-code.ts';
import { importLimits, XLSX_TYPE } from '../imports.limits.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string; // the secretary's village
let neighbour: string; // another village of the same town (outside the secretary's scope)
let ownId: string;

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'secretary', 'leader']) s[r] = await login(t.app, r);
  const { rows } = await t.database.db.execute<{ code: string; id: string }>(sql`
    SELECT v.code, v.id FROM orgs v JOIN orgs p ON p.id = v.parent_id
    WHERE v.level = 'village' AND p.code = '419001100000' ORDER BY v.sort_key`);
  own = rows[0]!.code;
  ownId = rows[0]!.id;
  neighbour = rows[1]!.code;
});
afterAll(async () => { await t.close(); });

function get(role: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: s[role]!.cookie } });
}
function post(role: string, url: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
const upload = (role: string, kind: string, body: Buffer) => uploadWorkbook(t.app, s[role]!, kind, body);
const importAs = (role: string, kind: string, body: Buffer) => importWorkbook(t.app, s[role]!, kind, body);
const errorRows = (role: string, id: string) => errorRowsOf(t.app, s[role]!, id);
async function sheetBook(sheet: string, header: readonly string[], rows: string[][], edit?: (wb: Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow([...header]);
  for (const r of rows) ws.addRow(r);
  edit?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function scalar(q: ReturnType<typeof sql>): Promise<number> {
  return (await t.database.db.execute<{ n: number }>(q)).rows[0]!.n;
}

const LINK_HEADER = ['村（社区）代码', '户主身份证号', '统一社会信用代码', '党员姓名', '党员工作电话', '联系类型', '更换原因'] as const;

/** A household registered through the API; returns the head's ID number. */
async function household(village: string, role = 'secretary'): Promise<string> {
  const head = residentBody({ name: '联户测试户主' });
  const res = await post(role, '/api/v1/households', householdBody(village, { residents: [head] }));
  expect(res.statusCode, res.body).toBe(201);
  return head.idNumber;
}
let creditSeq = 0;
async function business(village: string): Promise<string> {
  const code = makeCreditCode(`91419001MA${String(100000 + creditSeq++).padStart(6, '0')}X`);
  const res = await post('secretary', '/api/v1/businesses', { kind: 'enterprise', orgCode: village, name: `导入测试企业${creditSeq}`, address: '测试路 1 号', creditCode: code });
  expect(res.statusCode, res.body).toBe(201);
  return code;
}
async function member(orgId: string, name: string, phone: string | null): Promise<string> {
  const { rows } = await t.database.db.execute<{ id: string }>(sql`
    INSERT INTO people (org_id, kind, name, sex, birth_year, work_phone, member_since) VALUES (${orgId}, 'member', ${name}, 'M', '1975', ${phone}, '2001-07-01') RETURNING id`);
  return rows[0]!.id;
}
async function linksCount(): Promise<number> { return scalar(sql`SELECT count(*)::int AS n FROM links`); }

describe('links import', () => {
  it('template: 说明 + 联户关系 + 可选值 with the header; re-uploaded unchanged is done with 0 rows', async () => {
    const res = await get('secretary', '/api/v1/imports/templates/links.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '联户关系', '可选值']);
    expect((wb.getWorksheet('联户关系')!.getRow(1).values as unknown[]).slice(1)).toEqual([...LINK_HEADER]);
    expect(wb.getWorksheet('说明')!.getColumn(1).values.join('')).toContain('300,000');
    const job = await importAs('secretary', 'links', res.rawPayload);
    expect(job).toMatchObject({ kind: 'links', status: 'done', counts: { rows: 0, errors: 0, written: 0 } });
  });

  it('valid file: households and a business linked, coverage updated, one audit event, staging cleared', async () => {
    const ids = [await household(own), await household(own)];
    const credit = await business(own);
    await member(ownId, '导入党员甲', '13900000001');
    await member(ownId, '导入党员乙', null);
    const cov = async () => (await get('secretary', `/api/v1/coverage?org=${own}`)).json().data;
    const before = await cov();
    const linksBefore = await linksCount();
    const job = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [
      [own, ids[0]!, '', '导入党员甲', '', '主联系人'],
      [own, ids[1]!, '', '导入党员甲', '13900000001', '主联系人'],
      [own, ids[0]!, '', '导入党员乙', '', '协助'],
      [own, '', credit, '导入党员乙', '', '主联系人'],
    ]));
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'done', counts: { rows: 4, validated: 4, errors: 0, written: 4 } });
    expect(await linksCount()).toBe(linksBefore + 4);
    const after = await cov();
    expect(after.households.linked).toBe(before.households.linked + 2);
    expect(after.enterprises.linked).toBe(before.enterprises.linked + 1);
    const audit = await t.database.db.execute<{ after: { written: number } }>(sql`
      SELECT after FROM audit_events WHERE action = 'link.import' AND entity_id = ${job.id}`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.after.written).toBe(4);
    expect(await scalar(sql`SELECT count(*)::int AS n FROM import_rows`)).toBe(0);

    // The same primary links again: each constituent already has a primary member — named, nothing written.
    const again = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [
      [own, ids[1]!, '', '导入党员乙', '', '主联系人'],
      [own, ids[0]!, '', '导入党员乙', '', '协助'],
    ]));
    expect(again.status).toBe('failed');
    expect(await linksCount()).toBe(linksBefore + 4);
    const errs = await errorRows('secretary', again.id);
    expect(errs).toContainEqual(expect.arrayContaining(['2', '联户关系', '更换原因', '该联系对象已有主联系人：导入党员甲；如需更换，请填写更换原因']));
    expect(errs).toContainEqual(expect.arrayContaining(['3', '联户关系', '党员姓名', '该党员已联系此对象']));
    // The error list carries the original row values.
    expect(errs.find((e) => e[0] === '2')).toContain(ids[1]!);
  });

  it('reassigns with 更换原因: the old primary link ends today with the reason (history kept), the new one starts; bad or misplaced reasons are errors', async () => {
    const ids = [await household(own), await household(own)];
    const oldMember = await member(ownId, '原联户党员', '13900000011');
    await member(ownId, '新联户党员', '13900000012');
    const first = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [
      [own, ids[0]!, '', '原联户党员', '', '主联系人', ''], [own, ids[1]!, '', '原联户党员', '', '主联系人', ''],
    ]));
    expect(first.status).toBe('done');
    const bad = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [
      [own, ids[0]!, '', '新联户党员', '', '主联系人', '搬家'], // 2: unknown reason
      [own, ids[1]!, '', '新联户党员', '', '协助', '迁居'], // 3: a helper replaces nobody
    ]));
    expect(bad.status).toBe('failed');
    expect((await errorRows('secretary', bad.id)).map((e) => e.slice(0, 4))).toEqual([
      ['2', '联户关系', '更换原因', '更换原因应为：迁居、调动、去世、重新分配、其他'],
      ['3', '联户关系', '更换原因', '“协助”不更换主联系人，请将更换原因留空'],
    ]);
    const linksBefore = await linksCount();
    const job = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [
      [own, ids[0]!, '', '新联户党员', '', '主联系人', '迁居'], [own, ids[1]!, '', '新联户党员', '13900000012', '主联系人', '调动'],
    ]));
    expect(job.status, JSON.stringify(await errorRows('secretary', job.id))).toBe('done');
    expect(await linksCount()).toBe(linksBefore + 2); // two rows added, none overwritten
    const { rows: [head] } = await t.database.db.execute<{ household_id: string }>(sql`
      SELECT household_id FROM residents WHERE id_number_hash = ${keyedHash(t.config.keyring, ids[0]!)} AND left_on IS NULL`);
    const hid = head!.household_id;
    const hist = (await get('secretary', `/api/v1/links?household=${hid}&history=true`)).json().data;
    expect(hist.map((l: { personName: string; endsOn: string | null; endReason: string | null }) => [l.personName, l.endsOn === null, l.endReason]))
      .toEqual(expect.arrayContaining([['原联户党员', false, 'moved'], ['新联户党员', true, null]]));
    expect(await scalar(sql`SELECT count(*)::int AS n FROM links WHERE person_id = ${oldMember} AND ends_on IS NULL`)).toBe(0);
    const audit = await t.database.db.execute<{ after: { replaced: number } }>(sql`SELECT after FROM audit_events WHERE action = 'link.import' AND entity_id = ${job.id}`);
    expect(audit.rows[0]!.after.replaced).toBe(2);
  });

  it('bad rows: nothing written; the error list names row, column and reason', async () => {
    const id = await household(own);
    const otherVillage = await household(neighbour, 'office');
    await member(ownId, '导入党员丙', '13900000003');
    await member(ownId, '同名党员', '13900000004');
    await member(ownId, '同名党员', '13900000005');
    const linksBefore = await linksCount();
    const job = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [
      [own, id, '', '导入党员丙', '', '主联系人'], // 2: valid on its own
      [neighbour, id, '', '导入党员丙', '', '协助'], // 3: village outside scope
      [own, '', '', '导入党员丙', '', '协助'], // 4: no constituent
      [own, id, '', '', '', '协助'], // 5: no member name
      [own, id, '', '导入党员丙', '12345', '随便'], // 6: bad phone, bad type
      [own, '410101199001011234', '', '导入党员丙', '', '协助'], // 7: bad checksum
      [own, id, '', '导入党员丙', '', '主联系人'], // 8: duplicate of row 2
      [own, id, '', '导入党员丙', '', '=1+1'], // 9: formula text is text, but not a valid type
      ['999999999999', id, '', '导入党员丙', '', '协助'], // 10: unknown village
    ]));
    expect(job.status).toBe('failed');
    expect(job.counts.written).toBe(0);
    expect(await linksCount()).toBe(linksBefore);
    const errs = (await errorRows('secretary', job.id)).map((e) => e.slice(0, 4));
    expect(errs).toContainEqual(['3', '联户关系', '村（社区）代码', '不在您的管辖范围内，无权导入该村（社区）']);
    expect(errs).toContainEqual(['4', '联户关系', '户主身份证号', '请填写户主身份证号或统一社会信用代码']);
    expect(errs).toContainEqual(['5', '联户关系', '党员姓名', '党员姓名不能为空']);
    expect(errs).toContainEqual(['6', '联户关系', '党员工作电话', '电话号码格式不正确']);
    expect(errs).toContainEqual(['6', '联户关系', '联系类型', '联系类型应为“主联系人”或“协助”']);
    expect(errs).toContainEqual(['7', '联户关系', '户主身份证号', '身份证号码校验位不正确或出生日期无效']);
    expect(errs.filter((e) => e[0] === '8').map((e) => e[3])).toEqual(expect.arrayContaining([
      '与第 2 行重复（同一联系对象和党员）', '第 2 行已为该联系对象指定主联系人，每个联系对象只能有一名主联系人',
    ]));
    expect(errs).toContainEqual(['10', '联户关系', '村（社区）代码', '村（社区）代码不存在：999999999999']);

    // Database checks (run once every row passes its own): household elsewhere, member unknown or ambiguous.
    const job2 = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [
      [own, otherVillage, '', '导入党员丙', '', '协助'],
      [own, id, '', '没有这个人', '', '协助'],
      [own, id, '', '同名党员', '', '协助'],
      [own, id, '', '同名党员', '13900000005', '主联系人'],
      [own, residentBody().idNumber, '', '导入党员丙', '', '协助'],
    ]));
    expect(job2.status).toBe('failed');
    expect(await linksCount()).toBe(linksBefore);
    const errs2 = (await errorRows('secretary', job2.id)).map((e) => e.slice(0, 4));
    expect(errs2).toEqual([
      ['2', '联户关系', '户主身份证号', '该户不属于所填的村（社区）'],
      ['3', '联户关系', '党员姓名', '该村（社区）没有此姓名（及工作电话）的党员'],
      ['4', '联户关系', '党员姓名', '该村（社区）有 2 名同名党员，请填写党员工作电话以区分'],
      ['6', '联户关系', '户主身份证号', '未找到该身份证号对应的在册户主'],
    ]);
  });

  it('hostile input: wrong sheet, header, formula, number ID, merged cells, limits, not a zip; roles without write get 403', async () => {
    const id = await household(own);
    const before = await linksCount();
    await member(ownId, '导入党员丁', null);
    const wrongSheet = await importAs('secretary', 'links', await sheetBook('Sheet1', LINK_HEADER, [[own, id, '', '导入党员丁', '', '协助']]));
    expect(wrongSheet.status).toBe('failed');
    const e1 = (await errorRows('secretary', wrongSheet.id)).map((e) => e.slice(0, 4));
    expect(e1).toContainEqual(['', 'Sheet1', '', '无法识别的工作表“Sheet1”：只接受“联户关系”“说明”']);
    expect(e1).toContainEqual(['', '联户关系', '', '缺少工作表“联户关系”，请使用导入模板']);

    const header = await importAs('secretary', 'links', await sheetBook('联户关系', ['村代码', ...LINK_HEADER.slice(1)], [[own, id, '', '导入党员丁', '', '协助']]));
    expect(header.status).toBe('failed');
    expect((await errorRows('secretary', header.id))[0]!.slice(0, 4)).toEqual(['1', '联户关系', '村（社区）代码', '表头第 1 列应为“村（社区）代码”，请使用导入模板']);

    const formula = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [], (wb) => {
      const ws = wb.getWorksheet('联户关系')!;
      ws.addRow([own, { formula: 'A1', result: id }, '', '导入党员丁', '', '协助']);
      // eslint-disable-next-line no-loss-of-precision -- on purpose: an ID number typed as a number, as Excel stores it
      ws.addRow([own, 410101199001011234, '', '导入党员丁', '', '协助']);
    }));
    expect(formula.status).toBe('failed');
    const e3 = (await errorRows('secretary', formula.id)).map((e) => e.slice(0, 4));
    expect(e3).toContainEqual(['2', '联户关系', '户主身份证号', '不接受公式，请复制后“选择性粘贴—数值”']);
    expect(e3).toContainEqual(['3', '联户关系', '户主身份证号', '身份证号请以文本格式填写（数字格式会丢失末位）']);

    const merged = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [[own, id, '', '导入党员丁', '', '协助'], [own, '', '', '导入党员丁', '', '协助']], (wb) => {
      wb.getWorksheet('联户关系')!.mergeCells('B2:B3');
    }));
    expect(merged.status).toBe('failed');
    expect((await errorRows('secretary', merged.id)).map((e) => e.slice(0, 4))).toContainEqual(['2', '联户关系', '户主身份证号', '合并单元格 B2:B3：导入不接受合并单元格，请取消合并并在每一行分别填写']);

    // Limits (lowered for the test): rows per sheet, and the inflated size (zip bombs) checked before reading.
    const limits = { ...importLimits };
    try {
      importLimits.maxRows = 2;
      const many = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [1, 2, 3].map(() => [own, id, '', '导入党员丁', '', '协助'])));
      expect(many.status).toBe('failed');
      expect((await errorRows('secretary', many.id)).map((e) => e[3])).toContain('工作表“联户关系”超过 2 行，请拆分后分批导入');
      importLimits.maxInflatedBytes = 2000;
      const bomb = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, []));
      expect(bomb.status).toBe('failed');
      expect((await errorRows('secretary', bomb.id))[0]![3]).toMatch(/^工作簿解压后超过/);
    } finally {
      Object.assign(importLimits, limits);
    }
    expect(await linksCount()).toBe(before);

    const junk = await upload('secretary', 'links', Buffer.from('not a workbook at all'));
    expect(junk.statusCode).toBe(400);
    const leader = await upload('leader', 'links', await sheetBook('联户关系', LINK_HEADER, []));
    expect(leader.statusCode).toBe(403);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/imports/links', payload: Buffer.from('PK'), headers: { cookie: s.secretary!.cookie, 'content-type': XLSX_TYPE } });
    expect(noCsrf.statusCode).toBe(403);
    // A job is visible to its creator only (and the office).
    expect((await get('leader', `/api/v1/imports/${formula.id}`)).statusCode).toBe(404);
  });
});

const BUSINESS_HEADER = ['类型', '村（社区）代码', '网格代码', '名称', '地址', '统一社会信用代码', '所属企业信用代码', '联系人', '联系电话', '从业人数'] as const;
const freshCredit = () => makeCreditCode(`92419001MB${String(200000 + creditSeq++).padStart(6, '0')}Y`);
async function businessesCount(): Promise<number> { return scalar(sql`SELECT count(*)::int AS n FROM businesses WHERE removed_at IS NULL`); }

describe('businesses import', () => {
  it('template: 说明 + 企业商户 + 可选值 with the header', async () => {
    const res = await get('secretary', '/api/v1/imports/templates/businesses.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '企业商户', '可选值']);
    expect((wb.getWorksheet('企业商户')!.getRow(1).values as unknown[]).slice(1)).toEqual([...BUSINESS_HEADER]);
  });

  it('valid file: an enterprise, its team (parent in the file), a team of an existing enterprise, a shop; phone encrypted; coverage totals; audit', async () => {
    const existing = await business(own);
    const [e, shop] = [freshCredit(), freshCredit()];
    const before = (await get('secretary', `/api/v1/coverage?org=${own}`)).json().data;
    const n = await businessesCount();
    const job = await importAs('secretary', 'businesses', await sheetBook('企业商户', BUSINESS_HEADER, [
      ['班组', own, '', '导入一班', '导入路 1 号', '', e, '', '', ''], // parent comes later in the file
      ['企业', own, '', '导入企业', '导入路 1 号', e, '', '张经理', '13811112222', '120'],
      ['班组', own, '', '导入二班', '导入路 2 号', '', existing, '', '', '8'],
      ['个体工商户', own, '', '导入小卖部', '导入路 3 号', shop, '', '李老板', '0391-6612345', ''],
    ]));
    expect(job, JSON.stringify(job)).toMatchObject({ kind: 'businesses', status: 'done', counts: { rows: 4, errors: 0, written: 4 } });
    expect(await businessesCount()).toBe(n + 4);
    const { rows } = await t.database.db.execute<{ name: string; contact_phone_enc: string | null; contact_phone_tail: string | null; parent: string | null; employees: number | null; name_initials: string }>(sql`
      SELECT b.name, b.contact_phone_enc, b.contact_phone_tail, p.name AS parent, b.employees, b.name_initials FROM businesses b LEFT JOIN businesses p ON p.id = b.parent_id
      WHERE b.name LIKE '导入%' ORDER BY b.name`);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['导入一班']!.parent).toBe('导入企业');
    expect(by['导入二班']!.parent).toMatch(/^导入测试企业/);
    expect(by['导入企业']!.employees).toBe(120);
    expect(by['导入企业']!.name_initials).toBe('drqy');
    expect(by['导入企业']!.contact_phone_enc!.startsWith('t1:')).toBe(true);
    expect(by['导入企业']!.contact_phone_enc).not.toContain('13811112222');
    expect(decrypt(t.config.keyring, by['导入企业']!.contact_phone_enc!)).toBe('13811112222');
    expect(by['导入企业']!.contact_phone_tail).toBe('2222'); // search by 尾号
    const after = (await get('secretary', `/api/v1/coverage?org=${own}`)).json().data;
    // Coverage totals are recomputed by the merge: they equal the registry now (POST /businesses does not recompute them).
    const live = async (kind: string) => scalar(sql`SELECT count(*)::int AS n FROM businesses WHERE org_id = ${ownId} AND kind = ${kind} AND removed_at IS NULL`);
    expect(after.enterprises.total).toBe(await live('enterprise'));
    expect(after.teams.total).toBe(await live('team'));
    expect(after.shops.total).toBe(await live('shop'));
    expect(after.teams.total).toBeGreaterThanOrEqual(before.teams.total + 2);
    const list = await get('secretary', `/api/v1/businesses?org=${own}&q=${encodeURIComponent('导入企业')}`);
    expect(list.json().data[0].contactPhoneMasked).toBe('138****2222');
    const audit = await t.database.db.execute<{ after: Record<string, number> }>(sql`SELECT after FROM audit_events WHERE action = 'business.import' AND entity_id = ${job.id}`);
    expect(audit.rows[0]!.after).toMatchObject({ written: 4, enterprises: 1, shops: 1, teams: 2 });
    expect(JSON.stringify(audit.rows[0]!.after)).not.toContain('13811112222');
  });

  it('bad rows and database duplicates: nothing written; row, column and reason', async () => {
    const existing = await business(own);
    const elsewhere = (await post('office', '/api/v1/businesses', { kind: 'enterprise', orgCode: neighbour, name: '邻村企业', address: '邻村路', creditCode: freshCredit() })).json().data;
    const good = freshCredit();
    const n = await businessesCount();
    const job = await importAs('secretary', 'businesses', await sheetBook('企业商户', BUSINESS_HEADER, [
      ['企业', own, '', '好企业', '路 1 号', good, '', '', '', ''], // 2: valid
      ['工厂', own, '', '坏类型', '路 2 号', '', '', '', '', ''], // 3
      ['企业', neighbour, '', '越权企业', '路 3 号', '', '', '', '', ''], // 4: outside scope
      ['企业', own, '', '', '', '', '', '', '', ''], // 5: name, address empty
      ['企业', own, '', '重复代码', '路 5 号', good, '', '', '', ''], // 6: duplicate in file
      ['企业', own, '', '坏代码', '路 6 号', good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), '', '', '', ''], // 7: check char
      ['班组', own, '', '无主班组', '路 7 号', '', '', '', '', ''], // 8: team without parent
      ['商户', own, '', '坏电话', '路 8 号', '', '', '', '123', '-1'], // 9: phone, employees
      ['商户', own, own, '坏网格', '路 9 号', '', '', '', '', ''], // 10: grid not a grid
    ]));
    expect(job.status).toBe('failed');
    expect(await businessesCount()).toBe(n);
    const errs = (await errorRows('secretary', job.id)).map((e) => e.slice(0, 4));
    expect(errs).toContainEqual(['3', '企业商户', '类型', '类型应为“企业”“商户”“个体工商户”或“班组”']);
    expect(errs).toContainEqual(['4', '企业商户', '村（社区）代码', '不在您的管辖范围内，无权导入该村（社区）']);
    expect(errs).toContainEqual(['5', '企业商户', '名称', '名称不能为空']);
    expect(errs).toContainEqual(['5', '企业商户', '地址', '地址不能为空']);
    expect(errs).toContainEqual(['6', '企业商户', '统一社会信用代码', '统一社会信用代码与第 2 行重复']);
    expect(errs).toContainEqual(['7', '企业商户', '统一社会信用代码', '统一社会信用代码格式或校验位不正确（18 位，不含 I、O、Z、S、V）']);
    expect(errs).toContainEqual(['8', '企业商户', '所属企业信用代码', '班组须填写所属企业信用代码']);
    expect(errs).toContainEqual(['9', '企业商户', '联系电话', '电话号码格式不正确']);
    expect(errs).toContainEqual(['9', '企业商户', '从业人数', '从业人数应为 0 到 1,000,000 的整数']);
    expect(errs).toContainEqual(['10', '企业商户', '网格代码', '网格不属于该村（社区）']);

    // Against the database: a code already registered; a team whose enterprise is in another village.
    const job2 = await importAs('secretary', 'businesses', await sheetBook('企业商户', BUSINESS_HEADER, [
      ['企业', own, '', '已登记企业', '路 1 号', existing, '', '', '', ''],
      ['班组', own, '', '邻村班组', '路 2 号', '', elsewhere.creditCode, '', '', ''],
      ['企业', own, '', '新企业', '路 3 号', freshCredit(), '', '', '', ''],
    ]));
    expect(job2.status).toBe('failed');
    expect(await businessesCount()).toBe(n);
    expect((await errorRows('secretary', job2.id)).map((e) => e.slice(0, 4))).toEqual([
      ['2', '企业商户', '统一社会信用代码', '该统一社会信用代码已登记'],
      ['3', '企业商户', '所属企业信用代码', '所属企业不存在，或不是本村（社区）的企业'],
    ]);
  });

  it('a links workbook uploaded as businesses is refused by sheet name', async () => {
    const job = await importAs('secretary', 'businesses', await sheetBook('联户关系', LINK_HEADER, [[own, '', '', '某人', '', '协助']]));
    expect(job.status).toBe('failed');
    expect((await errorRows('secretary', job.id)).map((e) => e[3])).toContain('缺少工作表“企业商户”，请使用导入模板');
  });
});

const MEMBER_HEADER = ['村（社区）代码', '姓名', '性别', '出生年份', '工作电话', '入党日期', '类别', '流动党员'] as const;
async function peopleCount(): Promise<number> { return scalar(sql`SELECT count(*)::int AS n FROM people`); }

describe('members import', () => {
  it('template: 说明 + 党员 + 可选值 with the header', async () => {
    const res = await get('secretary', '/api/v1/imports/templates/members.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '党员', '可选值']);
    expect((wb.getWorksheet('党员')!.getRow(1).values as unknown[]).slice(1)).toEqual([...MEMBER_HEADER]);
  });

  it('valid file: members and a volunteer written; org count and coverage members +2; audit; then linkable by name', async () => {
    const orgBefore = (await get('secretary', `/api/v1/orgs/${own}`)).json().data.counts.members;
    const covBefore = (await get('secretary', `/api/v1/coverage?org=${own}`)).json().data.members.total;
    const n = await peopleCount();
    const job = await importAs('secretary', 'members', await sheetBook('党员', MEMBER_HEADER, [
      [own, '导入党员子', '男', '1980', '13977770001', '2005-07-01', '党员', '否'],
      [own, '导入党员丑', '女', '1990', '', '2015-06-30', '党员', '是'],
      [own, '导入志愿者', '女', '', '13977770003', '', '志愿者', ''],
    ], (wb) => { wb.getWorksheet('党员')!.getCell('F3').value = new Date(Date.UTC(2015, 5, 30)); }));
    expect(job, JSON.stringify(job)).toMatchObject({ kind: 'members', status: 'done', counts: { rows: 3, errors: 0, written: 3 } });
    expect(await peopleCount()).toBe(n + 3);
    const { rows } = await t.database.db.execute<{ name: string; kind: string; helper_kind: string | null; mobile: boolean; member_since: string | null }>(sql`
      SELECT name, kind, helper_kind, mobile, member_since::text FROM people WHERE name LIKE '导入%' AND org_id = ${ownId} AND name IN ('导入党员子', '导入党员丑', '导入志愿者')`);
    expect(rows.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual([
      { name: '导入党员丑', kind: 'member', helper_kind: null, mobile: true, member_since: '2015-06-30' },
      { name: '导入党员子', kind: 'member', helper_kind: null, mobile: false, member_since: '2005-07-01' },
      { name: '导入志愿者', kind: 'helper', helper_kind: '志愿者', mobile: false, member_since: null },
    ]);
    const initials = await t.database.db.execute<{ name_initials: string }>(sql`SELECT name_initials FROM people WHERE name = '导入志愿者'`);
    expect(initials.rows.map((r) => r.name_initials)).toEqual(['drzyz']); // search by pinyin initials
    expect((await get('secretary', `/api/v1/orgs/${own}`)).json().data.counts.members).toBe(orgBefore + 2);
    expect((await get('secretary', `/api/v1/coverage?org=${own}`)).json().data.members.total).toBe(covBefore + 2);
    const audit = await t.database.db.execute<{ after: Record<string, number> }>(sql`SELECT after FROM audit_events WHERE action = 'person.import' AND entity_id = ${job.id}`);
    expect(audit.rows[0]!.after).toMatchObject({ written: 3, members: 2, helpers: 1 });
    const id = await household(own);
    const link = await importAs('secretary', 'links', await sheetBook('联户关系', LINK_HEADER, [[own, id, '', '导入党员子', '', '主联系人']]));
    expect(link.status).toBe('done');
  });

  it('bad rows, duplicates in the file and against the database, scope: nothing written', async () => {
    await member(ownId, '已有党员', '13977779999');
    const n = await peopleCount();
    const job = await importAs('secretary', 'members', await sheetBook('党员', MEMBER_HEADER, [
      [own, '新党员', '男', '1980', '13977770101', '2005-07-01', '党员', ''], // 2: valid
      [neighbour, '邻村党员', '男', '1980', '', '2005-07-01', '党员', ''], // 3: outside scope
      [own, '新党员', '男', '1981', '13977770101', '2006-07-01', '党员', ''], // 4: duplicate of 2
      [own, '缺日期', '男', '1980', '', '', '党员', ''], // 5
      [own, '坏性别', '未知', '80', '12', '2005-02-30', '群众', '也许'], // 6
    ]));
    expect(job.status).toBe('failed');
    expect(await peopleCount()).toBe(n);
    const errs = (await errorRows('secretary', job.id)).map((e) => e.slice(0, 4));
    expect(errs).toContainEqual(['3', '党员', '村（社区）代码', '不在您的管辖范围内，无权导入该村（社区）']);
    expect(errs).toContainEqual(['4', '党员', '姓名', '与第 2 行重复（同村同姓名同工作电话）']);
    expect(errs).toContainEqual(['5', '党员', '入党日期', '党员须填写入党日期']);
    expect(errs.filter((e) => e[0] === '6').map((e) => e[2])).toEqual(expect.arrayContaining(['性别', '出生年份', '工作电话', '入党日期', '类别', '流动党员']));

    const job2 = await importAs('secretary', 'members', await sheetBook('党员', MEMBER_HEADER, [
      [own, '已有党员', '男', '1980', '13977779999', '2005-07-01', '党员', ''],
      [own, '已有党员', '男', '1980', '13977770000', '2005-07-01', '党员', ''], // another phone: another person
    ]));
    expect(job2.status).toBe('failed');
    expect((await errorRows('secretary', job2.id)).map((e) => e.slice(0, 4))).toEqual([['2', '党员', '姓名', '系统中该村（社区）已有同姓名、同工作电话的人员']]);
    expect(await peopleCount()).toBe(n);
  });
});
