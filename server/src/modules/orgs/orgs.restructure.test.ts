import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type TestApp } from '../../../test/app.ts';
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
