import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { importWorkbook } from '../../../test/imports.ts';
import ExcelJS from '../../lib/exceljs.ts';
import { makeIdNumber } from '../../lib/id-number.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string;

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'admin', 'town', 'secretary']) s[r] = await login(t.app, r);
  own = (await scopeVillages(t)).own;
});
afterAll(async () => { await t.close(); });

function req(role: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
const tagUrl = (code: string) => `/api/v1/tags/${encodeURIComponent(code)}`;
const offered = async () => (await req('secretary', 'GET', '/api/v1/tags')).json().data.map((x: { code: string }) => x.code) as string[];

async function importTags(tags: string, seq: number) {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('住户').addRows([['户编号', '村（社区）代码', '地址', '标签', '网格代码'], ['1', own, `字典导入 ${seq}号`, tags, '']]);
  wb.addWorksheet('居民').addRows([
    ['户编号', '姓名', '性别', '出生日期', '身份证号', '电话', '与户主关系', '在外范围', '在外地点'],
    ['1', '字典户主', '男', '1966-04-03', makeIdNumber('419001', '1966-04-03', seq, 'M'), '', '户主', '', ''],
  ]);
  return importWorkbook(t.app, s.secretary!, 'households', Buffer.from(await wb.xlsx.writeBuffer()));
}

describe('tag dictionary: add, rename, aliases, retire, delete', () => {
  it('returns 201 adding a tag, offers it, accepts its alias on input and stores the code', async () => {
    const res = await req('office', 'POST', '/api/v1/tags', { code: '失独', name: '失独家庭', aliases: ['失独户', '失独户'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ code: '失独', name: '失独家庭', aliases: ['失独户'], active: true, households: 0 });
    expect(await offered()).toContain('失独');
    const hh = await req('secretary', 'POST', '/api/v1/households', householdBody(own, { address: '字典 1号', tags: ['失独户'], residents: [residentBody()] }));
    expect(hh.statusCode, hh.body).toBe(201);
    expect(hh.json().data.tags).toEqual(['失独']);
    const audit = await t.database.db.execute(sql`SELECT 1 FROM audit_events WHERE action = 'tag.create' AND entity_id = '失独'`);
    expect(audit.rows).toHaveLength(1);
  });

  it('returns 409 when a code, name or alias is another tag\'s word, ignoring case, width and spaces', async () => {
    expect((await req('office', 'POST', '/api/v1/tags', { code: '低 保', name: '新低保' })).statusCode).toBe(409);
    const alias = await req('office', 'PATCH', tagUrl('失独'), { aliases: ['失独户', '五保户'] });
    expect(alias.statusCode).toBe(409);
    expect(alias.json().error.details).toEqual([{ word: '五保户', tag: '特困' }]);
    expect((await req('office', 'POST', '/api/v1/tags', { code: 'ABC', name: 'abc 户' })).statusCode).toBe(201);
    expect((await req('office', 'POST', '/api/v1/tags', { code: 'ＡＢＣ户', name: 'Abc户' })).statusCode).toBe(409);
    expect((await req('office', 'POST', '/api/v1/tags', { code: '失独', name: '另一个' })).statusCode).toBe(409);
  });

  it('returns 200 renaming and editing aliases (audited before → after); the code stays', async () => {
    const res = await req('admin', 'PATCH', tagUrl('失独'), { name: '失独老人', aliases: ['失独户', '失独家庭'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ code: '失独', name: '失独老人', aliases: ['失独户', '失独家庭'], households: 1 });
    const { rows } = await t.database.db.execute<{ before: { name: string }; after: { name: string } }>(sql`
      SELECT before, after FROM audit_events WHERE action = 'tag.update' AND entity_id = '失独' ORDER BY id DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({ before: { name: '失独家庭' }, after: { name: '失独老人' } });
  });

  it('keeps a retired tag on households and editing them, refuses it for new input and import, and refuses deleting a tag in use', async () => {
    const retired = await req('office', 'PATCH', tagUrl('失独'), { active: false });
    expect(retired.statusCode).toBe(200);
    expect(await offered()).not.toContain('失独');
    const dict = (await req('office', 'GET', '/api/v1/tags/dictionary')).json();
    expect(dict.editable).toBe(true);
    expect(dict.data.find((x: { code: string }) => x.code === '失独')).toMatchObject({ active: false, households: 1 });

    const created = await req('secretary', 'POST', '/api/v1/households', householdBody(own, { address: '字典 2号', tags: ['失独户'], residents: [residentBody()] }));
    expect(created.statusCode).toBe(400);
    expect(created.json().error.details).toEqual([{ path: 'tags', message: '标签“失独户”已停用，不能再用于登记' }]);
    const [{ id }] = (await req('secretary', 'GET', `/api/v1/households?org=${own}&q=${encodeURIComponent('字典 1号')}`)).json().data;
    const kept = await req('secretary', 'PATCH', `/api/v1/households/${id}`, { tags: ['失独', '低保'] });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().data.tags).toEqual(['失独', '低保']);

    const job = await importTags('失独家庭', 411);
    expect(job.status).toBe('failed');
    expect(job.errors[0]).toMatchObject({ column: '标签' });
    expect(job.errors[0].reason).toContain('已停用');

    const del = await req('office', 'DELETE', tagUrl('失独'));
    expect(del.statusCode).toBe(409);
    expect(del.json().error.details).toEqual({ households: 1 });
    expect((await req('office', 'PATCH', tagUrl('失独'), { active: true })).statusCode).toBe(200);
    expect((await importTags('失独家庭', 413)).status).toBe('done');
  });

  it('returns 204 deleting a tag never used (audited), 404 for an unknown one', async () => {
    expect((await req('office', 'DELETE', tagUrl('ABC'))).statusCode).toBe(204);
    expect((await req('office', 'DELETE', tagUrl('ABC'))).statusCode).toBe(404);
    const audit = await t.database.db.execute(sql`SELECT 1 FROM audit_events WHERE action = 'tag.delete' AND entity_id = 'ABC'`);
    expect(audit.rows).toHaveLength(1);
  });

  it('returns 403 to a secretary for the dictionary and to a town account for changes, which reads it', async () => {
    expect((await req('secretary', 'GET', '/api/v1/tags/dictionary')).statusCode).toBe(403);
    expect((await req('secretary', 'POST', '/api/v1/tags', { code: '某', name: '某' })).statusCode).toBe(403);
    expect((await req('town', 'GET', '/api/v1/tags/dictionary')).json().editable).toBe(false);
    expect((await req('town', 'PATCH', tagUrl('低保'), { name: '低保户' })).statusCode).toBe(403);
    expect((await req('town', 'DELETE', tagUrl('低保'))).statusCode).toBe(403);
  });
});
