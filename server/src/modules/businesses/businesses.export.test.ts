import ExcelJS from '../../lib/exceljs.ts';
import { sql } from 'drizzle-orm';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, scopeVillages, login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { makeCreditCode } from '../../lib/credit-code.ts';

let t: TestApp;
const s: Record<string, Session> = {};
const ROLES = DEMO_ROLES;
let own: string; // the secretary's village in 克井镇
let otherTown: string; // a village of 五龙口镇
const PHONE = '13903917788';
const NAME = '=HYPERLINK("http://x","点我")机械厂';
const HEADER = ['村（社区）', '网格', '类型', '名称', '所属企业', '地址', '统一社会信用代码', '联系人', '联系电话', '从业人数', '联户党员'];
let enterpriseId: string;
let shopId: string;
let memberName: string;

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ROLES) s[r] = await login(t.app, r);
  ({ own, otherTown } = await scopeVillages(t));
  const e = await req('secretary', 'POST', '/api/v1/businesses', {
    kind: 'enterprise', orgCode: own, name: NAME, address: '@SUM(1+1) 工业园区', creditCode: makeCreditCode('91419001MA7E00001'),
    contactName: '+王经理', contactPhone: PHONE, employees: 35,
  });
  expect(e.statusCode, e.body).toBe(201);
  enterpriseId = e.json().data.id;
  const shop = await req('secretary', 'POST', '/api/v1/businesses', { kind: 'shop', orgCode: own, name: '导出测试小卖部', address: '-3组 8号' });
  expect(shop.statusCode, shop.body).toBe(201);
  shopId = shop.json().data.id;
  const team = await req('secretary', 'POST', '/api/v1/businesses', { kind: 'team', orgCode: own, parentId: enterpriseId, name: '导出测试班组', address: '工业园区' });
  expect(team.statusCode, team.body).toBe(201);
  // A member of the village holds the shop's primary link.
  const { rows: people } = await t.database.db.execute<{ id: string; name: string }>(sql`
    SELECT p.id, p.name FROM people p JOIN orgs o ON o.id = p.org_id WHERE o.code = ${own} AND p.kind = 'member' ORDER BY p.name, p.id LIMIT 1`);
  memberName = people[0]!.name;
  const link = await req('secretary', 'POST', '/api/v1/links', { personId: people[0]!.id, businessId: shopId });
  expect(link.statusCode, link.body).toBe(201);
});
afterAll(async () => { await t?.close(); });

function req(role: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
const get = (role: string, url: string) => req(role, 'GET', url);
const full = (role: string, body: object) => req(role, 'POST', '/api/v1/businesses/export/full', body);

async function sheet(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.read(Readable.from(body));
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
  // eachRow drops trailing empty cells: pad to the header's width.
  return out.map((r) => [...r, ...Array(Math.max(0, HEADER.length - r.length)).fill('')]);
}
const byName = (rows: string[][], name: string) => rows.find((r) => r[3] === name || r[3] === `'${name}`);

describe('GET /api/v1/businesses/export', () => {
  it('returns 200 with an xlsx of the caller\'s village, phones masked, formula-like text escaped, and audits it', async () => {
    const res = await get('secretary', `/api/v1/businesses/export?org=${own}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = await sheet(res.rawPayload);
    expect(rows[0]).toEqual(HEADER);
    const e = byName(rows, NAME)!;
    expect(e[3]).toBe(`'${NAME}`);
    expect(e[5]).toBe(`'@SUM(1+1) 工业园区`);
    expect(e[7]).toBe(`'+王经理`);
    expect(e[8]).toBe('139****7788');
    expect(e[2]).toBe('企业');
    expect(e[9]).toBe('35');
    const shop = byName(rows, '导出测试小卖部')!;
    expect(shop[5]).toBe(`'-3组 8号`);
    expect(shop[10]).toBe(memberName);
    expect(byName(rows, '导出测试班组')![4]).toBe(`'${NAME}`);
    expect(res.rawPayload.toString('latin1')).not.toContain(PHONE);
    const { rows: audit } = await t.database.db.execute<{ entity_type: string; after: Record<string, unknown> }>(sql`
      SELECT entity_type, after FROM audit_events WHERE action = 'business.export' AND actor_username = 'secretary' ORDER BY id`);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.entity_type).toBe('business');
    expect(audit[0]!.after).toMatchObject({ org: own, full: false, reason: null, rows: rows.length - 1 });
  });

  it('masks the phone for every reading role (office, town, secretary, leader) and answers 403 for member, department, admin', async () => {
    for (const role of ['office', 'town', 'secretary', 'leader']) {
      const res = await get(role, `/api/v1/businesses/export?orgCode=${own}`);
      expect(res.statusCode, role).toBe(200);
      const e = byName(await sheet(res.rawPayload), NAME);
      expect(e?.[8], role).toBe('139****7788');
      expect(res.rawPayload.toString('latin1')).not.toContain(PHONE);
    }
    for (const role of ['member', 'department', 'admin']) {
      const res = await get(role, `/api/v1/businesses/export?org=${own}`);
      expect(res.statusCode, role).toBe(403);
      expect(res.json().error.id).toBe('forbidden');
    }
  });

  it('exports the full phone only through a token from POST …/export/full (reason and reveal permission: 400 without, 403 for a leader); audits the reason once', async () => {
    expect((await get('town', `/api/v1/businesses/export?org=${own}&full=true&reason=${encodeURIComponent('安全生产检查')}`)).statusCode).toBe(400);
    expect((await full('secretary', { org: own })).statusCode).toBe(400);
    expect((await full('secretary', { org: own, reason: 'x' })).statusCode).toBe(400);
    expect((await full('leader', { org: own, reason: '核对名单' })).statusCode).toBe(403);
    const issued = await full('town', { org: own, reason: '安全生产检查' });
    expect(issued.statusCode, issued.body).toBe(200);
    const token = issued.json().data.token as string;
    const res = await get('town', `/api/v1/businesses/export?token=${token}`);
    expect(res.statusCode).toBe(200);
    expect(byName(await sheet(res.rawPayload), NAME)![8]).toBe(PHONE);
    expect((await get('town', `/api/v1/businesses/export?token=${token}`)).statusCode).toBe(403);
    // A households token does not download businesses.
    const hh = await t.app.inject({ method: 'POST', url: '/api/v1/households/export/full', headers: { cookie: s.town!.cookie, 'x-csrf-token': s.town!.csrf }, payload: { reason: '安全生产检查' } });
    expect((await get('town', `/api/v1/businesses/export?token=${hh.json().data.token}`)).statusCode).toBe(403);
    const { rows } = await t.database.db.execute<{ after: Record<string, unknown> }>(sql`
      SELECT after FROM audit_events WHERE action = 'business.export' AND actor_username = 'town' AND (after->>'full')::boolean`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.after).toMatchObject({ org: own, reason: '安全生产检查', full: true });
  });

  it('answers 404 for a village of another town (secretary and town), and for an unknown org; office may export it', async () => {
    for (const role of ['secretary', 'town']) {
      const res = await get(role, `/api/v1/businesses/export?org=${otherTown}`);
      expect(res.statusCode, role).toBe(404);
      expect(res.json().error.id).toBe('not_found');
    }
    expect((await get('secretary', '/api/v1/businesses/export?org=419001101000')).statusCode).toBe(404);
    expect((await get('office', '/api/v1/businesses/export?org=419001999999')).statusCode).toBe(404);
    expect((await get('office', `/api/v1/businesses/export?org=${otherTown}`)).statusCode).toBe(200);
    // Without an org, only the caller's own scope: nothing from the other town.
    const mine = await sheet((await get('secretary', '/api/v1/businesses/export')).rawPayload);
    expect(mine.slice(1).every((r) => r[0] === mine[1]![0])).toBe(true);
  });

  it('returns 400 for unknown parameters, a bad kind, and org and orgCode that disagree', async () => {
    for (const qs of ['foo=1', 'kind=factory', `org=${own}&orgCode=${otherTown}`, 'full=true', 'token=short']) {
      const res = await get('secretary', `/api/v1/businesses/export?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
  });

  it('applies the list filters: kind, search and linked/unlinked', async () => {
    const shops = await sheet((await get('secretary', `/api/v1/businesses/export?org=${own}&kind=shop`)).rawPayload);
    expect(shops.slice(1).every((r) => r[2] === '商户')).toBe(true);
    expect(byName(shops, '导出测试小卖部')).toBeTruthy();
    const found = await sheet((await get('secretary', `/api/v1/businesses/export?org=${own}&q=${encodeURIComponent('导出测试')}`)).rawPayload);
    expect(found.slice(1).map((r) => r[3]).sort()).toEqual(['导出测试小卖部', '导出测试班组']);
    const linked = await sheet((await get('secretary', `/api/v1/businesses/export?org=${own}&unlinked=false&q=${encodeURIComponent('导出测试')}`)).rawPayload);
    expect(linked.slice(1).map((r) => r[3])).toEqual(['导出测试小卖部']);
    const unlinked = await sheet((await get('secretary', `/api/v1/businesses/export?org=${own}&unlinked=true&q=${encodeURIComponent('导出测试')}`)).rawPayload);
    expect(unlinked.slice(1).map((r) => r[3])).toEqual(['导出测试班组']);
  });

  it('streams across several batches of 500 without losing or repeating rows', async () => {
    const { rows } = await t.database.db.execute<{ id: string }>(sql`SELECT id FROM orgs WHERE code = ${own}`);
    await t.database.db.execute(sql`
      INSERT INTO businesses (kind, org_id, name, name_initials, address)
      SELECT 'shop', ${rows[0]!.id}, '批量商户' || lpad(g::text, 5, '0'), 'plsh', '批量地址' FROM generate_series(1, 1200) g`);
    const res = await get('town', '/api/v1/businesses/export?q=' + encodeURIComponent('批量商户'));
    expect(res.statusCode).toBe(200);
    const out = await sheet(res.rawPayload);
    expect(out.length - 1).toBe(1200);
    expect(new Set(out.slice(1).map((r) => r[3])).size).toBe(1200);
  });
});

describe('GET /api/v1/businesses (linked member)', () => {
  it('shows the linked member and filters by unlinked=true/false', async () => {
    const shop = await get('secretary', `/api/v1/businesses/${shopId}`);
    expect(shop.json().data.linkedMember).toMatchObject({ name: memberName });
    expect((await get('secretary', `/api/v1/businesses/${enterpriseId}`)).json().data.linkedMember).toBeNull();
    const q = encodeURIComponent('导出测试');
    const linked = (await get('secretary', `/api/v1/businesses?org=${own}&q=${q}&unlinked=false`)).json().data;
    expect(linked.map((b: { id: string }) => b.id)).toEqual([shopId]);
    const unlinked = (await get('secretary', `/api/v1/businesses?org=${own}&q=${q}&unlinked=true`)).json().data;
    expect(unlinked.map((b: { name: string }) => b.name)).toEqual(['导出测试班组']);
    expect((await get('secretary', `/api/v1/businesses?unlinked=maybe`)).statusCode).toBe(400);
  });
});
