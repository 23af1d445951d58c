import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, scopeVillages, login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { encrypt } from '../../lib/crypto.ts';
import { fillPhoneTails } from '../households/households.service.ts';
import { fillNameInitials } from '../links/links.service.ts';

let t: TestApp;
const s: Record<string, Session> = {};
const ROLES = DEMO_ROLES;
let own: string; // the secretary's (and the member's) village in 克井镇
let neighbour: string; // another village of 克井镇
let otherTown: string; // a village of 五龙口镇

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ROLES) s[r] = await login(t.app, r);
  ({ own, neighbour, otherTown } = await scopeVillages(t));
});
afterAll(async () => { await t.close(); });

function req(role: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
async function household(role: string, org: string, overrides: Record<string, unknown>): Promise<string> {
  const res = await req(role, 'POST', '/api/v1/households', householdBody(org, overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.id;
}
async function search(role: string, q: string, limit?: number) {
  return req(role, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`);
}
type Group = { items: { id?: string; code?: string }[]; more: boolean } | null;
const ids = (g: Group) => (g ? g.items.map((i) => i.id ?? i.code) : null);

describe('GET /api/v1/search', () => {
  let nie: string; // 聂刚宁户 at 1组 10号 in the secretary's village
  let far: string; // 聂刚宁户 too, in a village of another town
  let wife: string; // a household found by a resident who is not the head
  let shop: string;

  beforeAll(async () => {
    nie = await household('secretary', own, {
      address: '搜索村 1组 10号',
      residents: [residentBody({ name: '聂刚宁', phone: '13800004321' }), residentBody({ name: '聂小红', relation: '女', sex: 'F', birthDate: '1998-01-02', phone: null })],
    });
    far = await household('office', otherTown, { address: '远村 三组 10号', residents: [residentBody({ name: '聂刚宁', phone: '13900004321' })] });
    wife = await household('secretary', own, {
      address: '搜索村 2组 1号',
      residents: [residentBody({ name: '甘为民', phone: null }), residentBody({ name: '蓟秋菊', relation: '配偶', sex: 'F', birthDate: '1972-03-02', phone: null })],
    });
    const res = await req('secretary', 'POST', '/api/v1/businesses', {
      kind: 'shop', orgCode: own, name: '聂记搜索小卖部', address: '搜索村 三组 5号', contactName: '聂刚宁', contactPhone: '13700002468',
    });
    expect(res.statusCode, res.body).toBe(201);
    shop = res.json().data.id;
  });

  it('returns 200 with households found by pinyin initials ("ngn"), grouped with orgs, businesses and members', async () => {
    const res = await search('secretary', 'ngn');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    expect(Object.keys(d).sort()).toEqual(['businesses', 'households', 'listOrg', 'members', 'orgs']);
    expect(d.households.items).toEqual([expect.objectContaining({ id: nie, headName: '聂刚宁', address: '搜索村 1组 10号', match: 'initials' })]);
    expect(d.listOrg).toBe(own);
  });

  it('finds a household by the head\'s name, any resident\'s name, its address without spaces, and a phone tail', async () => {
    expect(ids((await search('secretary', '聂刚宁')).json().data.households)).toEqual([nie]);
    const byResident = (await search('secretary', '蓟秋菊')).json().data.households.items;
    expect(byResident).toEqual([expect.objectContaining({ id: wife, headName: '甘为民', match: 'resident', residentName: '蓟秋菊' })]);
    for (const q of ['1组10号', '1组 10号', '１组１０号', '一组十号', '搜索村1组10号']) {
      const hh = (await search('secretary', q)).json().data.households.items;
      expect(hh.map((h: { id: string }) => h.id), q).toContain(nie);
      expect(hh.find((h: { id: string }) => h.id === nie).match, q).toBe('address');
    }
    expect((await search('secretary', '1组1号')).json().data.households.items.map((h: { id: string }) => h.id)).not.toContain(nie);
    const tail = (await search('secretary', '4321')).json().data.households.items;
    expect(tail).toEqual([expect.objectContaining({ id: nie, match: 'phone' })]);
    expect(JSON.stringify(tail)).not.toContain('13800004321');
  });

  it('finds 三组 by 3组 and the reverse, for households and businesses', async () => {
    expect(ids((await search('office', '3组10号')).json().data.households)).toContain(far);
    expect(ids((await search('office', '三组10号')).json().data.households)).toContain(far);
    const bz = (await search('secretary', '3组5号')).json().data.businesses.items;
    expect(bz).toEqual([expect.objectContaining({ id: shop, kind: 'shop', match: 'address' })]);
  });

  it('finds businesses by name, initials and contact phone tail, and members by name', async () => {
    expect((await search('secretary', '聂记')).json().data.businesses.items).toEqual([expect.objectContaining({ id: shop, match: 'name' })]);
    expect(ids((await search('secretary', 'njss')).json().data.businesses)).toEqual([shop]);
    expect((await search('secretary', '2468')).json().data.businesses.items).toEqual([expect.objectContaining({ id: shop, match: 'phone' })]);
    for (const q of ['李秀英', 'lxy']) {
      const member = (await search('secretary', q)).json().data.members.items;
      expect(member, q).toEqual([expect.objectContaining({ name: '李秀英', kind: 'member', orgCode: own, load: expect.any(Number) })]);
    }
  });

  it('keeps to the caller\'s scope: a secretary never sees another village\'s households; the office sees both', async () => {
    expect(ids((await search('secretary', '聂刚宁')).json().data.households)).toEqual([nie]);
    expect(ids((await search('town', '聂刚宁')).json().data.households)).toEqual([nie]);
    expect(new Set(ids((await search('office', '聂刚宁')).json().data.households))).toEqual(new Set([nie, far]));
    expect((await search('secretary', '远村')).json().data.households.items).toEqual([]);
    const sec = (await search('secretary', '克井')).json().data.orgs.items.map((o: { code: string }) => o.code);
    expect(sec).toEqual([own].filter((c) => sec.includes(c))); // only their own village of the town's name, if at all
  });

  it('gives a department and the administrator org names only (no personal data), and a member only their linked households and businesses', async () => {
    for (const role of ['department', 'admin']) {
      const d = (await search(role, '聂刚宁')).json().data;
      expect(d, role).toMatchObject({ households: null, businesses: null, members: null });
      expect((await search(role, '克井镇')).json().data.orgs.items.length, role).toBeGreaterThan(0);
    }
    let d = (await search('member', '聂')).json().data;
    expect(d).toMatchObject({ households: { items: [] }, businesses: { items: [] }, members: null, listOrg: own });
    const { rows } = await t.database.db.execute<{ person_id: string }>(sql`SELECT person_id FROM accounts WHERE username = 'member'`);
    for (const body of [{ householdId: nie }, { businessId: shop }]) {
      const link = await req('secretary', 'POST', '/api/v1/links', { personId: rows[0]!.person_id, ...body });
      expect(link.statusCode, link.body).toBe(201);
    }
    d = (await search('member', '聂')).json().data;
    expect(ids(d.households)).toEqual([nie]);
    expect(ids(d.businesses)).toEqual([shop]);
    expect(d.members).toBeNull();
  });

  it('says there are more than the limit, and answers 400 for an empty, overlong or unknown parameter and 401 without a session', async () => {
    const d = (await search('secretary', '搜索村', 1)).json().data;
    expect(d.households).toMatchObject({ more: true });
    expect(d.households.items).toHaveLength(1);
    for (const url of ['/api/v1/search?q=', '/api/v1/search?q=' + 'x'.repeat(41), '/api/v1/search?q=a&x=1', '/api/v1/search?q=a&limit=0']) {
      const res = await req('secretary', 'GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search?q=a' })).statusCode).toBe(401);
  });

  it('fills the pinyin initials of people written before they existed, so they are found by them too', async () => {
    await t.database.db.execute(sql`UPDATE people SET name_initials = NULL WHERE name = '李秀英'`);
    expect((await search('secretary', 'lxy')).json().data.members.items).toEqual([]);
    expect(await fillNameInitials(t.database.db)).toBeGreaterThanOrEqual(1);
    expect((await search('secretary', 'lxy')).json().data.members.items.map((m: { name: string }) => m.name)).toEqual(['李秀英']);
  });

  it('fills the phone tail of residents written before it existed, so they are found by it too', async () => {
    const id = await household('secretary', own, { address: '搜索村 9组 1号', residents: [residentBody({ name: '旧数据', phone: null })] });
    await t.database.db.execute(sql`
      UPDATE residents SET phone_enc = ${encrypt(t.config.keyring, '13612348765')}, phone_tail = NULL WHERE household_id = ${id}`);
    expect((await search('secretary', '8765')).json().data.households.items).toEqual([]);
    expect(await fillPhoneTails(t.database.db, t.config.keyring)).toBeGreaterThanOrEqual(1);
    expect(ids((await search('secretary', '8765')).json().data.households)).toEqual([id]);
  });
});

describe('lists in address order as people read it', () => {
  const addresses = ['排序村 1组 19号', '排序村 1组 2号', '排序村 1组 20号', '排序村 1组 9号', '排序村 1组 10号', '排序村 1组 1号', '排序村 三组 1号', '排序村 2组 1号'];
  const expected = ['排序村 1组 1号', '排序村 1组 2号', '排序村 1组 9号', '排序村 1组 10号', '排序村 1组 19号', '排序村 1组 20号', '排序村 2组 1号', '排序村 三组 1号'];
  beforeAll(async () => {
    for (const address of addresses) await household('town', neighbour, { address, residents: [residentBody({ name: '排序户' })] });
  });

  it('returns households 1号, 2号, 9号, 10号, 19号, 20号, then 2组 and 三组 — the same through every page of the cursor', async () => {
    const all = (await req('town', 'GET', `/api/v1/households?org=${neighbour}&q=${encodeURIComponent('排序村')}`)).json().data;
    expect(all.map((h: { address: string }) => h.address)).toEqual(expected);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await req('town', 'GET', `/api/v1/households?org=${neighbour}&q=${encodeURIComponent('排序村')}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      paged.push(...res.json().data.map((h: { address: string }) => h.address));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(paged).toEqual(expected);
  });

  it('returns the unlinked list in the same order, page by page', async () => {
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await req('town', 'GET', `/api/v1/coverage/unlinked?org=${neighbour}&kind=household&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      paged.push(...res.json().data.map((h: { address: string }) => h.address));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(paged.filter((a) => a.startsWith('排序村'))).toEqual(expected);
  });

  it('finds "1组10号" in the households list whatever the spacing or width', async () => {
    for (const q of ['1组10号', '排序村1组10号', '１组 １０号', '一组十号']) {
      const res = await req('town', 'GET', `/api/v1/households?org=${neighbour}&q=${encodeURIComponent(q)}`);
      expect(res.json().data.map((h: { address: string }) => h.address), q).toEqual(['排序村 1组 10号']);
    }
  });
});
