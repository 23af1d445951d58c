import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

type Exec = Pick<Db, 'execute'>;

export type VillageRow = { id: string; code: string; name: string; short_name: string; path: string; depth: number };

export async function villageByCode(db: Exec, code: string): Promise<VillageRow | null> {
  const { rows } = await db.execute<VillageRow>(sql`
    SELECT id, code, name, short_name, path, depth FROM orgs WHERE code = ${code} AND level = 'village' AND valid_to IS NULL`);
  return rows[0] ?? null;
}

export type GridRef = { id: string; code: string; short_name: string; valid_from: string; village_id: string; village_code: string; village_path: string };

/** A current grid with its village; `lock` takes the grid's row for the rest of the transaction. */
export async function gridByCode(db: Exec, code: string, lock = false): Promise<GridRef | null> {
  const { rows } = await db.execute<GridRef>(sql`
    SELECT g.id, g.code, g.short_name, g.valid_from, v.id AS village_id, v.code AS village_code, v.path AS village_path
    FROM orgs g JOIN orgs v ON v.id = g.parent_id
    WHERE g.code = ${code} AND g.level = 'grid' AND g.valid_to IS NULL AND v.level = 'village' AND v.valid_to IS NULL
    ${lock ? sql`FOR UPDATE OF g` : sql``}`);
  return rows[0] ?? null;
}

export type GridRow = {
  id: string; code: string; short_name: string; valid_from: string; valid_to: string | null; merged_into_code: string | null;
  leader_id: string | null; leader_name: string | null;
};

/**
 * The village's grids; the 网格长 only while they are still a current member of the branch (a member who left or
 * was transferred away stops showing without anyone having to clear it).
 */
export async function gridsOf(db: Exec, villageId: string, retired: boolean): Promise<GridRow[]> {
  const { rows } = await db.execute<GridRow>(sql`
    SELECT g.id, g.code, g.short_name, g.valid_from, g.valid_to, m.code AS merged_into_code, lp.id AS leader_id, lp.name AS leader_name
    FROM orgs g
    LEFT JOIN orgs m ON m.id = g.merged_into_id
    LEFT JOIN grid_leaders gl ON gl.grid_id = g.id AND gl.ends_on IS NULL
    LEFT JOIN people lp ON lp.id = gl.person_id AND lp.left_on IS NULL AND lp.org_id = ${villageId} AND lp.kind = 'member'
    WHERE g.parent_id = ${villageId} AND g.level = 'grid' ${retired ? sql`` : sql`AND g.valid_to IS NULL`}
    ORDER BY g.valid_to IS NOT NULL, g.sort_key, g.code`);
  return rows;
}

export type Counts = { households: number; businesses: number; people: number };

/**
 * Live households, businesses and people of the village per grid (key '' = in no grid). Grouped over the village's
 * rows (their org_id indexes), not counted per grid: grid_id has no index on households and businesses.
 */
export async function countsByGrid(db: Exec, villageId: string): Promise<Map<string, Counts>> {
  const { rows } = await db.execute<{ kind: keyof Counts; grid_id: string | null; n: number }>(sql`
    SELECT 'households' AS kind, grid_id, count(*)::int AS n FROM households WHERE org_id = ${villageId} AND removed_at IS NULL GROUP BY grid_id
    UNION ALL
    SELECT 'businesses', grid_id, count(*)::int FROM businesses WHERE org_id = ${villageId} AND removed_at IS NULL GROUP BY grid_id
    UNION ALL
    SELECT 'people', grid_id, count(*)::int FROM people WHERE org_id = ${villageId} AND left_on IS NULL GROUP BY grid_id`);
  const out = new Map<string, Counts>();
  for (const r of rows) {
    const key = r.grid_id ?? '';
    const c = out.get(key) ?? { households: 0, businesses: 0, people: 0 };
    c[r.kind] = r.n;
    out.set(key, c);
  }
  return out;
}

/** Locks the village row: creating grids of one village one at a time keeps the next code and sort key unique. */
export async function lockVillage(tx: Exec, villageId: string): Promise<void> {
  await tx.execute(sql`SELECT id FROM orgs WHERE id = ${villageId} FOR UPDATE`);
}

/** Current grids of the village with this name (a name must tell grids apart on the map and in pickers). */
export async function sameName(tx: Exec, villageId: string, name: string, exceptId: string | null): Promise<boolean> {
  const { rows } = await tx.execute(sql`
    SELECT 1 FROM orgs WHERE parent_id = ${villageId} AND level = 'grid' AND valid_to IS NULL AND short_name = ${name}
    ${exceptId ? sql`AND id <> ${exceptId}` : sql``} LIMIT 1`);
  return rows.length > 0;
}

/**
 * The next `<village>-Gnn`: one past the highest number ever used under this village's code — retired and merged
 * grids keep theirs (history and old exports name them), so a number is never given twice.
 */
export async function nextGridNumber(tx: Exec, villageCode: string): Promise<{ number: number; sortKey: number }> {
  const { rows } = await tx.execute<{ n: number; s: number }>(sql`
    SELECT coalesce(max(substr(code, ${villageCode.length + 3})::int), 0)::int AS n,
           (SELECT coalesce(max(sort_key), 0)::int FROM orgs WHERE parent_id = (SELECT id FROM orgs WHERE code = ${villageCode})) AS s
    FROM orgs WHERE code LIKE ${villageCode + '-G%'} AND substr(code, ${villageCode.length + 3}) ~ '^[0-9]{1,7}$'`);
  return { number: rows[0]!.n + 1, sortKey: rows[0]!.s + 1 };
}

export async function insertGrid(tx: Exec, g: {
  code: string; name: string; village: VillageRow; initials: string; pinyin: string; sortKey: number; on: string;
}): Promise<void> {
  await tx.execute(sql`
    INSERT INTO orgs (code, name, short_name, level, parent_id, path, depth, pinyin_initials, pinyin, sort_key, valid_from)
    VALUES (${g.code}, ${g.name}, ${g.name}, 'grid', ${g.village.id}, ${g.village.path + '/' + g.code}, ${g.village.depth + 1},
            ${g.initials}, ${g.pinyin}, ${g.sortKey}, ${g.on}::date)`);
}

/** Moves the live households, businesses and people of the village from one grid (null = none) to another. */
export async function moveContents(tx: Exec, villageId: string, fromGridId: string, toGridId: string | null): Promise<Counts> {
  const h = await tx.execute(sql`UPDATE households SET grid_id = ${toGridId}, updated_at = now() WHERE org_id = ${villageId} AND grid_id = ${fromGridId} AND removed_at IS NULL`);
  const b = await tx.execute(sql`UPDATE businesses SET grid_id = ${toGridId}, updated_at = now() WHERE org_id = ${villageId} AND grid_id = ${fromGridId} AND removed_at IS NULL`);
  const p = await tx.execute(sql`UPDATE people SET grid_id = ${toGridId}, updated_at = now() WHERE org_id = ${villageId} AND grid_id = ${fromGridId} AND left_on IS NULL`);
  return { households: h.rowCount ?? 0, businesses: b.rowCount ?? 0, people: p.rowCount ?? 0 };
}

/**
 * Ends a grid on `on`: the row stays (valid_to, and merged_into_id for a merge) so the households' past, the audit
 * and the tree as of an earlier day keep their grid — the same rule as a merged org.
 */
export async function closeGrid(tx: Exec, gridId: string, on: string, mergedIntoId: string | null): Promise<void> {
  await tx.execute(sql`UPDATE orgs SET valid_to = ${on}::date, merged_into_id = ${mergedIntoId}, updated_at = now() WHERE id = ${gridId}`);
}

export async function currentLeader(tx: Exec, gridId: string): Promise<string | null> {
  const { rows } = await tx.execute<{ person_id: string }>(sql`SELECT person_id FROM grid_leaders WHERE grid_id = ${gridId} AND ends_on IS NULL`);
  return rows[0]?.person_id ?? null;
}

export async function endLeader(tx: Exec, gridId: string, on: string): Promise<void> {
  await tx.execute(sql`UPDATE grid_leaders SET ends_on = greatest(${on}::date, starts_on) WHERE grid_id = ${gridId} AND ends_on IS NULL`);
}

export async function startLeader(tx: Exec, gridId: string, personId: string, on: string, by: string): Promise<void> {
  await tx.execute(sql`INSERT INTO grid_leaders (grid_id, person_id, starts_on, created_by) VALUES (${gridId}, ${personId}, ${on}::date, ${by})`);
}

/** A current party member (not a helper) of the village's branch, or null. */
export async function branchMember(tx: Exec, personId: string, villageId: string): Promise<{ id: string; name: string } | null> {
  const { rows } = await tx.execute<{ id: string; name: string }>(sql`
    SELECT id, name FROM people WHERE id = ${personId} AND org_id = ${villageId} AND kind = 'member' AND left_on IS NULL`);
  return rows[0] ?? null;
}

export async function branchMembers(db: Exec, villageId: string): Promise<{ id: string; name: string; grid_code: string | null }[]> {
  const { rows } = await db.execute<{ id: string; name: string; grid_code: string | null }>(sql`
    SELECT p.id, p.name, g.code AS grid_code FROM people p LEFT JOIN orgs g ON g.id = p.grid_id
    WHERE p.org_id = ${villageId} AND p.kind = 'member' AND p.left_on IS NULL
    ORDER BY p.name_initials NULLS LAST, p.name, p.id`);
  return rows;
}

/** One array parameter (ids are uuids, checked by the route's schema) instead of thousands of placeholders. */
const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

export type Kind = 'households' | 'businesses' | 'people';
const live = { households: sql`x.removed_at IS NULL`, businesses: sql`x.removed_at IS NULL`, people: sql`x.left_on IS NULL` } as const;
const table = { households: sql`households`, businesses: sql`businesses`, people: sql`people` } as const;

/**
 * The given rows that are live and of this village, locked, each with its grid's code — those missing from the
 * answer are unknown, of another village, removed or left.
 */
export async function lockOwned(tx: Exec, kind: Kind, ids: string[], villageId: string): Promise<{ id: string; grid_code: string | null }[]> {
  if (!ids.length) return [];
  const { rows } = await tx.execute<{ id: string; grid_code: string | null }>(sql`
    SELECT x.id, g.code AS grid_code FROM ${table[kind]} x LEFT JOIN orgs g ON g.id = x.grid_id
    WHERE x.id = ANY(${uuidArray(ids)}::uuid[]) AND x.org_id = ${villageId} AND ${live[kind]}
    ORDER BY x.id FOR UPDATE OF x`);
  return rows;
}

export async function setGrid(tx: Exec, kind: Kind, ids: string[], gridId: string | null): Promise<void> {
  if (!ids.length) return;
  await tx.execute(sql`UPDATE ${table[kind]} SET grid_id = ${gridId}, updated_at = now() WHERE id = ANY(${uuidArray(ids)}::uuid[])`);
}
