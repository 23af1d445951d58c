import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let v: { own: string; neighbour: string; otherTown: string };
const ZONE = '419001000000';
const KEJING = '419001100000';
const URL = '/api/v1/settings/target-load';

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'town', 'secretary', 'admin', 'member']) s[r] = await login(t.app, r);
  v = await scopeVillages(t);
});
afterAll(async () => { await t.close(); });

function req(role: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
const view = async (role: string, code?: string) => {
  const res = await req(role, 'GET', code ? `${URL}?orgCode=${code}` : URL);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
};
const put = (role: string, orgCode: string, value: { min: number; max: number } | null) => req(role, 'PUT', URL, { orgCode, value });

describe('target load: the most specific value wins, and the page says where it comes from', () => {
  it('returns zone < town < village precedence with the source, and clearing falls back again', async () => {
    expect((await view('office', v.own)).org).toMatchObject({ min: 5, max: 20, source: { level: 'zone', code: ZONE }, override: null });

    expect((await put('office', KEJING, { min: 3, max: 12 })).statusCode).toBe(200);
    const inherited = (await view('office', v.own)).org;
    expect(inherited).toMatchObject({ min: 3, max: 12, source: { level: 'town', code: KEJING }, override: null });
    expect((await view('office', v.otherTown)).org).toMatchObject({ min: 5, max: 20, source: { level: 'zone' } });

    const set = await put('office', v.own, { min: 2, max: 8 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().data).toMatchObject({ code: v.own, min: 2, max: 8, source: { level: 'village', code: v.own }, override: { min: 2, max: 8 } });
    const town = await view('office', KEJING);
    expect(town.children.find((c: { code: string }) => c.code === v.own)).toMatchObject({ min: 2, max: 8, source: { level: 'village' } });
    expect(town.children.find((c: { code: string }) => c.code === v.neighbour)).toMatchObject({ min: 3, max: 12, source: { level: 'town' } });
    expect(town.overrides.map((o: { code: string }) => o.code)).toEqual([KEJING, v.own]);

    const zone = await view('office');
    expect(zone.org).toMatchObject({ code: ZONE, level: 'zone', override: { min: 5, max: 20 }, editable: true });
    expect(zone.overrides.map((o: { code: string }) => o.code)).toEqual([ZONE, KEJING, v.own]);

    expect((await put('office', v.own, null)).json().data).toMatchObject({ min: 3, max: 12, source: { level: 'town' }, override: null });
    expect((await put('office', KEJING, null)).statusCode).toBe(200);
    expect((await view('office', v.own)).org.source.level).toBe('zone');
  });

  it('recomputes the coverage counts of the villages under the org when a value changes, and audits before → after', async () => {
    const { rows } = await t.database.db.execute<{ id: string }>(sql`
      INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', '目标测试党员', 'M' FROM orgs WHERE code = ${v.neighbour} RETURNING id`);
    const hh = await req('office', 'POST', '/api/v1/households', householdBody(v.neighbour, { residents: [residentBody()] }));
    expect(hh.statusCode, hh.body).toBe(201);
    expect((await req('office', 'POST', '/api/v1/links', { personId: rows[0]!.id, householdId: hh.json().data.id })).statusCode).toBe(201);
    const members = async () => (await req('office', 'GET', `/api/v1/coverage?org=${v.neighbour}`)).json().data.members;
    const before = await members();
    expect(before.target).toEqual({ min: 5, max: 20 });

    expect((await put('office', v.neighbour, { min: 0, max: 1 })).statusCode).toBe(200);
    const after = await members();
    expect(after.target).toEqual({ min: 0, max: 1 });
    // With min 0 nobody is under; the member with one household is within.
    expect(after.under).toBe(0);
    expect(after.within + after.over).toBe(before.total);
    const list = (await req('office', 'GET', `/api/v1/coverage/members?org=${v.neighbour}&limit=200`)).json().data;
    expect(list.find((m: { id: string }) => m.id === rows[0]!.id).loadStatus).toBe('within');

    const audit = await t.database.db.execute<{ before: { own: unknown }; after: { own: unknown } }>(sql`
      SELECT before, after FROM audit_events WHERE action = 'settings.target_load' AND entity_id = ${v.neighbour} ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0]).toMatchObject({ before: { own: null }, after: { own: { min: 0, max: 1 } } });
    await put('office', v.neighbour, null);
  });

  it('lets a town account set its town and villages; returns 404 for another town and 403 for the zone it cannot reach', async () => {
    const mine = await view('town');
    expect(mine.org).toMatchObject({ code: KEJING, editable: true });
    expect(mine.ancestors).toEqual([]);
    expect((await put('town', v.own, { min: 4, max: 9 })).statusCode).toBe(200);
    expect((await req('town', 'GET', `${URL}?orgCode=${v.otherTown}`)).statusCode).toBe(404);
    expect((await put('town', v.otherTown, { min: 4, max: 9 })).statusCode).toBe(404);
    expect((await put('town', ZONE, { min: 4, max: 9 })).statusCode).toBe(404);
    await put('town', v.own, null);
  });

  it('returns 403 for a secretary and a member, 400 for a zone clear or min above max, and lets the admin read', async () => {
    expect((await req('secretary', 'GET', URL)).statusCode).toBe(403);
    expect((await put('secretary', v.own, { min: 1, max: 2 })).statusCode).toBe(403);
    expect((await req('member', 'GET', URL)).statusCode).toBe(403);
    expect((await put('office', ZONE, null)).statusCode).toBe(400);
    expect((await put('office', v.own, { min: 9, max: 2 })).statusCode).toBe(400);
    expect((await view('admin')).org.code).toBe(ZONE);
  });
});
