import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { executePrepared } from '../../db/prepared.ts';

type Exec = Pick<Db, 'execute'>;

export type PeriodSpec = { kind: 'week' | 'month'; start: string; end: string }

/** Vulnerable tag codes (the tag dictionary says which), as an SQL array. */
const VULNERABLE_CODES = sql`(SELECT coalesce(array_agg(code), '{}'::text[]) FROM tag_definitions WHERE vulnerable AND active)`;

/**
 * The effective rule of a constituent, as a subquery for a LATERAL join (rule_id, period, min_visits, channels): rules
 * of its kind in its village or above; a rule of one of its tags beats the any-vulnerable one ('*'), which beats the
 * untagged one (a village re-tuning households in general must not drop the weekly rule of its vulnerable ones); then
 * the most specific org; then the stricter rule when two tags of one household carry different rules.
 */
function ruleOf(kind: SQL, orgPath: SQL, tags: SQL, vulnerable: SQL): SQL {
  return sql`(
    SELECT r.id AS rule_id, r.period, r.min_visits, r.channels FROM visit_rules r JOIN orgs ro ON ro.id = r.org_id AND ro.valid_to IS NULL
    WHERE r.kind = ${kind} AND (${orgPath} = ro.path OR ${orgPath} LIKE ro.path || '/%')
      AND (r.tag = '' OR (r.tag = '*' AND ${vulnerable}) OR r.tag = ANY(${tags}))
    ORDER BY CASE r.tag WHEN '' THEN 2 WHEN '*' THEN 1 ELSE 0 END, ro.depth DESC, (r.period = 'week') DESC, r.min_visits DESC
    LIMIT 1)`;
}

/**
 * Visits of a constituent in the period [s, e) that count under a rule with `channels`. Any channel: the visits
 * module's rollup (visit_constituent_periods; for an away resident its rows exist only for phone/WeChat/video, i.e.
 * "reached"). Restricted channels: the constituent's own visits in the period, through its index (a handful of rows).
 */
function countIn(cid: SQL, ckind: SQL, pkind: SQL, channels: SQL, s: SQL, e: SQL): SQL {
  return sql`CASE
    WHEN ${channels} IS NULL THEN coalesce((SELECT p.visits FROM visit_constituent_periods p
      WHERE p.constituent_id = ${cid} AND p.period_kind = ${pkind} AND p.period_start = ${s}), 0)
    WHEN ${ckind} = 'away_resident' THEN (SELECT count(*)::int FROM visit_residents vr JOIN visits v ON v.id = vr.visit_id
      WHERE vr.resident_id = ${cid} AND v.visited_on >= ${s} AND v.visited_on < ${e} AND v.channel = ANY(${channels}))
    WHEN ${ckind} = 'household' THEN (SELECT count(*)::int FROM visits v WHERE v.household_id = ${cid}
      AND v.visited_at >= (${s}::timestamp AT TIME ZONE 'Asia/Shanghai') AND v.visited_at < (${e}::timestamp AT TIME ZONE 'Asia/Shanghai') AND v.channel = ANY(${channels}))
    ELSE (SELECT count(*)::int FROM visits v WHERE v.business_id = ${cid}
      AND v.visited_at >= (${s}::timestamp AT TIME ZONE 'Asia/Shanghai') AND v.visited_at < (${e}::timestamp AT TIME ZONE 'Asia/Shanghai') AND v.channel = ANY(${channels}))
  END`;
}

/** A link that really held (an undone assignment ends the day it started and never held). */
const HELD = sql`(l.ends_on IS NULL OR l.ends_on > l.starts_on)`;

/**
 * Obligations in the given periods, as CTEs ending in `counted` (pkind, s, person_id, cid, ckind, org_id, min_visits, n):
 * households, enterprises and shops with a primary link during the period — attributed to the last member who held it
 * in the period — and the away residents of those households, each under its effective rule when that rule's period is
 * the period's kind and asks for at least one visit. `villageIds` (an SQL uuid[]) narrows to constituents of those villages.
 */
function obligations(periods: PeriodSpec[], villageIds: SQL): SQL {
  const hWhere = sql`h.org_id = ANY(${villageIds})`;
  const bWhere = sql`b.org_id = ANY(${villageIds})`;
  const values = sql.join(periods.map((p) => sql`(${p.kind}::text, ${p.start}::date, ${p.end}::date)`), sql`, `);
  return sql`
    per AS (SELECT * FROM (VALUES ${values}) AS v(kind, s, e)),
    held AS (
      (SELECT DISTINCT ON (h.id, per.kind, per.s) per.kind AS pkind, per.s, per.e, l.person_id, h.id AS cid, 'household'::text AS ckind, h.org_id, h.tags
       FROM households h CROSS JOIN per
       JOIN links l ON l.household_id = h.id AND l.role = 'primary' AND l.starts_on < per.e AND (l.ends_on IS NULL OR l.ends_on > per.s) AND ${HELD}
       WHERE h.removed_at IS NULL AND ${hWhere}
       ORDER BY h.id, per.kind, per.s, l.starts_on DESC, l.created_at DESC)
      UNION ALL
      (SELECT DISTINCT ON (b.id, per.kind, per.s) per.kind, per.s, per.e, l.person_id, b.id, b.kind, b.org_id, '{}'::text[]
       FROM businesses b CROSS JOIN per
       JOIN links l ON l.business_id = b.id AND l.role = 'primary' AND l.starts_on < per.e AND (l.ends_on IS NULL OR l.ends_on > per.s) AND ${HELD}
       WHERE b.removed_at IS NULL AND b.kind IN ('enterprise', 'shop') AND ${bWhere}
       ORDER BY b.id, per.kind, per.s, l.starts_on DESC, l.created_at DESC)
    ),
    ob AS (
      SELECT x.pkind, x.s, x.e, x.person_id, x.cid, x.ckind, x.org_id, x.tags FROM held x
      UNION ALL
      SELECT x.pkind, x.s, x.e, x.person_id, r.id, 'away_resident', x.org_id, x.tags
      FROM held x JOIN residents r ON r.household_id = x.cid AND r.away_scope IS NOT NULL AND r.left_on IS NULL
      WHERE x.ckind = 'household'
    ),
    vt AS (SELECT ${VULNERABLE_CODES} AS codes),
    ruled AS (
      SELECT ob.*, ru.min_visits, ru.channels FROM ob JOIN orgs o ON o.id = ob.org_id CROSS JOIN vt
      JOIN LATERAL ${ruleOf(sql`ob.ckind`, sql`o.path`, sql`ob.tags`, sql`(ob.tags && vt.codes)`)} ru ON ru.period = ob.pkind AND ru.min_visits > 0
    ),
    counted AS (
      SELECT ruled.*, ${countIn(sql`ruled.cid`, sql`ruled.ckind`, sql`ruled.pkind`, sql`ruled.channels`, sql`ruled.s`, sql`ruled.e`)} AS n FROM ruled
    )`;
}

/**
 * Recomputes visit_completion (due, met) of these villages for these periods, in the caller's transaction. A village with nothing due still gets its rows (0, 0), so "no row" means "not computed yet".
 */
export async function recomputeCompletion(db: Exec, villageIds: string[], periods: PeriodSpec[]): Promise<void> {
  if (!periods.length || !villageIds.length) return;
  const ids = sql`ARRAY[${sql.join(villageIds.map((i) => sql`${i}::uuid`), sql`, `)}]`;
  await db.execute(sql`
    WITH ${obligations(periods, ids)},
    agg AS (SELECT org_id, pkind, s, count(*)::int AS due, (count(*) FILTER (WHERE n >= min_visits))::int AS met FROM counted GROUP BY 1, 2, 3),
    targets AS (SELECT v.id AS org_id, per.kind, per.s FROM orgs v CROSS JOIN per
      WHERE v.level = 'village' AND v.valid_to IS NULL AND v.id = ANY(${ids}))
    INSERT INTO visit_completion (org_id, period_kind, period_start, due, met, updated_at)
    SELECT t.org_id, t.kind, t.s, coalesce(a.due, 0), coalesce(a.met, 0), now()
    FROM targets t LEFT JOIN agg a ON a.org_id = t.org_id AND a.pkind = t.kind AND a.s = t.s
    ON CONFLICT (org_id, period_kind, period_start) DO UPDATE SET due = EXCLUDED.due, met = EXCLUDED.met, updated_at = now()`);
}

/** Per member of a village: obligations due and met in these periods (the village's drill-down; computed live, one village). */
export async function memberCompletion(db: Exec, villageId: string, periods: PeriodSpec[]): Promise<Map<string, { due: number; met: number }>> {
  const ids = sql`ARRAY[${villageId}::uuid]`;
  const { rows } = await db.execute<{ person_id: string; due: number; met: number }>(sql`
    WITH ${obligations(periods, ids)}
    SELECT person_id, count(*)::int AS due, (count(*) FILTER (WHERE n >= min_visits))::int AS met FROM counted GROUP BY person_id`);
  return new Map(rows.map((r) => [r.person_id, { due: r.due, met: r.met }]));
}

/** The current and previous periods of both kinds, as the due list compares them. */
export type DuePeriods = { week: PeriodSpec; month: PeriodSpec; prevWeek: PeriodSpec; prevMonth: PeriodSpec }

export type DueRow = {
  person_id: string;
  household_id: string | null;
  business_id: string | null;
  ckind: string;
  name: string;
  address: string;
  org_code: string;
  org_name: string;
  role: 'primary' | 'helper';
  starts_on: string;
  tags: string[];
  vulnerable: boolean;
  period: 'week' | 'month' | null;
  min_visits: number | null;
  channels: string[] | null;
  n_cur: number;
  n_prev: number;
  last_at: Date | null;
  last_channel: string | null;
  last_person: string | null;
}

const pick = (kind: SQL, week: string, month: string) => sql`(CASE WHEN ${kind} = 'week' THEN ${week}::date ELSE ${month}::date END)`;

/**
 * Each active link of the persons matching `personWhere` (on `l`) — a constituent linked twice (primary and helper)
 * once, as primary — with its effective rule and its visits in the rule's current and previous periods; with `detail`,
 * also the constituent's last visit (any channel, by anyone) and who made it.
 */
export async function dueRows(db: Exec, personWhere: SQL, p: DuePeriods, detail: boolean): Promise<DueRow[]> {
  return (await executePrepared<DueRow>(db, dueRowsSql(personWhere, p, detail))).rows;
}

function dueRowsSql(personWhere: SQL, p: DuePeriods, detail: boolean): SQL {
  const cs = pick(sql`ru.period`, p.week.start, p.month.start);
  const ce = pick(sql`ru.period`, p.week.end, p.month.end);
  const ps = pick(sql`ru.period`, p.prevWeek.start, p.prevMonth.start);
  const pe = pick(sql`ru.period`, p.prevWeek.end, p.prevMonth.end);
  return sql`
    WITH mine AS (
      SELECT DISTINCT ON (l.person_id, coalesce(l.household_id, l.business_id)) l.person_id, l.household_id, l.business_id, l.role, l.starts_on
      FROM links l WHERE l.ends_on IS NULL AND ${personWhere}
      ORDER BY l.person_id, coalesce(l.household_id, l.business_id), (l.role = 'primary') DESC, l.starts_on
    ),
    cons AS (
      SELECT m.*, coalesce(h.id, b.id) AS cid, CASE WHEN h.id IS NOT NULL THEN 'household' ELSE b.kind END AS ckind,
             coalesce(h.org_id, b.org_id) AS org_id, coalesce(h.tags, '{}'::text[]) AS tags,
             coalesce(h.head_name, b.name) AS name, coalesce(h.address, b.address) AS address
      FROM mine m LEFT JOIN households h ON h.id = m.household_id LEFT JOIN businesses b ON b.id = m.business_id
      WHERE h.removed_at IS NULL AND b.removed_at IS NULL
    ),
    vt AS (SELECT ${VULNERABLE_CODES} AS codes)
    SELECT c.person_id, c.household_id, c.business_id, c.ckind, c.name, c.address, o.code AS org_code, o.short_name AS org_name,
           c.role, c.starts_on::text AS starts_on, c.tags, (c.tags && vt.codes) AS vulnerable,
           ru.period, ru.min_visits, ru.channels,
           coalesce(${countIn(sql`c.cid`, sql`c.ckind`, sql`ru.period`, sql`ru.channels`, cs, ce)}, 0) AS n_cur,
           coalesce(${countIn(sql`c.cid`, sql`c.ckind`, sql`ru.period`, sql`ru.channels`, ps, pe)}, 0) AS n_prev,
           ${detail ? sql`coalesce(lh.visited_at, lb.visited_at) AS last_at, coalesce(lh.channel, lb.channel) AS last_channel, lp.name AS last_person` : sql`NULL::timestamptz AS last_at, NULL AS last_channel, NULL AS last_person`}
    FROM cons c JOIN orgs o ON o.id = c.org_id CROSS JOIN vt
    LEFT JOIN LATERAL ${ruleOf(sql`c.ckind`, sql`o.path`, sql`c.tags`, sql`(c.tags && vt.codes)`)} ru ON ru.min_visits > 0
    ${detail ? sql`
    -- The last visit: one backward step down the household's (or business's) (id, visited_at) index each. A single
    -- lateral with "household = … OR business = …" read every visit of the constituent (a BitmapOr) and sorted them.
    LEFT JOIN LATERAL (SELECT v.visited_at, v.channel, v.person_id FROM visits v
      WHERE v.household_id = c.household_id ORDER BY v.visited_at DESC LIMIT 1) lh ON true
    LEFT JOIN LATERAL (SELECT v.visited_at, v.channel, v.person_id FROM visits v
      WHERE v.business_id = c.business_id ORDER BY v.visited_at DESC LIMIT 1) lb ON true
    LEFT JOIN people lp ON lp.id = coalesce(lh.person_id, lb.person_id)` : sql``}`;
}

export type AwayRow = {
  person_id: string;
  household_id: string;
  id: string;
  name: string;
  away_scope: string;
  away_place: string | null;
  starts_on: string;
  period: 'week' | 'month' | null;
  min_visits: number | null;
  channels: string[] | null;
  n_cur: number;
  n_prev: number;
  last_at: Date | null;
  last_channel: string | null;
}

/** Away residents (在外) of the households linked to the persons matching `personWhere`, with their rule and "last reached". */
export async function awayRows(db: Exec, personWhere: SQL, p: DuePeriods, detail: boolean): Promise<AwayRow[]> {
  return (await executePrepared<AwayRow>(db, awayRowsSql(personWhere, p, detail))).rows;
}

function awayRowsSql(personWhere: SQL, p: DuePeriods, detail: boolean): SQL {
  const cs = pick(sql`ru.period`, p.week.start, p.month.start);
  const ce = pick(sql`ru.period`, p.week.end, p.month.end);
  const ps = pick(sql`ru.period`, p.prevWeek.start, p.prevMonth.start);
  const pe = pick(sql`ru.period`, p.prevWeek.end, p.prevMonth.end);
  return sql`
    WITH mine AS (
      SELECT DISTINCT ON (l.person_id, l.household_id) l.person_id, l.household_id, l.starts_on
      FROM links l WHERE l.ends_on IS NULL AND l.household_id IS NOT NULL AND ${personWhere}
      ORDER BY l.person_id, l.household_id, (l.role = 'primary') DESC, l.starts_on
    ),
    vt AS (SELECT ${VULNERABLE_CODES} AS codes)
    SELECT m.person_id, m.household_id, r.id, r.name, r.away_scope, r.away_place, m.starts_on::text AS starts_on,
           ru.period, ru.min_visits, ru.channels,
           coalesce(${countIn(sql`r.id`, sql`'away_resident'`, sql`ru.period`, sql`ru.channels`, cs, ce)}, 0) AS n_cur,
           coalesce(${countIn(sql`r.id`, sql`'away_resident'`, sql`ru.period`, sql`ru.channels`, ps, pe)}, 0) AS n_prev,
           ${detail ? sql`lr.visited_at AS last_at, lr.channel AS last_channel` : sql`NULL::timestamptz AS last_at, NULL AS last_channel`}
    FROM mine m JOIN households h ON h.id = m.household_id AND h.removed_at IS NULL
    JOIN residents r ON r.household_id = h.id AND r.away_scope IS NOT NULL AND r.left_on IS NULL
    JOIN orgs o ON o.id = h.org_id CROSS JOIN vt
    LEFT JOIN LATERAL ${ruleOf(sql`'away_resident'`, sql`o.path`, sql`h.tags`, sql`(h.tags && vt.codes)`)} ru ON ru.min_visits > 0
    ${detail ? sql`LEFT JOIN LATERAL (
      SELECT v.visited_at, v.channel FROM visit_residents vr JOIN visits v ON v.id = vr.visit_id
      WHERE vr.resident_id = r.id AND v.channel IN ('phone', 'wechat', 'video') ORDER BY v.visited_at DESC LIMIT 1) lr ON true` : sql``}
    ORDER BY r.name`;
}

export type HomeResidentRow = { id: string; household_id: string; name: string; relation: string }

export type OpenItemRow = {
  id: string; household_id: string | null; business_id: string | null; category: string; category_name: string;
  description: string; urgency: 'normal' | 'urgent'; created_at: string;
}

/** 今天 as read in one round trip: the person, their due rows and away residents (with details), open items, residents at home. */
export type TodayBundle = { person: PersonRow | null; rows: DueRow[]; away: AwayRow[]; items: OpenItemRow[]; home: HomeResidentRow[] }

/**
 * Everything 今天 shows for one person, as one statement (each part a JSON array; timestamps arrive as ISO strings):
 * five statements cost five round trips, and on this kind of host a round trip's system calls weigh more than the
 * reading. Open items (urgent, then newest first) and residents at home (the head first — for the offline visit form)
 * are those of every household and business the person holds a link to; `ord` keeps each array's order.
 */
export async function todayBundle(db: Exec, personId: string, p: DuePeriods): Promise<TodayBundle> {
  const linked = (col: SQL) => sql`(SELECT ${col} FROM links WHERE person_id = ${personId} AND ends_on IS NULL AND ${col} IS NOT NULL)`;
  const { rows } = await executePrepared<TodayBundle>(db, sql`
    SELECT
      (SELECT row_to_json(x) FROM (${personSql(personId)}) x) AS person,
      (SELECT coalesce(json_agg(x), '[]') FROM (${dueRowsSql(sql`l.person_id = ${personId}`, p, true)}) x) AS rows,
      (SELECT coalesce(json_agg(x), '[]') FROM (${awayRowsSql(sql`l.person_id = ${personId}`, p, true)}) x) AS away,
      (SELECT coalesce(json_agg(x ORDER BY x.ord), '[]') FROM (
        SELECT ri.id, ri.household_id, ri.business_id, ri.category, coalesce(ic.name, ri.category) AS category_name, ri.description,
               ri.urgency, ri.created_at, row_number() OVER (ORDER BY (ri.urgency = 'urgent') DESC, ri.created_at DESC) AS ord
        FROM raised_items ri LEFT JOIN item_categories ic ON ic.code = ri.category
        WHERE ri.status = 'open' AND (ri.household_id IN ${linked(sql`household_id`)} OR ri.business_id IN ${linked(sql`business_id`)})) x) AS items,
      (SELECT coalesce(json_agg(x ORDER BY x.ord), '[]') FROM (
        SELECT r.id, r.household_id, r.name, r.relation, row_number() OVER (ORDER BY r.household_id, (r.relation = '户主') DESC, r.name) AS ord
        FROM residents r WHERE r.household_id IN ${linked(sql`household_id`)} AND r.left_on IS NULL AND r.away_scope IS NULL) x) AS home`);
  return rows[0]!;
}

export type PersonRow = { id: string; name: string; kind: string; left_on: string | null; org_id: string; org_code: string; org_name: string; org_path: string }

function personSql(id: string): SQL {
  return sql`
    SELECT p.id, p.name, p.kind, p.left_on::text AS left_on, o.id AS org_id, o.code AS org_code, o.short_name AS org_name, o.path AS org_path
    FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = ${id}`;
}

export type OrgRow = { id: string; code: string; name: string; level: string; path: string; depth: number }

export async function orgByCode(db: Exec, code: string): Promise<OrgRow | null> {
  const { rows } = await db.execute<OrgRow>(sql`
    SELECT id, code, short_name AS name, level, path, depth FROM orgs WHERE code = ${code} AND valid_to IS NULL`);
  return rows[0] ?? null;
}

/** The orgs on the path, zone first (a breadcrumb and the rules' sources). */
export async function orgsOnPath(db: Exec, path: string): Promise<OrgRow[]> {
  const codes = path.split('/');
  const { rows } = await db.execute<OrgRow>(sql`
    SELECT id, code, short_name AS name, level, path, depth FROM orgs
    WHERE code = ANY(ARRAY[${sql.join(codes.map((c) => sql`${c}`), sql`, `)}]::text[]) AND valid_to IS NULL ORDER BY depth`);
  return rows;
}

export async function zone(db: Exec): Promise<OrgRow | null> {
  const { rows } = await db.execute<OrgRow>(sql`
    SELECT id, code, short_name AS name, level, path, depth FROM orgs WHERE level = 'zone' AND valid_to IS NULL ORDER BY depth LIMIT 1`);
  return rows[0] ?? null;
}

export type RuleRow = {
  id: string; org_id: string; kind: string; tag: string; period: 'week' | 'month'; min_visits: number; channels: string[] | null;
  updated_at: Date; org_code: string; org_name: string; org_level: string; org_depth: number;
}

/** Every rule row of these orgs (by id), most general org first. */
export async function rulesOfOrgs(db: Exec, orgIds: string[]): Promise<RuleRow[]> {
  if (!orgIds.length) return [];
  const { rows } = await db.execute<RuleRow>(sql`
    SELECT r.id, r.org_id, r.kind, r.tag, r.period, r.min_visits, r.channels, r.updated_at,
           o.code AS org_code, o.short_name AS org_name, o.level AS org_level, o.depth AS org_depth
    FROM visit_rules r JOIN orgs o ON o.id = r.org_id
    WHERE r.org_id = ANY(ARRAY[${sql.join(orgIds.map((i) => sql`${i}::uuid`), sql`, `)}])
    ORDER BY o.depth, r.kind, r.tag`);
  return rows;
}

export async function ruleById(db: Exec, id: string): Promise<(RuleRow & { org_path: string }) | null> {
  const { rows } = await db.execute<RuleRow & { org_path: string }>(sql`
    SELECT r.id, r.org_id, r.kind, r.tag, r.period, r.min_visits, r.channels, r.updated_at,
           o.code AS org_code, o.short_name AS org_name, o.level AS org_level, o.depth AS org_depth, o.path AS org_path
    FROM visit_rules r JOIN orgs o ON o.id = r.org_id WHERE r.id = ${id}`);
  return rows[0] ?? null;
}

/**
 * visit_rules has no unique key on (org, kind, tag) (foundation table): writers serialize on one transaction-scoped
 * advisory lock, so check-then-write cannot create a twin.
 */
export async function lockRules(db: Exec): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('lianxin.visit_rules'))`);
}

export async function ownRule(db: Exec, orgId: string, kind: string, tag: string): Promise<RuleRow | null> {
  const { rows } = await db.execute<RuleRow>(sql`
    SELECT r.id, r.org_id, r.kind, r.tag, r.period, r.min_visits, r.channels, r.updated_at,
           o.code AS org_code, o.short_name AS org_name, o.level AS org_level, o.depth AS org_depth
    FROM visit_rules r JOIN orgs o ON o.id = r.org_id WHERE r.org_id = ${orgId} AND r.kind = ${kind} AND r.tag = ${tag}
    ORDER BY r.updated_at LIMIT 1`);
  return rows[0] ?? null;
}

const channelsArray = (c: string[] | null) => (c ? sql`${sql.param(c)}::text[]` : sql`NULL::text[]`);

export async function upsertRule(db: Exec, v: { orgId: string; kind: string; tag: string; period: string; minVisits: number; channels: string[] | null; by: string | null }, existingId: string | null): Promise<void> {
  if (existingId) {
    await db.execute(sql`UPDATE visit_rules SET period = ${v.period}, min_visits = ${v.minVisits}, channels = ${channelsArray(v.channels)},
      updated_at = now(), updated_by = ${v.by} WHERE id = ${existingId}`);
  } else {
    await db.execute(sql`INSERT INTO visit_rules (org_id, kind, tag, period, min_visits, channels, updated_by)
      VALUES (${v.orgId}, ${v.kind}, ${v.tag}, ${v.period}, ${v.minVisits}, ${channelsArray(v.channels)}, ${v.by})`);
  }
}

export async function deleteRule(db: Exec, id: string): Promise<void> {
  await db.execute(sql`DELETE FROM visit_rules WHERE id = ${id}`);
}

export async function tagName(db: Exec, code: string): Promise<string | null> {
  const { rows } = await db.execute<{ name: string }>(sql`SELECT name FROM tag_definitions WHERE code = ${code}`);
  return rows[0]?.name ?? null;
}

export async function tagNames(db: Exec): Promise<Map<string, string>> {
  const { rows } = await db.execute<{ code: string; name: string }>(sql`SELECT code, name FROM tag_definitions`);
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Inserts the zone's default rules when the zone has none (first start); an office's later edits stay. */
export async function seedDefaults(db: Exec, rows: { kind: string; tag: string; period: string; minVisits: number; channels: string[] | null }[]): Promise<number> {
  const values = sql.join(rows.map((r) => sql`(${r.kind}::text, ${r.tag}::text, ${r.period}::text, ${r.minVisits}::int, ${channelsArray(r.channels)})`), sql`, `);
  const res = await db.execute(sql`
    WITH z AS (SELECT id FROM orgs WHERE level = 'zone' AND valid_to IS NULL ORDER BY depth LIMIT 1)
    INSERT INTO visit_rules (org_id, kind, tag, period, min_visits, channels)
    SELECT z.id, d.kind, d.tag, d.period, d.min, d.channels FROM z CROSS JOIN (VALUES ${values}) AS d(kind, tag, period, min, channels)
    WHERE NOT EXISTS (SELECT 1 FROM visit_rules r WHERE r.org_id = z.id)`);
  return res.rowCount ?? 0;
}

/** Current villages at or under the path. */
/** Every current village's id, grouped by the org above it (a town, or the zone for one directly under it). */
export async function villagesByParent(db: Exec): Promise<string[][]> {
  const { rows } = await db.execute<{ ids: string[] }>(sql`
    SELECT array_agg(id ORDER BY id) AS ids FROM orgs WHERE level = 'village' AND valid_to IS NULL GROUP BY parent_id ORDER BY parent_id`);
  return rows.map((r) => r.ids);
}

export async function villagesUnder(db: Exec, path: string): Promise<string[]> {
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT id FROM orgs WHERE level = 'village' AND valid_to IS NULL AND (path = ${path} OR path LIKE ${`${path}/%`})`);
  return rows.map((r) => r.id);
}

/** Children of an org that completion drills into: towns of the zone, villages of a town. */
export async function childOrgs(db: Exec, parentId: string): Promise<OrgRow[]> {
  const { rows } = await db.execute<OrgRow>(sql`
    SELECT id, code, short_name AS name, level, path, depth FROM orgs
    WHERE parent_id = ${parentId} AND valid_to IS NULL AND level IN ('town', 'village') ORDER BY sort_key, code`);
  return rows;
}

/**
 * Completion of each org (its villages' rows summed) for a month: the month's row plus the rows of the weeks starting
 * in it; and the latest update among them.
 */
export async function completionOf(db: Exec, paths: string[], month: string, nextMonth: string): Promise<{ sums: Map<string, { due: number; met: number }>; asOf: Date | null }> {
  if (!paths.length) return { sums: new Map(), asOf: null };
  const { rows } = await db.execute<{ path: string; due: number; met: number; as_of: Date | null }>(sql`
    WITH t(path) AS (SELECT unnest(ARRAY[${sql.join(paths.map((p) => sql`${p}`), sql`, `)}]::text[]))
    SELECT t.path, coalesce(sum(c.due), 0)::int AS due, coalesce(sum(c.met), 0)::int AS met, max(c.updated_at) AS as_of
    FROM t JOIN orgs v ON v.level = 'village' AND v.valid_to IS NULL AND (v.path = t.path OR v.path LIKE t.path || '/%')
    LEFT JOIN visit_completion c ON c.org_id = v.id AND (
      (c.period_kind = 'month' AND c.period_start = ${month}::date)
      OR (c.period_kind = 'week' AND c.period_start >= ${month}::date AND c.period_start < ${nextMonth}::date))
    GROUP BY t.path`);
  let asOf: Date | null = null;
  for (const r of rows) if (r.as_of && (!asOf || new Date(r.as_of) > asOf)) asOf = new Date(r.as_of);
  return { sums: new Map(rows.map((r) => [r.path, { due: r.due, met: r.met }])), asOf };
}

/** Members (people of kind member, not left) of a village, by name. */
export async function membersOf(db: Exec, villageId: string): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.execute<{ id: string; name: string }>(sql`
    SELECT id, name FROM people WHERE org_id = ${villageId} AND left_on IS NULL ORDER BY name, id`);
  return rows;
}

/** Accounts able to log in that belong to a person (who a reminder reaches). */
export async function accountsOfPeople(db: Exec): Promise<{ account_id: string; person_id: string }[]> {
  const { rows } = await db.execute<{ account_id: string; person_id: string }>(sql`
    SELECT a.id AS account_id, a.person_id FROM accounts a JOIN people p ON p.id = a.person_id AND p.left_on IS NULL
    WHERE a.person_id IS NOT NULL AND NOT a.disabled`);
  return rows;
}

/** Secretaries' accounts with their branch (the org of the role) and its path. */
export async function secretaries(db: Exec): Promise<{ account_id: string; org_path: string; org_name: string }[]> {
  const { rows } = await db.execute<{ account_id: string; org_path: string; org_name: string }>(sql`
    SELECT DISTINCT a.id AS account_id, o.path AS org_path, o.short_name AS org_name FROM account_roles ar
    JOIN accounts a ON a.id = ar.account_id AND NOT a.disabled JOIN orgs o ON o.id = ar.org_id AND o.valid_to IS NULL
    WHERE ar.role = 'secretary'`);
  return rows;
}

/** People (not left) with their org path, for grouping the digest by branch. */
export async function peopleWithPaths(db: Exec, ids: string[]): Promise<{ id: string; name: string; org_path: string }[]> {
  if (!ids.length) return [];
  const { rows } = await db.execute<{ id: string; name: string; org_path: string }>(sql`
    SELECT p.id, p.name, o.path AS org_path FROM people p JOIN orgs o ON o.id = p.org_id
    WHERE p.id = ANY(ARRAY[${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)}]) AND p.left_on IS NULL`);
  return rows;
}
