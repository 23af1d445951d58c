import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import ExcelJS from '../../lib/exceljs.ts';

let t: TestApp;
const s: Record<string, Session> = {};
const ROLES = ['office', 'town', 'secretary', 'member', 'department', 'leader', 'admin'] as const;
const KEJING = '419001100000';
let own: string;
let neighbour: string;
let ownId: string;

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ROLES) s[r] = await login(t.app, r);
  const { rows } = await t.database.db.execute<{ code: string; id: string }>(sql`
    SELECT v.code, v.id FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE p.code = ${KEJING} ORDER BY v.sort_key LIMIT 2`);
  own = rows[0]!.code;
  ownId = rows[0]!.id;
  neighbour = rows[1]!.code;
});
afterAll(async () => { await t.close(); });

function req(role: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}

async function member(orgCode: string, name: string): Promise<string> {
  const { rows } = await t.database.db.execute<{ id: string }>(sql`
    INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', ${name}, 'M' FROM orgs WHERE code = ${orgCode} RETURNING id`);
  return rows[0]!.id;
}
async function grid(villageCode: string, suffix: string): Promise<string> {
  const code = `${villageCode}-${suffix}`;
  await t.database.db.execute(sql`
    INSERT INTO orgs (code, name, short_name, level, parent_id, path, depth, pinyin_initials, pinyin, valid_from)
    SELECT ${code}, ${suffix + '网格'}, ${suffix + '网格'}, 'grid', id, path || '/' || ${code}, depth + 1, '', '', '2023-06-30'
    FROM orgs WHERE code = ${villageCode}`);
  return code;
}
async function household(role: string, org: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await req(role, 'POST', '/api/v1/households', householdBody(org, { residents: [residentBody()], ...extra }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.id;
}
async function cov(role: string, org?: string) {
  const res = await req(role, 'GET', `/api/v1/coverage${org ? `?org=${org}` : ''}`);
  return res;
}

describe('links: history is never overwritten', () => {
  it('reassigning three times keeps four links, one active, each closed with its date and reason', async () => {
    const hid = await household('secretary', own);
    const m = [await member(own, '甲党员'), await member(own, '乙党员'), await member(own, '丙党员'), await member(own, '丁党员')];
    const first = await req('secretary', 'POST', '/api/v1/links', { personId: m[0], householdId: hid, startsOn: '2024-01-01' });
    expect(first.statusCode).toBe(201);
    const clash = await req('secretary', 'POST', '/api/v1/links', { personId: m[1], householdId: hid });
    expect(clash.statusCode).toBe(409);
    const reasons = ['moved', 'transferred', 'died'] as const;
    for (let i = 1; i < 4; i++) {
      const r = await req('secretary', 'POST', '/api/v1/links', { personId: m[i], householdId: hid, startsOn: `2025-0${i}-01`, replaceReason: reasons[i - 1] });
      expect(r.statusCode, r.body).toBe(201);
    }
    const hist = (await req('secretary', 'GET', `/api/v1/links?household=${hid}&history=true`)).json().data;
    expect(hist.map((l: { personName: string; startsOn: string; endsOn: string | null; endReason: string | null }) => [l.personName, l.startsOn, l.endsOn, l.endReason])).toEqual([
      ['甲党员', '2024-01-01', '2025-01-01', 'moved'],
      ['乙党员', '2025-01-01', '2025-02-01', 'transferred'],
      ['丙党员', '2025-02-01', '2025-03-01', 'died'],
      ['丁党员', '2025-03-01', null, null],
    ]);
    const active = (await req('secretary', 'GET', `/api/v1/links?household=${hid}`)).json().data;
    expect(active.map((l: { personName: string }) => l.personName)).toEqual(['丁党员']);
  });

  it('the database allows only one active primary link per household, whatever the service does', async () => {
    const hid = await household('secretary', own);
    const a = await member(own, '戊党员');
    const b = await member(own, '己党员');
    await req('secretary', 'POST', '/api/v1/links', { personId: a, householdId: hid });
    await expect(t.database.pool.query(`INSERT INTO links (person_id, household_id, role, org_id, starts_on) VALUES ($1, $2, 'primary', $3, '2026-01-01')`, [b, hid, ownId]))
      .rejects.toThrow(/links_household_primary_key/);
  });

  it('POST /api/v1/links/:id/end closes a link once (200), then 409; a helper link may sit beside the primary', async () => {
    const hid = await household('secretary', own);
    const a = await member(own, '庚党员');
    const helper = await req('secretary', 'POST', '/api/v1/links', { personId: a, householdId: hid, role: 'helper' });
    expect(helper.statusCode).toBe(201);
    const p = await req('secretary', 'POST', '/api/v1/links', { personId: await member(own, '辛党员'), householdId: hid });
    expect(p.statusCode).toBe(201);
    const id = helper.json().data.id;
    expect((await req('secretary', 'POST', `/api/v1/links/${id}/end`, { reason: 'other' })).statusCode).toBe(200);
    expect((await req('secretary', 'POST', `/api/v1/links/${id}/end`, { reason: 'other' })).statusCode).toBe(409);
  });

  it('transfer moves every active link of a member who died to a successor, ending the old ones', async () => {
    const dead = await member(own, '壬党员');
    const heir = await member(own, '癸党员');
    const hids = [await household('secretary', own), await household('secretary', own)];
    for (const h of hids) await req('secretary', 'POST', '/api/v1/links', { personId: dead, householdId: h });
    const res = await req('secretary', 'POST', '/api/v1/links/transfer', { fromPersonId: dead, toPersonId: heir, reason: 'died' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.moved).toBe(2);
    expect((await req('secretary', 'GET', `/api/v1/links?person=${dead}`)).json().data).toEqual([]);
    const old = (await req('secretary', 'GET', `/api/v1/links?person=${dead}&history=true`)).json().data;
    expect(old.map((l: { endReason: string }) => l.endReason)).toEqual(['died', 'died']);
    expect((await req('secretary', 'GET', `/api/v1/links?person=${heir}`)).json().data).toHaveLength(2);
  });
});

describe('coverage, unlinked list and suggestions', () => {
  it('counts linked and unlinked households per village, sums them for the town, and lists the unlinked', async () => {
    const before = (await cov('town', KEJING)).json().data;
    const m = await member(neighbour, '覆盖党员');
    const h1 = await household('town', neighbour);
    const h2 = await household('town', neighbour);
    await req('town', 'POST', '/api/v1/links', { personId: m, householdId: h1 });
    const village = (await cov('town', neighbour)).json().data;
    expect(village.households).toEqual({ total: 2, linked: 1, unlinked: 1, rate: 0.5 });
    const after = (await cov('town', KEJING)).json().data;
    expect(after.households.total - before.households.total).toBe(2);
    expect(after.households.linked - before.households.linked).toBe(1);
    const child = after.children.find((c: { code: string }) => c.code === neighbour);
    expect(child.households).toEqual(village.households);
    const unlinked = (await req('town', 'GET', `/api/v1/coverage/unlinked?org=${neighbour}`)).json().data;
    expect(unlinked.map((u: { householdId: string }) => u.householdId)).toEqual([h2]);
    // The registry list filters the same way: 未联系, and by linked member.
    const byFilter = (await req('town', 'GET', `/api/v1/households?org=${neighbour}&unlinked=true`)).json().data;
    expect(byFilter.map((h: { id: string }) => h.id)).toEqual([h2]);
    const byMember = (await req('town', 'GET', `/api/v1/households?org=${neighbour}&member=${m}`)).json().data;
    expect(byMember.map((h: { id: string }) => h.id)).toEqual([h1]);
    expect(village.members.total).toBeGreaterThanOrEqual(1);
    expect(village.members.under).toBe(village.members.total); // everyone below the default minimum of 5
  });

  it('suggests deterministic assignments in the same grid first, never over the maximum, and accepting them links everyone', async () => {
    const village = neighbour;
    await t.database.db.execute(sql`UPDATE settings SET value = '{"min": 1, "max": 3}' WHERE key = 'links.targetLoad'`);
    const gA = await grid(village, 'G01');
    const gB = await grid(village, 'G02');
    const a = await member(village, '网格一党员');
    const b = await member(village, '网格二党员');
    const seedA = await household('town', village, { gridCode: gA });
    const seedB = await household('town', village, { gridCode: gB });
    await req('town', 'POST', '/api/v1/links', { personId: a, householdId: seedA });
    await req('town', 'POST', '/api/v1/links', { personId: b, householdId: seedB });
    for (let i = 0; i < 3; i++) await household('town', village, { gridCode: gA });
    await household('town', village, { gridCode: gB });

    const first = await req('town', 'POST', '/api/v1/coverage/suggestions', { org: village });
    expect(first.statusCode).toBe(200);
    const second = await req('town', 'POST', '/api/v1/coverage/suggestions', { org: village });
    expect(second.json()).toEqual(first.json());
    const sug = first.json().data.suggestions as { personId: string; householdId: string; gridCode: string | null; orgCode: string; reason: string }[];
    expect(sug.every((x) => x.orgCode === village)).toBe(true);
    // Grid A's member takes grid A households up to the maximum (3), then someone else does.
    const toA = sug.filter((x) => x.personId === a);
    expect(toA.length).toBe(2);
    expect(toA.every((x) => x.gridCode === gA && x.reason === 'same_grid')).toBe(true);
    const members = (await req('town', 'GET', `/api/v1/coverage/members?org=${village}&limit=200`)).json().data as { id: string; load: number }[];
    const loads = new Map(members.map((m) => [m.id, m.load]));
    for (const x of sug) loads.set(x.personId, loads.get(x.personId)! + 1);
    expect(Math.max(...loads.values())).toBeLessThanOrEqual(3);

    const accept = await req('town', 'POST', '/api/v1/links/batch', { links: sug.map((x) => ({ personId: x.personId, householdId: x.householdId })) });
    expect(accept.statusCode, accept.body).toBe(201);
    const again = await req('town', 'POST', '/api/v1/links/batch', { links: sug.slice(0, 1).map((x) => ({ personId: x.personId, householdId: x.householdId })) });
    expect(again.statusCode).toBe(409);
    const left = (await req('town', 'GET', `/api/v1/coverage/unlinked?org=${village}&kind=household`)).json().data;
    expect(left.length).toBe(first.json().data.unassigned);
    await t.database.db.execute(sql`UPDATE settings SET value = '{"min": 5, "max": 20}' WHERE key = 'links.targetLoad'`);
  });
});

describe('links and coverage: scopes', () => {
  it('answers each role as its scope allows', async () => {
    const hid = await household('town', neighbour);
    const m = await member(neighbour, '范围党员');
    // Secretary of the other village: not found; leader: may read but not write; member/department/admin: forbidden.
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: m, householdId: hid })).statusCode).toBe(404);
    expect((await req('leader', 'POST', '/api/v1/links', { personId: m, householdId: hid })).statusCode).toBe(403);
    for (const role of ['member', 'department', 'admin']) {
      expect((await req(role, 'POST', '/api/v1/links', { personId: m, householdId: hid })).statusCode, role).toBe(404);
    }
    expect((await cov('department')).statusCode).toBe(403);
    expect((await cov('admin')).statusCode).toBe(403);
    expect((await cov('member')).json().data.code).toBe(own);
    expect((await cov('member', KEJING)).statusCode).toBe(404);
    expect((await cov('secretary', neighbour)).statusCode).toBe(404);
    expect((await cov('office')).json().data.code).toBe('419001000000');
    expect((await req('secretary', 'GET', `/api/v1/coverage/unlinked?org=${neighbour}`)).statusCode).toBe(404);
  });

  it('lets a member list their own links but not another member\'s', async () => {
    const { rows } = await t.database.db.execute<{ person_id: string }>(sql`SELECT person_id FROM accounts WHERE username = 'member'`);
    const mine = rows[0]!.person_id;
    const hid = await household('secretary', own);
    await req('secretary', 'POST', '/api/v1/links', { personId: mine, householdId: hid });
    const res = await req('member', 'GET', `/api/v1/links?person=${mine}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((l: { householdId: string }) => l.householdId)).toContain(hid);
    const other = await member(own, '他人党员');
    expect((await req('member', 'GET', `/api/v1/links?person=${other}`)).statusCode).toBe(404);
  });

  it('returns 400 for a link naming both or neither constituent, and for a bad cursor', async () => {
    const m = await member(own, '校验党员');
    const hid = await household('secretary', own);
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: m })).statusCode).toBe(400);
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: m, householdId: hid, businessId: hid })).statusCode).toBe(400);
    expect((await req('secretary', 'GET', `/api/v1/coverage/unlinked?cursor=xyz`)).statusCode).toBe(400);
  });
});

describe('GET /api/v1/links/export.xlsx (党员联户名册)', () => {
  async function sheets(body: Buffer): Promise<Record<string, string[][]>> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    const out: Record<string, string[][]> = {};
    for (const ws of wb.worksheets) {
      out[ws.name] = [];
      ws.eachRow((row) => { out[ws.name]!.push(Array.from((row.values as unknown[]).slice(1), (v) => String(v ?? ''))); });
    }
    return out;
  }

  it('returns 200 with the village\'s current links and its unlinked constituents — names and addresses only, no ID numbers — audited', async () => {
    const head = residentBody({ phone: '13877776666' });
    const linked = await household('secretary', own, { address: '名册测试 1 号', residents: [head] });
    await household('secretary', own, { address: '=名册测试 2 号' });
    const m = await member(own, '名册党员');
    await t.database.db.execute(sql`UPDATE people SET work_phone = '13911112222' WHERE id = ${m}`);
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: m, householdId: linked, startsOn: '2025-03-01' })).statusCode).toBe(201);
    const res = await req('secretary', 'GET', `/api/v1/links/export.xlsx?org=${own}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('党员联户名册'));
    const book = await sheets(res.rawPayload);
    expect(Object.keys(book)).toEqual(['联户名册', '未联系对象']);
    expect(book['联户名册']![0]).toEqual(['序号', '村（社区）', '党员姓名', '党员工作电话', '联系类型', '对象类型', '户主（名称）', '地址', '网格', '联系起始日期']);
    const row = book['联户名册']!.find((r) => r[7] === '名册测试 1 号');
    expect(row?.slice(2)).toEqual(['名册党员', '13911112222', '主联系人', '住户', `${head.name}户`, '名册测试 1 号', '', '2025-03-01']);
    const unlinked = book['未联系对象']!.find((r) => r[4]?.includes('名册测试 2 号'));
    expect(unlinked?.[4]).toBe("'=名册测试 2 号"); // formula injection escaped
    expect(book['未联系对象']!.some((r) => r[4] === '名册测试 1 号')).toBe(false);
    const text = JSON.stringify(book);
    expect(text).not.toContain(head.idNumber);
    expect(text).not.toContain('13877776666');
    // Only the caller's scope: every village in the file is the secretary's own.
    const villages = new Set([...book['联户名册']!.slice(1), ...book['未联系对象']!.slice(1)].map((r) => r[1]));
    expect(villages.size).toBe(1);
    const audit = await t.database.db.execute<{ after: { org: string; links: number; unlinked: number } }>(sql`
      SELECT after FROM audit_events WHERE action = 'link.export' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0]!.after).toMatchObject({ org: own, links: book['联户名册']!.length - 1, unlinked: book['未联系对象']!.length - 1 });
  });

  it('answers by scope: neighbour village 404 for the secretary, 200 for town and leader, 403 for member, department and admin', async () => {
    expect((await req('secretary', 'GET', `/api/v1/links/export.xlsx?org=${neighbour}`)).statusCode).toBe(404);
    expect((await req('town', 'GET', `/api/v1/links/export.xlsx?org=${neighbour}`)).statusCode).toBe(200);
    expect((await req('leader', 'GET', `/api/v1/links/export.xlsx?org=${own}`)).statusCode).toBe(200);
    for (const r of ['member', 'department', 'admin']) expect((await req(r, 'GET', `/api/v1/links/export.xlsx?org=${own}`)).statusCode, r).toBe(403);
    expect((await req('secretary', 'GET', '/api/v1/links/export.xlsx?org=bad')).statusCode).toBe(400);
  });
});

describe('撤销 a one-click assignment (POST /api/v1/links/:id/undo)', () => {
  it('ends the link today with assignment_undone (kept in history), the household is unlinked again, coverage follows, audited', async () => {
    const hid = await household('secretary', own);
    const m = await member(own, '撤销党员');
    const before = (await cov('secretary', own)).json().data.households.linked;
    const link = await req('secretary', 'POST', '/api/v1/links', { personId: m, householdId: hid });
    expect(link.statusCode).toBe(201);
    expect((await cov('secretary', own)).json().data.households.linked).toBe(before + 1);
    const id = link.json().data.id;
    const undone = await req('secretary', 'POST', `/api/v1/links/${id}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json().data).toMatchObject({ id, endReason: 'assignment_undone' });
    expect(undone.json().data.endsOn).toBe(undone.json().data.startsOn);
    expect((await cov('secretary', own)).json().data.households.linked).toBe(before);
    const unlinked = (await req('secretary', 'GET', `/api/v1/coverage/unlinked?org=${own}&kind=household&limit=200`)).json().data;
    expect(unlinked.map((u: { householdId: string }) => u.householdId)).toContain(hid);
    const hist = (await req('secretary', 'GET', `/api/v1/links?household=${hid}&history=true`)).json().data;
    expect(hist.map((l: { id: string; endReason: string | null }) => [l.id, l.endReason])).toEqual([[id, 'assignment_undone']]);
    const { rows } = await t.database.db.execute<{ actor_username: string }>(sql`
      SELECT actor_username FROM audit_events WHERE action = 'link.undo' AND entity_id = ${id}`);
    expect(rows.map((r) => r.actor_username)).toEqual(['secretary']);
    // Undone once: a second undo is a conflict, and the household can be assigned again.
    expect((await req('secretary', 'POST', `/api/v1/links/${id}/undo`)).statusCode).toBe(409);
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: m, householdId: hid })).statusCode).toBe(201);
  });

  it('answers 404 to another village\'s secretary and unknown ids, 403 to read-only roles, 409 for an ended, superseded or old link; nothing changes', async () => {
    const hid = await household('secretary', own);
    const [a, b] = [await member(own, '庚党员'), await member(own, '辛党员')];
    const id = (await req('secretary', 'POST', '/api/v1/links', { personId: a, householdId: hid })).json().data.id;
    // Another village's secretary: a secretary of the neighbour village logs in with a fresh account.
    await t.database.db.execute(sql`
      INSERT INTO accounts (username, display_name, password_hash)
      SELECT 'sec-neighbour', '邻村书记', password_hash FROM accounts WHERE username = 'secretary'`);
    await t.database.db.execute(sql`
      INSERT INTO account_roles (account_id, role, org_id)
      SELECT a.id, 'secretary', o.id FROM accounts a, orgs o WHERE a.username = 'sec-neighbour' AND o.code = ${neighbour}`);
    s['sec-neighbour'] = await login(t.app, 'sec-neighbour');
    expect((await req('sec-neighbour', 'POST', `/api/v1/links/${id}/undo`)).statusCode).toBe(404);
    expect((await req('secretary', 'POST', '/api/v1/links/00000000-0000-4000-8000-000000000000/undo')).statusCode).toBe(404);
    expect((await req('leader', 'POST', `/api/v1/links/${id}/undo`)).statusCode).toBe(403);
    expect((await req('member', 'POST', `/api/v1/links/${id}/undo`)).statusCode).toBe(404);
    // Superseded by a reassignment: the old link ended with its reason; undoing it would rewrite that history.
    const newer = (await req('secretary', 'POST', '/api/v1/links', { personId: b, householdId: hid, replaceReason: 'reassigned' })).json().data.id;
    expect((await req('secretary', 'POST', `/api/v1/links/${id}/undo`)).statusCode).toBe(409);
    // Older than the window: a later change needs 更换 with a real reason.
    await t.database.db.execute(sql`UPDATE links SET created_at = now() - interval '11 minutes' WHERE id = ${newer}`);
    const old = await req('secretary', 'POST', `/api/v1/links/${newer}/undo`);
    expect(old.statusCode).toBe(409);
    expect(old.json().error.message).toContain('10 分钟');
    const hist = (await req('secretary', 'GET', `/api/v1/links?household=${hid}&history=true`)).json().data;
    expect(hist.map((l: { id: string; endReason: string | null }) => [l.id, l.endReason]).sort()).toEqual([[id, 'reassigned'], [newer, null]].sort());
  });
});
