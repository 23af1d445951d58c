import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { mergeOrgs, moveOrg, renameOrg, treeAsOf } from './orgs.restructure.ts';

let t: TestApp;
beforeAll(async () => { t = await setupTestApp(); });
afterAll(async () => { await t.close(); });

const KEJING = '419001100000';
const WULONGKOU = '419001101000';
const ZONE = '419001000000';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function villagesOf(town: string): Promise<string[]> {
  const { rows } = await t.database.db.execute<{ code: string }>(sql`
    SELECT v.code FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE p.code = ${town} AND v.valid_to IS NULL ORDER BY v.sort_key`);
  return rows.map((r) => r.code);
}

describe('org restructuring with effective dates', () => {
  it('renames a village, moves it to another town and merges two villages; the tree as of yesterday and today both answer', async () => {
    const [a, b, c] = (await villagesOf(KEJING)).slice(-3) as [string, string, string];
    const today = day(0);
    const yesterday = day(-1);
    const before = await treeAsOf(t.database.db, yesterday);
    const nameA = before.find((o) => o.code === a)!.name;

    await renameOrg(t.database.db, null, a, '<script>alert(1)</script>新村', "'; DROP TABLE orgs;--", today);
    await moveOrg(t.database.db, null, a, WULONGKOU, today);
    await mergeOrgs(t.database.db, null, c, b, today);

    const then = await treeAsOf(t.database.db, yesterday);
    const now = await treeAsOf(t.database.db, today);
    // Yesterday: a under 克井镇 with its old name; c still exists.
    expect(then.find((o) => o.code === a)).toMatchObject({ name: nameA, path: `${ZONE}/${KEJING}/${a}` });
    expect(then.some((o) => o.code === c)).toBe(true);
    expect(then).toHaveLength(before.length);
    // Today: a renamed under 五龙口镇; c merged away.
    expect(now.find((o) => o.code === a)).toMatchObject({ name: '<script>alert(1)</script>新村', path: `${ZONE}/${WULONGKOU}/${a}` });
    expect(now.some((o) => o.code === c)).toBe(false);
    expect(now).toHaveLength(before.length - 1);
    // Subtrees as of each day.
    const kjThen = await treeAsOf(t.database.db, yesterday, `${ZONE}/${KEJING}`);
    const kjNow = await treeAsOf(t.database.db, today, `${ZONE}/${KEJING}`);
    expect(kjNow.length).toBe(kjThen.length - 2);
    expect(await villagesOf(WULONGKOU)).toContain(a);

    // The API returns the hostile name verbatim and the merged village is gone (404) for the office.
    const office = await login(t.app, 'office');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${a}`, headers: { cookie: office.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ name: '<script>alert(1)</script>新村', shortName: "'; DROP TABLE orgs;--", parentCode: WULONGKOU });
    expect(res.json().data.ancestors.map((x: { code: string }) => x.code)).toEqual([ZONE, WULONGKOU]);
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${c}`, headers: { cookie: office.cookie } });
    expect(gone.statusCode).toBe(404);

    // Every change left an audit event.
    const { rows } = await t.database.db.execute<{ action: string }>(sql`SELECT action FROM audit_events WHERE action LIKE 'org.%' ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['org.rename', 'org.move', 'org.merge']);
  });

  it('rejects a move into the org\'s own subtree with a conflict and changes nothing', async () => {
    await expect(moveOrg(t.database.db, null, KEJING, (await villagesOf(KEJING))[0]!, day(0))).rejects.toMatchObject({ id: 'conflict' });
    expect((await villagesOf(KEJING)).length).toBeGreaterThan(10);
  });

  it('answers a subtree query with one index scan on the path index', async () => {
    // The tree is ~600 rows, where a sequential scan is cheaper; we disable it to prove the index *serves* the query shape.
    const plan = await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const { rows } = await tx.execute<{ 'QUERY PLAN': string }>(sql`
        EXPLAIN SELECT code FROM orgs WHERE path LIKE ${`${ZONE}/${KEJING}/%`} AND valid_to IS NULL`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Scan using orgs_path_idx on orgs|Bitmap Index Scan on orgs_path_idx/);
    // One index scan: either a plain Index Scan, or a Bitmap Index Scan with its Heap Scan — never two indexes combined.
    expect(plan.match(/Index Scan/g)).toHaveLength(1);
    expect(plan).not.toMatch(/Seq Scan|Append|Sort|BitmapAnd|BitmapOr/);
  });
});

describe('merging villages carries the registry and coverage', () => {
  it('moves households, businesses and active links to the survivor, keeps ended links with the old village, and the survivor\'s coverage counts them', async () => {
    const office = await login(t.app, 'office');
    const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      t.app.inject({ method, url, payload: payload as object, headers: { cookie: office.cookie, 'x-csrf-token': office.csrf } });
    const [into, from] = (await villagesOf(WULONGKOU)).slice(0, 2) as [string, string];
    const { rows: [m] } = await t.database.db.execute<{ id: string }>(sql`
      INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', '合并党员', 'M' FROM orgs WHERE code = ${from} RETURNING id`);
    const hh = await call('POST', '/api/v1/households', householdBody(from, { residents: [residentBody()] }));
    expect(hh.statusCode, hh.body).toBe(201);
    const biz = await call('POST', '/api/v1/businesses', { kind: 'shop', orgCode: from, name: '合并小卖部', address: '合并路 1 号' });
    expect(biz.statusCode, biz.body).toBe(201);
    expect((await call('POST', '/api/v1/links', { personId: m!.id, householdId: hh.json().data.id, startsOn: '2025-01-01' })).statusCode).toBe(201);
    const old = await call('POST', '/api/v1/links', { personId: m!.id, businessId: biz.json().data.id, startsOn: '2025-01-01' });
    expect((await call('POST', `/api/v1/links/${old.json().data.id}/end`, { reason: 'other' })).statusCode).toBe(200);
    const before = (await call('GET', `/api/v1/coverage?org=${into}`)).json().data;
    const absorbed = (await call('GET', `/api/v1/coverage?org=${from}`)).json().data;
    const total = (c: { households: { linked: number; unlinked: number } }) => c.households.linked + c.households.unlinked;

    await mergeOrgs(t.database.db, null, from, into, day(0));

    const after = (await call('GET', `/api/v1/coverage?org=${into}`)).json().data;
    expect(total(absorbed)).toBeGreaterThanOrEqual(1);
    expect(total(after)).toBe(total(before) + total(absorbed));
    expect(after.households.linked).toBe(before.households.linked + absorbed.households.linked);
    expect(after.shops.unlinked).toBe(before.shops.unlinked + absorbed.shops.unlinked);
    expect(absorbed.shops.unlinked).toBeGreaterThanOrEqual(1);
    const { rows } = await t.database.db.execute<{ what: string; org: string }>(sql`
      SELECT 'business' AS what, o.code AS org FROM businesses b JOIN orgs o ON o.id = b.org_id WHERE b.id = ${biz.json().data.id}
      UNION ALL SELECT 'active link', o.code FROM links l JOIN orgs o ON o.id = l.org_id WHERE l.household_id = ${hh.json().data.id} AND l.ends_on IS NULL
      UNION ALL SELECT 'ended link', o.code FROM links l JOIN orgs o ON o.id = l.org_id WHERE l.id = ${old.json().data.id}`);
    expect(Object.fromEntries(rows.map((r) => [r.what, r.org]))).toEqual({ business: into, 'active link': into, 'ended link': from });
    const list = (await call('GET', `/api/v1/businesses?org=${into}&q=${encodeURIComponent('合并小卖部')}`)).json().data;
    expect(list).toHaveLength(1);
  });
});
