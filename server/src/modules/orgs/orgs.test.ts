import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { refreshRollups } from '../../seed/demo/generate.ts';

let t: TestApp;
const s: Record<string, Session> = {};
const ROLES = ['office', 'town', 'secretary', 'member', 'department', 'leader', 'admin'] as const;

const KEJING = '419001100000'; // 克井镇, the demo town
let ownVillage: string; // the secretary's and member's village (first village of 克井镇)
let neighbour: string; // another village of 克井镇
const OTHER_TOWN = '419001101000'; // 五龙口镇
let otherTownVillage: string;
const ZONE = '419001000000';
const DEPT = '419001000000-D05';

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ROLES) s[r] = await login(t.app, r);
  const { rows } = await t.database.db.execute<{ code: string; parent: string }>(sql`
    SELECT v.code, t.code AS parent FROM orgs v JOIN orgs t ON t.id = v.parent_id
    WHERE v.level = 'village' AND t.code IN (${KEJING}, ${OTHER_TOWN}) ORDER BY v.sort_key`);
  const kj = rows.filter((r) => r.parent === KEJING);
  ownVillage = kj[0]!.code;
  neighbour = kj[1]!.code;
  otherTownVillage = rows.find((r) => r.parent === OTHER_TOWN)!.code;
});
afterAll(async () => { await t.close(); });

function get(role: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: s[role]!.cookie } });
}

describe('GET /api/v1/orgs (roots of the caller\'s scope)', () => {
  it.each([
    ['office', ZONE], ['department', ZONE], ['leader', ZONE], ['admin', ZONE], ['town', KEJING],
  ])('returns 200 with the scope root for %s', async (role, root) => {
    const res = await get(role, '/api/v1/orgs');
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((o: { code: string }) => o.code)).toEqual([root]);
  });

  it('returns the own village as the only root for secretary and member', async () => {
    for (const role of ['secretary', 'member']) {
      const res = await get(role, '/api/v1/orgs');
      expect(res.json().data.map((o: { code: string }) => o.code)).toEqual([ownVillage]);
    }
  });

  it('returns 401 without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/orgs' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.id).toBe('unauthenticated');
  });
});

describe('GET /api/v1/orgs?parent=', () => {
  it('returns the 16 towns plus office, departments and units under the zone, with real NBS codes and names', async () => {
    const res = await get('office', `/api/v1/orgs?parent=${ZONE}&limit=200`);
    expect(res.statusCode).toBe(200);
    const data = res.json().data as { code: string; name: string; level: string; counts: { villages: number } }[];
    const towns = data.filter((o) => o.level === 'town');
    expect(towns).toHaveLength(16);
    expect(towns.find((o) => o.code === KEJING)!.name).toBe('济源市克井镇');
    expect(towns.reduce((n, o) => n + o.counts.villages, 0)).toBe(557);
    expect(data.some((o) => o.level === 'office')).toBe(true);
    expect(data.filter((o) => o.level === 'department').length).toBeGreaterThanOrEqual(10);
  });

  it('paginates with a cursor: pages of 5 cover every child exactly once', async () => {
    const all = (await get('office', `/api/v1/orgs?parent=${KEJING}&limit=200`)).json().data.map((o: { code: string }) => o.code);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get('office', `/api/v1/orgs?parent=${KEJING}&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.data.length).toBeLessThanOrEqual(5);
      seen.push(...body.data.map((o: { code: string }) => o.code));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThan(10);
  });

  it('returns 404 not_found when a secretary lists the children of another town', async () => {
    const res = await get('secretary', `/api/v1/orgs?parent=${OTHER_TOWN}`);
    expect(res.statusCode).toBe(404);
  });

  it('returns 400 validation_error for a limit over 200, a bad cursor, an unknown parameter and a path trick in the code', async () => {
    for (const q of ['limit=201', 'parent=419001000000&cursor=@@', 'foo=1', 'parent=../../etc', `parent=${encodeURIComponent("419001000000' OR 1=1--")}`]) {
      const res = await get('office', `/api/v1/orgs?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
  });
});

describe('GET /api/v1/orgs/:code — authorization matrix', () => {
  // Expected status per role for: own village, neighbouring village (same town), another town's village, own town, zone, a department.
  const matrix: Record<(typeof ROLES)[number], [number, number, number, number, number, number]> = {
    office: [200, 200, 200, 200, 200, 200],
    town: [200, 200, 404, 200, 404, 404],
    secretary: [200, 404, 404, 404, 404, 404],
    member: [200, 404, 404, 404, 404, 404],
    department: [200, 200, 200, 200, 200, 200],
    leader: [200, 200, 200, 200, 200, 200],
    admin: [200, 200, 200, 200, 200, 200],
  };
  for (const role of ROLES) {
    it(`${role}: own village, neighbour, other town's village, own town, zone, department → ${matrix[role].join('/')}`, async () => {
      const targets = [ownVillage, neighbour, otherTownVillage, KEJING, ZONE, DEPT];
      const codes = [];
      for (const code of targets) {
        const res = await get(role, `/api/v1/orgs/${code}`);
        codes.push(res.statusCode);
        if (res.statusCode === 404) expect(res.json().error.id).toBe('not_found');
      }
      expect(codes).toEqual(matrix[role]);
    });
  }

  it('search never returns orgs outside the caller\'s scope', async () => {
    const res = await get('secretary', `/api/v1/orgs?q=${encodeURIComponent('村')}`);
    expect(res.statusCode).toBe(200);
    for (const o of res.json().data) expect(o.code).toBe(ownVillage);
    const town = await get('town', '/api/v1/orgs?q=wlkz');
    expect(town.json().data).toEqual([]);
  });

  it('abilities follow the role: admin may update but not read people; department reads neither; secretary reads and writes the registry; member and leader only read', async () => {
    const none = { readRegistry: false, writeRegistry: false, readCoverage: false };
    const admin = (await get('admin', `/api/v1/orgs/${ownVillage}`)).json().data.abilities;
    expect(admin).toEqual({ read: true, readPeople: false, update: true, ...none });
    const dept = (await get('department', `/api/v1/orgs/${ownVillage}`)).json().data.abilities;
    expect(dept).toEqual({ read: true, readPeople: false, update: false, ...none });
    const sec = (await get('secretary', `/api/v1/orgs/${ownVillage}`)).json().data.abilities;
    expect(sec).toEqual({ read: true, readPeople: true, update: false, readRegistry: true, writeRegistry: true, readCoverage: true });
    const member = (await get('member', `/api/v1/orgs/${ownVillage}`)).json().data.abilities;
    expect(member).toMatchObject({ readRegistry: false, writeRegistry: false, readCoverage: true });
    const leader = (await get('leader', `/api/v1/orgs/${ownVillage}`)).json().data.abilities;
    expect(leader).toMatchObject({ readRegistry: true, writeRegistry: false, readCoverage: true });
    const town = (await get('town', `/api/v1/orgs/${ownVillage}`)).json().data.abilities;
    expect(town).toMatchObject({ readRegistry: true, writeRegistry: true, readCoverage: true });
    // Above the town's own subtree the zone is simply not visible to it.
    expect((await get('town', '/api/v1/orgs/419001000000')).statusCode).toBe(404);
  });

  it('GET /api/v1/auth/me and POST /api/v1/auth/logout answer every role', async () => {
    for (const role of ROLES) {
      expect((await get(role, '/api/v1/auth/me')).statusCode).toBe(200);
    }
  });
});

describe('GET /api/v1/orgs/:code', () => {
  it('returns the village with its party branch, breadcrumbs within scope and counts from the rollups', async () => {
    const town = (await get('town', `/api/v1/orgs/${ownVillage}`)).json().data;
    expect(town.level).toBe('village');
    expect(town.partyKind).toBe('党支部');
    expect(town.partyName).toMatch(/^中共.+支部委员会$/);
    expect(town.parentCode).toBe(KEJING);
    expect(town.ancestors.map((a: { code: string }) => a.code)).toEqual([KEJING]);
    const office = (await get('office', `/api/v1/orgs/${ownVillage}`)).json().data;
    expect(office.ancestors.map((a: { code: string }) => a.code)).toEqual([ZONE, KEJING]);
    expect(office.counts).toMatchObject({ children: 0, villages: 1 });
    const kj = (await get('office', `/api/v1/orgs/${KEJING}`)).json().data;
    expect(kj.counts.villages).toBe(kj.counts.children);
    expect(kj.counts.villages).toBeGreaterThan(10);
  });

  it('returns 400 for a code with path tricks or wrong format', async () => {
    for (const code of ['..%2F..%2Fetc', '41900110', '419001000000-d05', '%3Cscript%3E']) {
      const res = await get('office', `/api/v1/orgs/${code}`);
      expect(res.statusCode, code).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
  });
});

describe('counts', () => {
  it('sum the rollups over the subtree: a village\'s households and members show at its town and the zone', async () => {
    const before = (await get('office', `/api/v1/orgs/${KEJING}`)).json().data.counts;
    const zoneBefore = (await get('office', `/api/v1/orgs/${ZONE}`)).json().data.counts;
    await t.database.db.execute(sql`
      INSERT INTO households (org_id, address, head_name, synthetic)
      SELECT id, '克井镇 测试 1组 ' || g || '号', '测试户主', true FROM orgs, generate_series(1, 3) g WHERE code = ${neighbour}`);
    await t.database.db.execute(sql`
      INSERT INTO people (org_id, kind, name, sex, synthetic)
      SELECT id, 'member', '测试党员', 'F', true FROM orgs WHERE code = ${neighbour}`);
    await refreshRollups(t.database.pool);
    const village = (await get('office', `/api/v1/orgs/${neighbour}`)).json().data.counts;
    const after = (await get('office', `/api/v1/orgs/${KEJING}`)).json().data.counts;
    const zoneAfter = (await get('office', `/api/v1/orgs/${ZONE}`)).json().data.counts;
    expect(village.households).toBe(3);
    expect(after.households - before.households).toBe(3);
    // The seed's two demo people (secretary, member) are counted once refreshed, plus the one inserted here.
    expect(after.members - before.members).toBeGreaterThanOrEqual(1);
    expect(zoneAfter.households - zoneBefore.households).toBe(3);
    expect(zoneAfter.members - zoneBefore.members).toBe(after.members - before.members);
  });
});

describe('search', () => {
  it('finds 克井镇 by pinyin initials "kjz" and by Chinese name', async () => {
    const a = (await get('office', '/api/v1/orgs?q=kjz')).json().data;
    expect(a[0].code).toBe(KEJING);
    const b = (await get('office', `/api/v1/orgs?q=${encodeURIComponent('克井')}`)).json().data;
    expect(b[0].code).toBe(KEJING);
  });

  it('treats LIKE metacharacters and quotes as plain text', async () => {
    for (const q of ['%', '_', "'; DROP TABLE orgs;--"]) {
      const res = await get('office', `/api/v1/orgs?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toEqual([]);
    }
    const { rows } = await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM orgs`);
    expect(rows[0]!.n).toBeGreaterThan(570);
  });
});
