import { sql, type SQL } from 'drizzle-orm';
import { executePrepared } from '../../db/prepared.ts';
import type { Db } from '../../db/client.ts';

type Exec = Pick<Db, 'execute'>;

/** Channels that reach an away resident themselves (contracts `remoteChannels`; repeated here as SQL text). */
const REMOTE = sql`ARRAY['phone', 'wechat', 'video']::text[]`;
/** Subtree test with the prefix a column (ARCHITECTURE "Paths": one index range instead of LIKE with a computed pattern). */
const under = (path: SQL, prefix: SQL) => sql`(${path} = ${prefix} OR (${path} ~>=~ (${prefix} || '/') AND ${path} ~<~ (${prefix} || '0')))`;

export type OrgRef = { id: string; code: string; name: string; level: string; path: string };

export async function orgByCode(db: Exec, code: string): Promise<OrgRef | null> {
  const { rows } = await db.execute<OrgRef>(sql`
    SELECT id, code, short_name AS name, level, path FROM orgs WHERE code = ${code} AND valid_to IS NULL`);
  return rows[0] ?? null;
}

export async function orgsByPaths(db: Exec, paths: string[]): Promise<OrgRef[]> {
  if (paths.length === 0) return [];
  const { rows } = await db.execute<OrgRef>(sql`
    SELECT id, code, short_name AS name, level, path FROM orgs WHERE path = ANY(${sql.param(paths)}::text[]) AND valid_to IS NULL ORDER BY depth`);
  return rows;
}

export async function tagExists(db: Exec, code: string): Promise<string | null> {
  const { rows } = await db.execute<{ name: string }>(sql`SELECT name FROM tag_definitions WHERE code = ${code}`);
  return rows[0]?.name ?? null;
}

export type CampaignRow = {
  id: string; name: string; org_id: string; org_code: string; org_name: string; org_level: string; org_path: string;
  kinds: string[]; tag: string | null; tag_name: string | null; away_only: boolean; starts_on: string; ends_on: string; deadline: string;
  closed_at: string | null; created_at: string; created_by: string | null;
};

const campaignSelect = sql`
  SELECT c.id, c.name, c.org_id, o.code AS org_code, o.short_name AS org_name, o.level AS org_level, o.path AS org_path,
         c.kinds, c.tag, td.name AS tag_name, c.away_only, c.starts_on, c.ends_on, c.deadline, c.closed_at, c.created_at,
         a.username AS created_by
  FROM campaigns c JOIN orgs o ON o.id = c.org_id
  LEFT JOIN tag_definitions td ON td.code = c.tag
  LEFT JOIN accounts a ON a.id = c.created_by`;

export async function campaignById(db: Exec, id: string, lock = false): Promise<CampaignRow | null> {
  const { rows } = await db.execute<CampaignRow>(sql`${campaignSelect} WHERE c.id = ${id} ${lock ? sql`FOR UPDATE OF c` : sql``}`);
  return rows[0] ?? null;
}

/** Campaigns whose scope is inside one of `roots` or contains one of them (a village secretary sees the zone's round). */
export async function campaignsFor(db: Exec, roots: string[], status: 'open' | 'closed' | 'all'): Promise<CampaignRow[]> {
  if (roots.length === 0) return [];
  const { rows } = await db.execute<CampaignRow>(sql`${campaignSelect}
    WHERE EXISTS (SELECT 1 FROM unnest(${sql.param(roots)}::text[]) r(p) WHERE ${under(sql`o.path`, sql`r.p`)} OR ${under(sql`r.p`, sql`o.path`)})
    ${status === 'open' ? sql`AND c.closed_at IS NULL` : status === 'closed' ? sql`AND c.closed_at IS NOT NULL` : sql``}
    ORDER BY c.starts_on DESC, c.created_at DESC LIMIT 200`);
  return rows;
}

/** The campaign of the same scope that started before this one (the latest such): the comparison's baseline. */
export async function previousOf(db: Exec, c: { id: string; org_id: string; starts_on: string; created_at: string }): Promise<{ id: string; name: string } | null> {
  const { rows } = await db.execute<{ id: string; name: string }>(sql`
    SELECT id, name FROM campaigns
    WHERE org_id = ${c.org_id} AND id <> ${c.id} AND (starts_on, created_at) < (${c.starts_on}::date, ${c.created_at}::timestamptz)
    ORDER BY starts_on DESC, created_at DESC LIMIT 1`);
  return rows[0] ?? null;
}

export interface NewCampaign {
  name: string; orgId: string; orgPath: string; kinds: string[]; tag: string | null; awayOnly: boolean;
  startsOn: string; endsOn: string; deadline: string; createdBy: string; today: string;
}

/**
 * Creates the campaign and snapshots its targets in one statement set: households (live, in the scope's villages,
 * matching tag / away-only) and enterprises/shops, each with the primary member holding it today, then the away
 * residents of the targeted households (living, away_scope set) as reach targets with their household's member; each
 * with the visits already recorded in the window that count for it (the service holds the visits' drain meanwhile: a
 * visit committed after this statement is still queued and recounted once the campaign exists).
 */
export async function insertCampaign(tx: Exec, c: NewCampaign): Promise<string> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    INSERT INTO campaigns (name, org_id, kinds, tag, away_only, starts_on, ends_on, deadline, created_by)
    VALUES (${c.name}, ${c.orgId}, ${sql.param(c.kinds)}::text[], ${c.tag}, ${c.awayOnly}, ${c.startsOn}, ${c.endsOn}, ${c.deadline}, ${c.createdBy})
    RETURNING id`);
  const id = rows[0]!.id;
  const activeLink = (col: SQL) => sql`(SELECT l.person_id FROM links l WHERE ${col} AND l.role = 'primary'
      AND l.starts_on <= ${c.today}::date AND (l.ends_on IS NULL OR l.ends_on > ${c.today}::date) ORDER BY l.starts_on DESC LIMIT 1)`;
  const hasAway = sql`EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.away_scope IS NOT NULL AND r.left_on IS NULL)`;
  // A zone-wide campaign sorts ~300k targets (village, natural address order): in memory, not in temporary files.
  await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
  await tx.execute(sql`
    WITH villages AS (
      SELECT id, path, sort_key, code FROM orgs WHERE level = 'village' AND ${under(sql`path`, sql`${c.orgPath}`)}
    ), chosen AS (
      SELECT 'household'::text AS kind, h.id AS target_id, NULL::uuid AS household_id, h.org_id, ${activeLink(sql`l.household_id = h.id`)} AS person_id,
             v.sort_key AS v_sort, v.code AS v_code, 0 AS k_sort, h.address_norm AS a_sort, h.head_name AS n_sort
      FROM households h JOIN villages v ON v.id = h.org_id
      WHERE 'household' = ANY(${sql.param(c.kinds)}::text[]) AND h.removed_at IS NULL
        ${c.tag ? sql`AND ${c.tag} = ANY(h.tags)` : sql``} ${c.awayOnly ? sql`AND ${hasAway}` : sql``}
      UNION ALL
      SELECT b.kind, b.id, NULL::uuid, b.org_id, ${activeLink(sql`l.business_id = b.id`)},
             v.sort_key, v.code, CASE b.kind WHEN 'enterprise' THEN 2 ELSE 3 END, b.address_norm, b.name
      FROM businesses b JOIN villages v ON v.id = b.org_id
      WHERE b.kind = ANY(${sql.param(c.kinds)}::text[]) AND b.kind IN ('enterprise', 'shop') AND b.removed_at IS NULL
        AND ${c.tag === null && !c.awayOnly}::boolean
    ), everyone AS (
      SELECT * FROM chosen
      UNION ALL
      SELECT 'away_resident', r.id, h.target_id, h.org_id, h.person_id, h.v_sort, h.v_code, 1, h.a_sort, r.name
      FROM chosen h JOIN residents r ON r.household_id = h.target_id AND r.away_scope IS NOT NULL AND r.left_on IS NULL
      WHERE h.kind = 'household'
    )
    -- Visits already in the window (a campaign may start before it is created), counted with the targets rather than
    -- by updating them afterwards (that update rewrote most of the rows: half the time of a zone-wide creation).
    , hv AS (
      SELECT v.household_id AS id, count(*)::int AS n FROM visits v
      WHERE v.household_id IN (SELECT target_id FROM chosen WHERE kind = 'household') AND v.visited_on BETWEEN ${c.startsOn}::date AND ${c.endsOn}::date
      GROUP BY 1
    ), bv AS (
      SELECT v.business_id AS id, count(*)::int AS n FROM visits v
      WHERE v.business_id IN (SELECT target_id FROM chosen WHERE kind <> 'household') AND v.visited_on BETWEEN ${c.startsOn}::date AND ${c.endsOn}::date
      GROUP BY 1
    ), rv AS (
      SELECT vr.resident_id AS id, count(*)::int AS n FROM visit_residents vr JOIN visits v ON v.id = vr.visit_id
      WHERE vr.resident_id IN (SELECT target_id FROM everyone WHERE kind = 'away_resident')
        AND v.visited_on BETWEEN ${c.startsOn}::date AND ${c.endsOn}::date AND v.channel = ANY(${REMOTE})
      GROUP BY 1
    )
    INSERT INTO campaign_targets (campaign_id, target_id, kind, household_id, org_id, person_id, seq, visits)
    SELECT ${id}, e.target_id, e.kind, e.household_id, e.org_id, e.person_id,
           row_number() OVER (ORDER BY e.v_sort, e.v_code, e.a_sort COLLATE lx_natural, coalesce(e.household_id, e.target_id), e.k_sort, e.n_sort, e.target_id),
           coalesce(CASE e.kind WHEN 'household' THEN hv.n WHEN 'away_resident' THEN rv.n ELSE bv.n END, 0)
    FROM everyone e
    LEFT JOIN hv ON e.kind = 'household' AND hv.id = e.target_id
    LEFT JOIN bv ON e.kind IN ('enterprise', 'shop') AND bv.id = e.target_id
    LEFT JOIN rv ON e.kind = 'away_resident' AND rv.id = e.target_id`);
  return id;
}

/** Builds the campaign's village and member rollups from its targets (once, at creation). */
export async function buildRollups(tx: Exec, id: string): Promise<void> {
  const sums = sql`count(*) FILTER (WHERE kind <> 'away_resident'), count(*) FILTER (WHERE kind <> 'away_resident' AND visits > 0),
    count(*) FILTER (WHERE kind = 'away_resident'), count(*) FILTER (WHERE kind = 'away_resident' AND visits > 0)`;
  await tx.execute(sql`
    INSERT INTO campaign_village_progress (campaign_id, org_id, total, visited, away_total, away_reached)
    SELECT campaign_id, org_id, ${sums} FROM campaign_targets WHERE campaign_id = ${id} GROUP BY campaign_id, org_id`);
  await tx.execute(sql`
    INSERT INTO campaign_member_progress (campaign_id, person_id, org_id, total, visited, away_total, away_reached)
    SELECT campaign_id, person_id, org_id, ${sums} FROM campaign_targets
    WHERE campaign_id = ${id} AND person_id IS NOT NULL GROUP BY campaign_id, person_id, org_id`);
}

export async function closeCampaign(tx: Exec, id: string, accountId: string): Promise<void> {
  await tx.execute(sql`UPDATE campaigns SET closed_at = now(), closed_by = ${accountId} WHERE id = ${id}`);
}

/** A constituent (household or business) or an away resident a visit reached on that day: its targets are recounted. */
export interface Qualifier { targetId: string; on: string; away: boolean }

/**
 * Recounts, from the visits, the qualifying visits of every target of an open campaign that these qualifiers touch
 * (the day inside the campaign's window), and moves the village and member rollups by the targets that became visited
 * or stopped being so. Absolute, not ±1: a qualifier seen twice, in any order, or a visit already counted when its
 * campaign was created changes nothing. Runs in the drain (one at a time, visits.service), which is what makes the
 * old count read in the same statement safe; rows are updated in key order.
 */
export async function recountTargets(tx: Exec, qs: Qualifier[]): Promise<void> {
  if (qs.length === 0) return;
  await recount(tx, sql`
    SELECT * FROM unnest(${sql.param(qs.map((q) => q.targetId))}::uuid[], ${sql.param(qs.map((q) => q.on))}::date[],
                         ${sql.param(qs.map((q) => q.away))}::boolean[])`);
}

/**
 * After a campaign is created: recounts its targets reached by visits recorded since a minute before it was (a visit
 * written while the targets were being counted, and taken in by a drain before the campaign was committed, would
 * otherwise be missed). The minute covers a visit's statement that started before the campaign and committed after.
 */
export async function recountSinceCreation(tx: Exec, campaignId: string): Promise<void> {
  // The campaign's villages × its window, through visits (org_id, visited_on): not a scan of every visit.
  const recent = sql`
    SELECT v.* FROM campaigns c
    JOIN campaign_village_progress p ON p.campaign_id = c.id
    JOIN visits v ON v.org_id = p.org_id AND v.visited_on BETWEEN c.starts_on AND c.ends_on AND v.created_at >= c.created_at - interval '1 minute'
    WHERE c.id = ${campaignId}`;
  await recount(tx, sql`
    WITH recent AS MATERIALIZED (${recent})
    SELECT coalesce(v.household_id, v.business_id), v.visited_on, false FROM recent v
    UNION ALL
    SELECT vr.resident_id, v.visited_on, true FROM recent v JOIN visit_residents vr ON vr.visit_id = v.id WHERE v.channel = ANY(${REMOTE})`);
}

/** The recount of `recountTargets`, for the (target, day, away) rows `source` selects. */
async function recount(tx: Exec, source: SQL): Promise<void> {
  await executePrepared(tx, sql`
    WITH q(target_id, on_day, away) AS (${source}),
    touched AS (
      SELECT DISTINCT t.campaign_id, t.target_id, t.kind, t.visits AS old, c.starts_on, c.ends_on
      FROM q JOIN campaign_targets t ON t.target_id = q.target_id AND (t.kind = 'away_resident') = q.away
      JOIN campaigns c ON c.id = t.campaign_id AND c.closed_at IS NULL AND q.on_day BETWEEN c.starts_on AND c.ends_on
    ), d AS (
      SELECT x.campaign_id, x.target_id, x.old, CASE
          WHEN x.kind = 'household' THEN (SELECT count(*) FROM visits v WHERE v.household_id = x.target_id AND v.visited_on BETWEEN x.starts_on AND x.ends_on)
          WHEN x.kind = 'away_resident' THEN (SELECT count(*) FROM visit_residents vr JOIN visits v ON v.id = vr.visit_id
            WHERE vr.resident_id = x.target_id AND v.channel = ANY(${REMOTE}) AND v.visited_on BETWEEN x.starts_on AND x.ends_on)
          ELSE (SELECT count(*) FROM visits v WHERE v.business_id = x.target_id AND v.visited_on BETWEEN x.starts_on AND x.ends_on)
        END::int AS n
      FROM touched x
    ), u AS (
      UPDATE campaign_targets t SET visits = d.n
      FROM (SELECT * FROM d WHERE n <> old ORDER BY campaign_id, target_id) d
      WHERE t.campaign_id = d.campaign_id AND t.target_id = d.target_id
      RETURNING t.campaign_id, t.org_id, t.person_id, t.kind, (d.n > 0)::int - (d.old > 0)::int AS flip
    ), f AS (
      SELECT campaign_id, org_id, person_id,
             coalesce(sum(flip) FILTER (WHERE kind <> 'away_resident'), 0)::int AS v,
             coalesce(sum(flip) FILTER (WHERE kind = 'away_resident'), 0)::int AS r
      FROM u WHERE flip <> 0 GROUP BY campaign_id, org_id, person_id
    ), village AS (
      UPDATE campaign_village_progress p SET visited = p.visited + s.v, away_reached = p.away_reached + s.r, updated_at = now()
      FROM (SELECT campaign_id, org_id, sum(v)::int AS v, sum(r)::int AS r FROM f GROUP BY campaign_id, org_id ORDER BY campaign_id, org_id) s
      WHERE p.campaign_id = s.campaign_id AND p.org_id = s.org_id RETURNING 1
    ), member AS (
      UPDATE campaign_member_progress p SET visited = p.visited + f.v, away_reached = p.away_reached + f.r, updated_at = now()
      FROM (SELECT * FROM f WHERE person_id IS NOT NULL ORDER BY campaign_id, person_id, org_id) f
      WHERE p.campaign_id = f.campaign_id AND p.person_id = f.person_id AND p.org_id = f.org_id
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM village) + (SELECT count(*) FROM member) AS n`);
}

export type Sums = { total: number; visited: number; away_total: number; away_reached: number };
const sumCols = sql`coalesce(sum(p.total), 0)::int AS total, coalesce(sum(p.visited), 0)::int AS visited,
  coalesce(sum(p.away_total), 0)::int AS away_total, coalesce(sum(p.away_reached), 0)::int AS away_reached`;

/** The figures of `orgPath`'s subtree for each campaign (≤ villages-in-subtree rows each). */
export async function totalsUnder(db: Exec, campaignIds: string[], orgPath: string): Promise<Map<string, Sums>> {
  if (campaignIds.length === 0) return new Map();
  const { rows } = await db.execute<Sums & { campaign_id: string }>(sql`
    SELECT p.campaign_id, ${sumCols} FROM campaign_village_progress p JOIN orgs v ON v.id = p.org_id
    WHERE p.campaign_id = ANY(${sql.param(campaignIds)}::uuid[]) AND ${under(sql`v.path`, sql`${orgPath}`)}
    GROUP BY p.campaign_id`);
  return new Map(rows.map((r) => [r.campaign_id, r]));
}

export type ChildRow = Sums & { campaign_id: string; code: string; name: string; level: string; sort_key: number };

/** The child orgs (towns of the zone, villages of a town) of `orgId` with their figures per campaign. */
export async function childrenTotals(db: Exec, campaignIds: string[], orgId: string): Promise<ChildRow[]> {
  const { rows } = await db.execute<ChildRow>(sql`
    WITH kids AS (
      SELECT id, code, short_name, level, path, sort_key FROM orgs
      WHERE parent_id = ${orgId} AND valid_to IS NULL AND level IN ('town', 'village')
    )
    SELECT p.campaign_id, k.code, k.short_name AS name, k.level, k.sort_key, ${sumCols}
    FROM kids k JOIN orgs v ON ${under(sql`v.path`, sql`k.path`)}
    JOIN campaign_village_progress p ON p.org_id = v.id AND p.campaign_id = ANY(${sql.param(campaignIds)}::uuid[])
    GROUP BY p.campaign_id, k.code, k.short_name, k.level, k.sort_key
    ORDER BY k.sort_key, k.code`);
  return rows;
}

export type MemberRow = Sums & { campaign_id: string; person_id: string; name: string };

/** The members of a village's targets (as held at each campaign's creation) with their figures per campaign. */
export async function membersOf(db: Exec, campaignIds: string[], villageId: string): Promise<MemberRow[]> {
  const { rows } = await db.execute<MemberRow>(sql`
    SELECT p.campaign_id, p.person_id, pe.name, ${sumCols}
    FROM campaign_member_progress p JOIN people pe ON pe.id = p.person_id
    WHERE p.campaign_id = ANY(${sql.param(campaignIds)}::uuid[]) AND p.org_id = ${villageId}
    GROUP BY p.campaign_id, p.person_id, pe.name
    ORDER BY pe.name, p.person_id`);
  return rows;
}

/** The member's village in the campaign (their targets' village), for the scope check of ?person=. */
export async function memberVillages(db: Exec, campaignId: string, personId: string): Promise<{ path: string; name: string }[]> {
  const { rows } = await db.execute<{ path: string; name: string }>(sql`
    SELECT v.path, pe.name FROM campaign_member_progress p JOIN orgs v ON v.id = p.org_id JOIN people pe ON pe.id = p.person_id
    WHERE p.campaign_id = ${campaignId} AND p.person_id = ${personId}`);
  return rows;
}

export type PendingRow = {
  seq: number; target_id: string; kind: string; household_id: string | null; name: string; address: string;
  away_scope: string | null; away_place: string | null; village_code: string; village_name: string;
  person_id: string | null; person_name: string | null;
};

export interface PendingFilter { campaignId: string; orgPath: string | null; personId: string | null }

const pendingWhere = (f: PendingFilter) => sql`t.campaign_id = ${f.campaignId} AND t.visits = 0
  ${f.orgPath ? sql`AND ${under(sql`v.path`, sql`${f.orgPath}`)}` : sql``}
  ${f.personId ? sql`AND t.person_id = ${f.personId}` : sql``}`;

/** Targets not yet visited (reached), in seq order after `afterSeq`; names and addresses read live from the registry. */
export async function pending(db: Exec, f: PendingFilter, afterSeq: number, limit: number): Promise<PendingRow[]> {
  const { rows } = await db.execute<PendingRow>(sql`
    SELECT t.seq, t.target_id, t.kind, t.household_id,
           coalesce(r.name, h.head_name, b.name) AS name, coalesce(h.address, rh.address, b.address) AS address,
           r.away_scope, r.away_place, v.code AS village_code, v.short_name AS village_name,
           t.person_id, pe.name AS person_name
    FROM campaign_targets t JOIN orgs v ON v.id = t.org_id
    LEFT JOIN households h ON t.kind = 'household' AND h.id = t.target_id
    LEFT JOIN businesses b ON t.kind IN ('enterprise', 'shop') AND b.id = t.target_id
    LEFT JOIN residents r ON t.kind = 'away_resident' AND r.id = t.target_id
    LEFT JOIN households rh ON rh.id = t.household_id
    LEFT JOIN people pe ON pe.id = t.person_id
    WHERE ${pendingWhere(f)} AND t.seq > ${afterSeq}
    ORDER BY t.seq LIMIT ${limit}`);
  return rows;
}

export async function pendingCount(db: Exec, f: PendingFilter): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM campaign_targets t JOIN orgs v ON v.id = t.org_id WHERE ${pendingWhere(f)}`);
  return rows[0]!.n;
}

export type ReminderRow = { campaign_id: string; campaign_name: string; deadline: string; account_id: string; person_id: string; pending: number };

/**
 * Open campaigns whose deadline is `deadline`: each member (with an active account) holding unvisited targets, and how
 * many. Reads the member's account from `accounts` (the person's own login).
 */
export async function remindersDue(db: Exec, deadline: string): Promise<ReminderRow[]> {
  const { rows } = await db.execute<ReminderRow>(sql`
    SELECT c.id AS campaign_id, c.name AS campaign_name, c.deadline, a.id AS account_id, p.person_id,
           sum(p.total - p.visited + p.away_total - p.away_reached)::int AS pending
    FROM campaigns c
    JOIN campaign_member_progress p ON p.campaign_id = c.id
    JOIN accounts a ON a.person_id = p.person_id AND NOT a.disabled
    WHERE c.closed_at IS NULL AND c.deadline = ${deadline}::date
    GROUP BY c.id, c.name, c.deadline, a.id, p.person_id
    HAVING sum(p.total - p.visited + p.away_total - p.away_reached) > 0`);
  return rows;
}
