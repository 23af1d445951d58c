import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { treeAsOf } from '../orgs/orgs.restructure.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let v: { own: string; neighbour: string; otherTown: string };
let seq = 0;

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'town', 'secretary', 'member', 'leader', 'department']) s[r] = await login(t.app, r);
  v = await scopeVillages(t);
});
afterAll(async () => { await t.close(); });

function req(role: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
async function createGrid(village: string, name = `网格${++seq}`, role = 'secretary'): Promise<string> {
  const res = await req(role, 'POST', '/api/v1/grids', { villageCode: village, name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.code;
}
async function household(village: string, role = 'secretary', gridCode?: string): Promise<string> {
  const res = await req(role, 'POST', '/api/v1/households', householdBody(village, { address: `测试村 9组 ${++seq}号`, residents: [residentBody({ name: `网格户${seq}` })], ...(gridCode ? { gridCode } : {}) }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.id;
}
async function member(village: string, name: string): Promise<string> {
  const { rows } = await t.database.db.execute<{ id: string }>(sql`
    INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', ${name}, 'M' FROM orgs WHERE code = ${village} RETURNING id`);
  return rows[0]!.id;
}
async function gridOfHousehold(id: string): Promise<string | null> {
  const { rows } = await t.database.db.execute<{ code: string | null }>(sql`SELECT g.code FROM households h LEFT JOIN orgs g ON g.id = h.grid_id WHERE h.id = ${id}`);
  return rows[0]!.code;
}
async function listGrids(role: string, village: string, retired = false) {
  const res = await req(role, 'GET', `/api/v1/grids?village=${village}${retired ? '&retired=true' : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { data: { code: string; name: string; validTo: string | null; mergedIntoCode: string | null; leader: { id: string; name: string } | null; counts: { households: number; businesses: number; people: number } }[]; abilities: { manage: boolean } };
}

describe('creating grids', () => {
  it('returns 201 with the next <village>-Gnn code and refuses a second grid of the same name with 409', async () => {
    const a = await createGrid(v.own, '东片');
    const b = await createGrid(v.own, '西片');
    expect(a).toMatch(new RegExp(`^${v.own}-G\\d{2,}$`));
    expect(Number(b.split('-G')[1])).toBe(Number(a.split('-G')[1]) + 1);
    const dup = await req('secretary', 'POST', '/api/v1/grids', { villageCode: v.own, name: '东片' });
    expect(dup.statusCode).toBe(409);
    const list = await listGrids('secretary', v.own);
    expect(list.data.map((g) => g.name)).toEqual(expect.arrayContaining(['东片', '西片']));
    expect(list.abilities.manage).toBe(true);
    // The village's org page lists the grid as a child, so every existing grid picker sees it.
    const kids = await req('secretary', 'GET', `/api/v1/orgs?parent=${v.own}`);
    expect(kids.json().data.map((o: { code: string }) => o.code)).toContain(a);
  });

  it('returns 201 for the town and the office inside their scope', async () => {
    await createGrid(v.neighbour, '南片', 'town');
    await createGrid(v.otherTown, '北片', 'office');
  });

  it('returns 404 when a secretary or a town works on a village outside their scope', async () => {
    expect((await req('secretary', 'POST', '/api/v1/grids', { villageCode: v.neighbour, name: '越界' })).statusCode).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/grids?village=${v.neighbour}`)).statusCode).toBe(404);
    expect((await req('town', 'POST', '/api/v1/grids', { villageCode: v.otherTown, name: '越界' })).statusCode).toBe(404);
  });

  it('returns 403 when a member, a leader or a department tries to manage grids', async () => {
    expect((await req('member', 'POST', '/api/v1/grids', { villageCode: v.own, name: '党员建' })).statusCode).toBe(403);
    expect((await req('leader', 'POST', '/api/v1/grids', { villageCode: v.own, name: '领导建' })).statusCode).toBe(403);
    expect((await req('department', 'POST', '/api/v1/grids', { villageCode: v.own, name: '部门建' })).statusCode).toBe(403);
    expect((await req('member', 'GET', `/api/v1/grids?village=${v.own}`)).statusCode).toBe(403);
  });
});

describe('renaming a grid', () => {
  it('returns 200, keeps the old name in org_history, and the tree as of an earlier day still shows it', async () => {
    const code = await createGrid(v.own, '老名字');
    // A grid created some time ago (today's creation and today's rename would leave no day under the old name).
    await t.database.db.execute(sql`UPDATE orgs SET valid_from = '2024-01-01' WHERE code = ${code}`);
    const res = await req('secretary', 'POST', `/api/v1/grids/${code}/rename`, { name: '新名字' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.name).toBe('新名字');
    const { rows } = await t.database.db.execute<{ name: string; change: string }>(sql`
      SELECT h.name, h.change FROM org_history h JOIN orgs o ON o.id = h.org_id WHERE o.code = ${code}`);
    expect(rows).toEqual([{ name: '老名字', change: 'rename' }]);
    const { rows: [village] } = await t.database.db.execute<{ path: string }>(sql`SELECT path FROM orgs WHERE code = ${v.own}`);
    const then = await treeAsOf(t.database.db, '2024-06-01', village!.path);
    expect(then.find((r) => r.code === code)?.name).toBe('老名字');
    const now = await treeAsOf(t.database.db, '2099-01-01', village!.path);
    expect(now.find((r) => r.code === code)?.name).toBe('新名字');
  });

  it('returns 403 for a member and 404 for a secretary of another village', async () => {
    const code = await createGrid(v.neighbour, '邻村网格', 'town');
    expect((await req('secretary', 'POST', `/api/v1/grids/${code}/rename`, { name: '改' })).statusCode).toBe(404);
    const own = await createGrid(v.own);
    expect((await req('member', 'POST', `/api/v1/grids/${own}/rename`, { name: '改' })).statusCode).toBe(403);
  });
});

describe('网格长', () => {
  it('returns 200 setting a member of the branch, 400 for a member of another village, and clears with null', async () => {
    const code = await createGrid(v.own);
    const mine = await member(v.own, '网格长甲');
    const theirs = await member(v.neighbour, '邻村党员');
    const set = await req('secretary', 'POST', `/api/v1/grids/${code}/leader`, { personId: mine });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().data.leader).toEqual({ id: mine, name: '网格长甲' });
    const candidates = await req('secretary', 'GET', `/api/v1/grids/candidates?village=${v.own}`);
    expect(candidates.json().data.map((c: { id: string }) => c.id)).toContain(mine);
    expect(candidates.json().data.map((c: { id: string }) => c.id)).not.toContain(theirs);
    expect((await req('secretary', 'POST', `/api/v1/grids/${code}/leader`, { personId: theirs })).statusCode).toBe(400);
    const cleared = await req('secretary', 'POST', `/api/v1/grids/${code}/leader`, { personId: null });
    expect(cleared.json().data.leader).toBeNull();
    const { rows } = await t.database.db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM grid_leaders l JOIN orgs g ON g.id = l.grid_id WHERE g.code = ${code} AND l.ends_on IS NOT NULL`);
    expect(rows[0]!.n).toBe(1);
    expect((await req('member', 'POST', `/api/v1/grids/${code}/leader`, { personId: mine })).statusCode).toBe(403);
  });
});

describe('划入网格 (bulk assign)', () => {
  it('returns 200, moves the households and people, and audits who was where before and after', async () => {
    const code = await createGrid(v.own);
    const h1 = await household(v.own);
    const h2 = await household(v.own);
    const p = await member(v.own, '划入党员');
    const res = await req('secretary', 'POST', '/api/v1/grids/assign', { villageCode: v.own, gridCode: code, households: [h1, h2], people: [p] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual({ households: 2, businesses: 0, people: 1 });
    expect(await gridOfHousehold(h1)).toBe(code);
    const g = (await listGrids('secretary', v.own)).data.find((x) => x.code === code)!;
    expect(g.counts).toEqual({ households: 2, businesses: 0, people: 1 });
    const { rows } = await t.database.db.execute<{ before: { households: { count: number; byGrid: Record<string, string[]> } }; after: { households: { grid: string; ids: string[] } } }>(sql`
      SELECT before, after FROM audit_events WHERE action = 'grid.assign' AND entity_id = ${code}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.before.households.byGrid.none!.sort()).toEqual([h1, h2].sort());
    expect(rows[0]!.after.households).toMatchObject({ grid: code });
    // 不划入网格
    const out = await req('secretary', 'POST', '/api/v1/grids/assign', { villageCode: v.own, gridCode: null, households: [h2] });
    expect(out.statusCode, out.body).toBe(200);
    expect(await gridOfHousehold(h2)).toBeNull();
  });

  it('returns 400 and moves nothing when one household belongs to another village', async () => {
    const code = await createGrid(v.own);
    const mine = await household(v.own);
    const foreign = await household(v.neighbour, 'office');
    const res = await req('secretary', 'POST', '/api/v1/grids/assign', { villageCode: v.own, gridCode: code, households: [mine, foreign] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].ids).toEqual([foreign]);
    expect(await gridOfHousehold(mine)).toBeNull();
    expect(await gridOfHousehold(foreign)).toBeNull();
  });

  it('returns 400 for a grid of another village, 404 for a village outside the scope and 403 for a member', async () => {
    const theirs = await createGrid(v.neighbour, `邻${++seq}`, 'town');
    const h = await household(v.own);
    expect((await req('secretary', 'POST', '/api/v1/grids/assign', { villageCode: v.own, gridCode: theirs, households: [h] })).statusCode).toBe(400);
    expect((await req('secretary', 'POST', '/api/v1/grids/assign', { villageCode: v.neighbour, gridCode: theirs, households: [h] })).statusCode).toBe(404);
    expect((await req('member', 'POST', '/api/v1/grids/assign', { villageCode: v.own, gridCode: null, households: [h] })).statusCode).toBe(403);
    expect(await gridOfHousehold(h)).toBeNull();
  });
});

describe('merging and retiring grids', () => {
  it('merge moves households to the survivor; the households filter and the link map follow, the merged grid stays as history', async () => {
    const n = ++seq;
    const a = await createGrid(v.own, `并出${n}`);
    const b = await createGrid(v.own, `并入${n}`);
    const ha = await household(v.own, 'secretary', a);
    const hb = await household(v.own, 'secretary', b);
    const shop = await req('secretary', 'POST', '/api/v1/businesses', { kind: 'shop', orgCode: v.own, name: `并出小卖部${n}`, address: `测试村 ${n}号`, gridCode: a });
    expect(shop.statusCode, shop.body).toBe(201);
    const p = await member(v.own, '并出党员');
    expect((await req('secretary', 'POST', '/api/v1/grids/assign', { villageCode: v.own, gridCode: a, people: [p] })).statusCode).toBe(200);
    const res = await req('secretary', 'POST', `/api/v1/grids/${a}/merge`, { intoCode: b });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.moved).toEqual({ households: 1, businesses: 1, people: 1 });
    expect((await listGrids('secretary', v.own)).data.find((g) => g.code === b)!.counts).toEqual({ households: 2, businesses: 1, people: 1 });
    expect(await gridOfHousehold(ha)).toBe(b);

    const list = await listGrids('secretary', v.own, true);
    const merged = list.data.find((g) => g.code === a)!;
    expect(merged.validTo).not.toBeNull();
    expect(merged.mergedIntoCode).toBe(b);
    expect((await listGrids('secretary', v.own)).data.map((g) => g.code)).not.toContain(a);
    // Every grid picker and 网格 filter reads the village's children: the merged grid is no longer offered.
    const kids = await req('secretary', 'GET', `/api/v1/orgs?parent=${v.own}&limit=200`);
    expect(kids.json().data.map((o: { code: string }) => o.code)).not.toContain(a);
    expect(kids.json().data.map((o: { code: string }) => o.code)).toContain(b);

    const byB = await req('secretary', 'GET', `/api/v1/households?org=${v.own}&grid=${b}`);
    expect(byB.statusCode, byB.body).toBe(200);
    expect(byB.json().data.map((h: { id: string }) => h.id).sort()).toEqual([ha, hb].sort());
    expect(byB.json().data.every((h: { gridCode: string }) => h.gridCode === b)).toBe(true);
    const byA = await req('secretary', 'GET', `/api/v1/households?org=${v.own}&grid=${a}`);
    expect(byA.statusCode).toBe(200);
    expect(byA.json().data).toEqual([]);

    const map = await req('secretary', 'GET', `/api/v1/orgs/${v.own}/link-map`);
    expect(map.statusCode, map.body).toBe(200);
    const names = map.json().data.grids.map((g: { name: string }) => g.name);
    expect(names).toContain(`并入${n}`);
    expect(names).not.toContain(`并出${n}`);
    expect((await req('secretary', 'GET', `/api/v1/orgs/${v.own}/link-map?grid=${b}`)).statusCode).toBe(200);
    expect((await req('secretary', 'GET', `/api/v1/orgs/${v.own}/link-map.pdf`)).statusCode).toBe(200);

    // A merged grid takes no more changes and no more households.
    expect((await req('secretary', 'POST', `/api/v1/grids/${a}/rename`, { name: '复活' })).statusCode).toBe(404);
    expect((await req('secretary', 'POST', '/api/v1/grids/assign', { villageCode: v.own, gridCode: a, households: [hb] })).statusCode).toBe(400);
    const edit = await req('secretary', 'PATCH', `/api/v1/households/${hb}`, { gridCode: a });
    expect(edit.statusCode).toBe(400);
  });

  it('returns 400 merging into a grid of another village', async () => {
    const a = await createGrid(v.own);
    const theirs = await createGrid(v.neighbour, `邻${++seq}`, 'town');
    expect((await req('secretary', 'POST', `/api/v1/grids/${a}/merge`, { intoCode: theirs })).statusCode).toBe(400);
    expect((await req('secretary', 'POST', `/api/v1/grids/${a}/merge`, { intoCode: a })).statusCode).toBe(400);
  });

  it('refuses to retire a grid in use with 409 and changes nothing; with moveTo null it retires and empties it', async () => {
    const a = await createGrid(v.own);
    const h = await household(v.own, 'secretary', a);
    const refused = await req('secretary', 'POST', `/api/v1/grids/${a}/retire`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toEqual({ households: 1, businesses: 0, people: 0 });
    expect(await gridOfHousehold(h)).toBe(a);
    expect((await listGrids('secretary', v.own)).data.map((g) => g.code)).toContain(a);
    const ok = await req('secretary', 'POST', `/api/v1/grids/${a}/retire`, { moveTo: null });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await gridOfHousehold(h)).toBeNull();
    const { rows } = await t.database.db.execute<{ valid_to: string | null; n: number }>(sql`
      SELECT valid_to, (SELECT count(*) FROM orgs WHERE code = ${a})::int AS n FROM orgs WHERE code = ${a}`);
    expect(rows[0]!.valid_to).not.toBeNull();
    expect(rows[0]!.n).toBe(1);
  });

  it('retires an empty grid with 200 and a grid moved to another with its households', async () => {
    const empty = await createGrid(v.own);
    expect((await req('secretary', 'POST', `/api/v1/grids/${empty}/retire`, {})).statusCode).toBe(200);
    const a = await createGrid(v.own);
    const b = await createGrid(v.own);
    const h = await household(v.own, 'secretary', a);
    const res = await req('secretary', 'POST', `/api/v1/grids/${a}/retire`, { moveTo: b });
    expect(res.statusCode, res.body).toBe(200);
    expect(await gridOfHousehold(h)).toBe(b);
    expect((await req('member', 'POST', `/api/v1/grids/${b}/retire`, {})).statusCode).toBe(403);
  });
});
