import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { likePrefix } from '../../lib/paths.ts';

export interface TargetLoad { min: number; max: number }

/** The zone's value (migration 0003 writes it; the default covers a database where someone deleted the row). */
const zoneValue = sql`coalesce((SELECT value FROM settings WHERE key = 'links.targetLoad'), '{"min": 5, "max": 20}'::jsonb)`;

/**
 * The most specific override among an org's ancestors-or-self (its path's codes), as a lateral join named `ov`
 * (code, short_name, level, min, max; null when only the zone's value applies). target_loads holds a few rows.
 */
function overrideOf(path: SQL): SQL {
  return sql`LEFT JOIN LATERAL (
    SELECT a.code, a.short_name, a.level, t.min, t.max, t.updated_at FROM target_loads t JOIN orgs a ON a.id = t.org_id AND a.valid_to IS NULL
    WHERE a.code = ANY (string_to_array(${path}, '/')) ORDER BY a.depth DESC LIMIT 1) ov ON true`;
}

/**
 * The effective target (min, max) of each org matching `where` (on `orgs o`), as a parenthesized derived table
 * (org_id, min, max): a list joins it once (hashed by org) instead of looking the target up per row.
 */
export function targetsOfOrgs(where: SQL): SQL {
  return sql`(SELECT o.id AS org_id, coalesce(ov.min, (z.v->>'min')::int) AS min, coalesce(ov.max, (z.v->>'max')::int) AS max
    FROM orgs o CROSS JOIN (SELECT ${zoneValue} AS v) z ${overrideOf(sql`o.path`)} WHERE ${where})`;
}

export type EffectiveTargetRow = {
  code: string; name: string; level: string; path: string; min: number; max: number;
  source_code: string; source_name: string; source_level: string;
  own_min: number | null; own_max: number | null; own_updated_at: string | null;
};

/**
 * The effective target of each org (by current code): its own override, else its town's, else the zone's — with where
 * it comes from and the org's own override. One query for any number of codes.
 */
export async function effectiveTargets(db: Pick<Db, 'execute'>, codes: string[]): Promise<EffectiveTargetRow[]> {
  if (!codes.length) return [];
  const { rows } = await db.execute<EffectiveTargetRow>(sql`
    WITH z AS (SELECT ${zoneValue} AS v, o.code, o.short_name, o.level FROM orgs o WHERE o.level = 'zone' AND o.valid_to IS NULL ORDER BY o.code LIMIT 1)
    SELECT o.code, o.short_name AS name, o.level, o.path,
           coalesce(ov.min, (z.v->>'min')::int) AS min, coalesce(ov.max, (z.v->>'max')::int) AS max,
           coalesce(ov.code, z.code) AS source_code, coalesce(ov.short_name, z.short_name) AS source_name,
           coalesce(ov.level, z.level) AS source_level,
           CASE WHEN o.level = 'zone' THEN (z.v->>'min')::int WHEN ov.code = o.code THEN ov.min END AS own_min,
           CASE WHEN o.level = 'zone' THEN (z.v->>'max')::int WHEN ov.code = o.code THEN ov.max END AS own_max,
           CASE WHEN o.level = 'zone' THEN (SELECT updated_at FROM settings WHERE key = 'links.targetLoad')::text WHEN ov.code = o.code THEN ov.updated_at::text END AS own_updated_at
    FROM orgs o CROSS JOIN z ${overrideOf(sql`o.path`)}
    WHERE o.code IN (${sql.join([...new Set(codes)].map((c) => sql`${c}`), sql`, `)}) AND o.valid_to IS NULL`);
  return rows;
}

/** Orgs under `path` (or everywhere) that set their own value, most general first. */
export async function overridesUnder(db: Pick<Db, 'execute'>, path: string): Promise<string[]> {
  const { rows } = await db.execute<{ code: string }>(sql`
    SELECT a.code FROM target_loads t JOIN orgs a ON a.id = t.org_id AND a.valid_to IS NULL
    WHERE a.path = ${path} OR a.path LIKE ${likePrefix(path)}
    ORDER BY a.depth, a.sort_key, a.code`);
  return rows.map((r) => r.code);
}

export async function setZoneTarget(db: Pick<Db, 'execute'>, v: TargetLoad): Promise<void> {
  await db.execute(sql`
    INSERT INTO settings (key, value, updated_at) VALUES ('links.targetLoad', ${JSON.stringify(v)}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`);
}

export async function setOverride(db: Pick<Db, 'execute'>, orgId: string, v: TargetLoad | null, by: string): Promise<void> {
  if (v) {
    await db.execute(sql`
      INSERT INTO target_loads (org_id, min, max, updated_at, updated_by) VALUES (${orgId}, ${v.min}, ${v.max}, now(), ${by})
      ON CONFLICT (org_id) DO UPDATE SET min = excluded.min, max = excluded.max, updated_at = now(), updated_by = excluded.updated_by`);
  } else {
    await db.execute(sql`DELETE FROM target_loads WHERE org_id = ${orgId}`);
  }
}

/** Current orgs of a subtree (the org included): the villages whose coverage a changed value touches. */
export async function subtreeIds(db: Pick<Db, 'execute'>, path: string): Promise<string[]> {
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT id FROM orgs WHERE valid_to IS NULL AND (path = ${path} OR path ~>=~ (${path} || '/') AND path ~<~ (${path} || '0'))`);
  return rows.map((r) => r.id);
}

/**
 * Recomputes coverage_rollups for the given orgs (or every current org when `orgIds` is null) in one set-based
 * statement. Called inside the transaction of every link/registry change for the 1–2 villages it touches (cost: one
 * village's rows), and by the seed for everything. Loads count primary household links (the 5–20 target is "households"),
 * each member against the effective target of their org (village, else town, else zone).
 */
export async function recomputeCoverage(db: Pick<Db, 'execute'>, orgIds: string[] | null): Promise<void> {
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
    tg AS ${targetsOfOrgs(sql`o.id IN (SELECT DISTINCT org_id FROM per)`)},
    mm AS (
      SELECT per.org_id, count(*) AS total,
             count(*) FILTER (WHERE n < tg.min) AS under,
             count(*) FILTER (WHERE n BETWEEN tg.min AND tg.max) AS within,
             count(*) FILTER (WHERE n > tg.max) AS over
      FROM per JOIN tg ON tg.org_id = per.org_id GROUP BY per.org_id)
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

/** Towns of the zone, villages of a town: the orgs a target applies to (grids inherit their village's). */
export async function targetChildren(db: Pick<Db, 'execute'>, orgCode: string): Promise<string[]> {
  const { rows } = await db.execute<{ code: string }>(sql`
    SELECT c.code FROM orgs c JOIN orgs p ON p.id = c.parent_id AND p.code = ${orgCode} AND p.valid_to IS NULL
    WHERE c.valid_to IS NULL AND c.level IN ('town', 'village') ORDER BY c.sort_key, c.code`);
  return rows.map((r) => r.code);
}
