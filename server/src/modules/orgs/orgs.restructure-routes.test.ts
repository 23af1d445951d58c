import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let v: { own: string; neighbour: string; otherTown: string };
const ZONE = '419001000000';
const KEJING = '419001100000';
const WULONGKOU = '419001101000';

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'admin', 'town', 'secretary']) s[r] = await login(t.app, r);
  v = await scopeVillages(t);
});
afterAll(async () => { await t.close(); });

function post(role: string, code: string, step: 'preview' | 'apply', body: unknown) {
  return t.app.inject({ method: 'POST', url: `/api/v1/orgs/${code}/restructure/${step}`, payload: body as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
async function count(table: 'people' | 'households' | 'businesses', code: string): Promise<number> {
  const { rows } = await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE org_id = (SELECT id FROM orgs WHERE code = ${code})`);
  return rows[0]!.n;
}

describe('POST /api/v1/orgs/:code/restructure/preview|apply', () => {
  it('previews a merge with what will move, writes nothing, then apply moves exactly that and the survivor counts it', async () => {
    const { rows: [from] } = await t.database.db.execute<{ id: string }>(sql`SELECT id FROM orgs WHERE code = ${v.neighbour}`);
    await t.database.db.execute(sql`
      INSERT INTO orgs (code, name, short_name, level, parent_id, path, depth, pinyin_initials, pinyin, valid_from)
      SELECT ${v.neighbour + '-G01'}, '一网格', '一网格', 'grid', id, path || '/' || ${v.neighbour + '-G01'}, depth + 1, '', '', '2023-06-30' FROM orgs WHERE code = ${v.neighbour}`);
    const expected = {
      people: await count('people', v.neighbour), households: await count('households', v.neighbour), businesses: await count('businesses', v.neighbour),
      activeLinks: (await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM links WHERE org_id = ${from!.id} AND ends_on IS NULL`)).rows[0]!.n,
      grids: 1,
    };
    const survivorBefore = await count('households', v.own);
    const preview = await post('office', v.neighbour, 'preview', { kind: 'merge', intoCode: v.own });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().data).toMatchObject({ kind: 'merge', before: { code: v.neighbour }, after: { code: v.own }, moves: expected });
    expect(await count('households', v.neighbour)).toBe(expected.households);

    const applied = await post('office', v.neighbour, 'apply', { kind: 'merge', intoCode: v.own });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().data.moves).toEqual(expected);
    expect(await count('households', v.own)).toBe(survivorBefore + expected.households);
    expect(await count('households', v.neighbour)).toBe(0);
    const org = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${v.neighbour}`, headers: { cookie: s.office!.cookie } });
    expect(org.statusCode).toBe(404);
    const { rows } = await t.database.db.execute<{ actor_username: string }>(sql`SELECT actor_username FROM audit_events WHERE action = 'org.merge' AND entity_id = ${v.neighbour}`);
    expect(rows).toEqual([{ actor_username: 'office' }]);
  });

  it('previews and applies a rename and a move with the new name and path', async () => {
    const rename = await post('admin', v.otherTown, 'preview', { kind: 'rename', name: '新名村党支部委员会', shortName: '新名村' });
    expect(rename.json().data).toMatchObject({ before: { code: v.otherTown }, after: { name: '新名村', path: `${ZONE}/${WULONGKOU}/${v.otherTown}` }, moves: null });
    expect((await post('admin', v.otherTown, 'apply', { kind: 'rename', name: '新名村党支部委员会', shortName: '新名村' })).statusCode).toBe(200);
    const move = await post('office', v.otherTown, 'preview', { kind: 'move', parentCode: KEJING });
    expect(move.json().data.after).toEqual({ code: v.otherTown, name: '新名村', path: `${ZONE}/${KEJING}/${v.otherTown}` });
    expect((await post('office', v.otherTown, 'apply', { kind: 'move', parentCode: KEJING })).statusCode).toBe(200);
    const org = (await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${v.otherTown}`, headers: { cookie: s.office!.cookie } })).json().data;
    expect(org).toMatchObject({ shortName: '新名村', parentCode: KEJING });
    expect((await post('office', v.otherTown, 'preview', { kind: 'move', parentCode: KEJING })).statusCode).toBe(409);
  });

  it('returns 400 merging into a village of another town or moving under a village, 404 for an unknown org', async () => {
    const { rows } = await t.database.db.execute<{ code: string }>(sql`
      SELECT v.code FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE p.code = ${WULONGKOU} AND v.valid_to IS NULL ORDER BY v.sort_key LIMIT 1`);
    expect((await post('office', v.own, 'preview', { kind: 'merge', intoCode: rows[0]!.code })).statusCode).toBe(400);
    expect((await post('office', v.own, 'preview', { kind: 'move', parentCode: rows[0]!.code })).statusCode).toBe(400);
    expect((await post('office', '419001999999', 'preview', { kind: 'rename', name: 'x', shortName: 'x' })).statusCode).toBe(404);
  });

  it('returns 403 to a town account and a secretary, for preview and apply', async () => {
    for (const role of ['town', 'secretary']) {
      expect((await post(role, v.own, 'preview', { kind: 'rename', name: 'x', shortName: 'x' })).statusCode).toBe(403);
      expect((await post(role, v.own, 'apply', { kind: 'rename', name: 'x', shortName: 'x' })).statusCode).toBe(403);
    }
  });
});
