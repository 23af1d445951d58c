import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export interface TargetLoad { min: number; max: number }

export async function targetLoad(db: Pick<Db, 'execute'>): Promise<TargetLoad> {
  const { rows } = await db.execute<{ value: TargetLoad }>(sql`SELECT value FROM settings WHERE key = 'links.targetLoad'`);
  return rows[0]?.value ?? { min: 5, max: 20 };
}

/**
 * Recomputes coverage_rollups for the given orgs (or every current org when `orgIds` is null) in one set-based
 * statement. Called inside the transaction of every link/registry change for the 1–2 villages it touches (cost: one
 * village's rows), and by the seed for everything. Loads count primary household links (the 5–20 target is "households").
 */
export async function recomputeCoverage(db: Pick<Db, 'execute'>, orgIds: string[] | null, target: TargetLoad): Promise<void> {
  if (orgIds && !orgIds.length) return;
  const inScope = (col: SQL) => (orgIds ? sql`${col} IN (${sql.join([...new Set(orgIds)].map((i) => sql`${i}::uuid`), sql`, `)})` : sql`true`);
  await db.execute(sql`
    WITH scope AS (SELECT id FROM orgs WHERE valid_to IS NULL AND ${inScope(sql`id`)}),
    hh AS (
      SELECT h.org_id, count(*) AS total, count(l.household_id) AS linked
      FROM households h LEFT JOIN links l ON l.household_id = h.id AND l.role = 'primary' AND l.ends_on IS NULL
      WHERE h.removed_at IS NULL AND ${inScope(sql`h.org_id`)} GROUP BY h.org_id),
    bz AS (
      SELECT b.org_id, b.kind, count(*) AS total, count(l.business_id) AS linked
      FROM businesses b LEFT JOIN links l ON l.business_id = b.id AND l.role = 'primary' AND l.ends_on IS NULL
      WHERE b.removed_at IS NULL AND ${inScope(sql`b.org_id`)} GROUP BY b.org_id, b.kind),
    per AS (
      SELECT p.id, p.org_id, count(l.id) AS n
      FROM people p LEFT JOIN links l ON l.person_id = p.id AND l.role = 'primary' AND l.ends_on IS NULL AND l.household_id IS NOT NULL
      WHERE p.kind = 'member' AND p.left_on IS NULL AND ${inScope(sql`p.org_id`)} GROUP BY p.id, p.org_id),
    mm AS (
      SELECT org_id, count(*) AS total,
             count(*) FILTER (WHERE n < ${target.min}) AS under,
             count(*) FILTER (WHERE n BETWEEN ${target.min} AND ${target.max}) AS within,
             count(*) FILTER (WHERE n > ${target.max}) AS over
      FROM per GROUP BY org_id)
    INSERT INTO coverage_rollups AS c (org_id, households, households_linked, enterprises, enterprises_linked, shops, shops_linked,
                                       teams, teams_linked, members, members_under, members_within, members_over, updated_at)
    SELECT s.id, coalesce(hh.total, 0), coalesce(hh.linked, 0),
           coalesce(e.total, 0), coalesce(e.linked, 0), coalesce(sh.total, 0), coalesce(sh.linked, 0),
           coalesce(tm.total, 0), coalesce(tm.linked, 0),
           coalesce(mm.total, 0), coalesce(mm.under, 0), coalesce(mm.within, 0), coalesce(mm.over, 0), now()
    FROM scope s
    LEFT JOIN hh ON hh.org_id = s.id
    LEFT JOIN bz e ON e.org_id = s.id AND e.kind = 'enterprise'
    LEFT JOIN bz sh ON sh.org_id = s.id AND sh.kind = 'shop'
    LEFT JOIN bz tm ON tm.org_id = s.id AND tm.kind = 'team'
    LEFT JOIN mm ON mm.org_id = s.id
    WHERE hh.org_id IS NOT NULL OR e.org_id IS NOT NULL OR sh.org_id IS NOT NULL OR tm.org_id IS NOT NULL
       OR mm.org_id IS NOT NULL OR EXISTS (SELECT 1 FROM coverage_rollups x WHERE x.org_id = s.id)
    ON CONFLICT (org_id) DO UPDATE SET
      households = excluded.households, households_linked = excluded.households_linked,
      enterprises = excluded.enterprises, enterprises_linked = excluded.enterprises_linked,
      shops = excluded.shops, shops_linked = excluded.shops_linked, teams = excluded.teams, teams_linked = excluded.teams_linked,
      members = excluded.members, members_under = excluded.members_under, members_within = excluded.members_within,
      members_over = excluded.members_over, updated_at = now()`);
}

export type CoverageSumRow = {
  code: string; name: string; level: string; sort_key: number;
  households: number; households_linked: number; enterprises: number; enterprises_linked: number;
  shops: number; shops_linked: number; teams: number; teams_linked: number;
  members: number; members_under: number; members_within: number; members_over: number; as_of: string | null;
};

const sums = sql`
  coalesce(sum(r.households), 0)::int AS households, coalesce(sum(r.households_linked), 0)::int AS households_linked,
  coalesce(sum(r.enterprises), 0)::int AS enterprises, coalesce(sum(r.enterprises_linked), 0)::int AS enterprises_linked,
  coalesce(sum(r.shops), 0)::int AS shops, coalesce(sum(r.shops_linked), 0)::int AS shops_linked,
  coalesce(sum(r.teams), 0)::int AS teams, coalesce(sum(r.teams_linked), 0)::int AS teams_linked,
  coalesce(sum(r.members), 0)::int AS members, coalesce(sum(r.members_under), 0)::int AS members_under,
  coalesce(sum(r.members_within), 0)::int AS members_within, coalesce(sum(r.members_over), 0)::int AS members_over,
  max(r.updated_at)::text AS as_of`;

/** The org itself and each of its children, each summed over its subtree's rollup rows (≤ 557 rows in all). */
export async function coverageOf(db: Db, code: string): Promise<{ self: CoverageSumRow | null; children: CoverageSumRow[] }> {
  const { rows } = await db.execute<CoverageSumRow & { is_self: boolean }>(sql`
    WITH target AS (SELECT id, path FROM orgs WHERE code = ${code} AND valid_to IS NULL),
    nodes AS (
      SELECT o.id, o.code, o.short_name AS name, o.level, o.sort_key, o.path, (o.id = t.id) AS is_self
      FROM orgs o, target t WHERE (o.id = t.id OR o.parent_id = t.id) AND o.valid_to IS NULL)
    SELECT n.code, n.name, n.level, n.sort_key, n.is_self, ${sums}
    FROM nodes n
    LEFT JOIN orgs d ON d.valid_to IS NULL AND (d.id = n.id OR (d.path ~>=~ (n.path || '/') AND d.path ~<~ (n.path || '0')))
    LEFT JOIN coverage_rollups r ON r.org_id = d.id
    GROUP BY n.code, n.name, n.level, n.sort_key, n.is_self
    ORDER BY n.is_self DESC, n.sort_key, n.code`);
  const self = rows.find((r) => r.is_self) ?? null;
  return { self, children: rows.filter((r) => !r.is_self && r.level !== 'department' && r.level !== 'office') };
}
