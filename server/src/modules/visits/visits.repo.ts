import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { executePrepared } from '../../db/prepared.ts';

/**
 * Visits' SQL. Recording is built for throughput (the phone's sync sends hundreds at once, the bench compares with a raw
 * INSERT loop): one read that resolves everything the checks need, then one statement that writes the visit, its
 * residents, items, audit event and every rollup (data-modifying CTEs), so a visit costs two round trips.
 */

/** A PostgreSQL array literal of uuids as ONE parameter (drizzle would expand a JS array into a list). Ids are zod-checked uuids. */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const textArray = (xs: readonly string[]) => sql`${`{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]`;

export type ConstituentRef = { householdId: string } | { businessId: string };
const cidOf = (c: ConstituentRef) => ('householdId' in c ? c.householdId : c.businessId);

export interface Resolved {
  existing: { id: string; person_id: string; content_hash: string; entered_by: string } | null;
  person: { id: string; kind: string; name: string; left_on: string | null; org_path: string } | null;
  constituent: { id: string; org_id: string; org_code: string; path: string; created_on: string; removed_at: string | null; name: string } | null;
  link: { id: string; role: string } | null;
  next_link_start: string | null;
  resident_names: Record<string, string> | null;
  away_ids: string[] | null;
  categories: Record<string, string> | null;
}

/** Everything the checks of a new visit need, in one round trip. */
export async function resolve(db: Db, a: {
  id: string; personId: string; constituent: ConstituentRef; day: string; residentIds: string[]; categories: string[];
}): Promise<Resolved> {
  const cid = cidOf(a.constituent);
  const isHousehold = 'householdId' in a.constituent;
  const constituent = isHousehold
    ? sql`SELECT c.id, c.org_id, o.code AS org_code, o.path, (c.created_at AT TIME ZONE 'Asia/Shanghai')::date AS created_on, c.removed_at,
             c.head_name || '（' || c.address || '）' AS name
          FROM households c JOIN orgs o ON o.id = c.org_id WHERE c.id = ${cid}`
    : sql`SELECT c.id, c.org_id, o.code AS org_code, o.path, (c.created_at AT TIME ZONE 'Asia/Shanghai')::date AS created_on, c.removed_at, c.name
          FROM businesses c JOIN orgs o ON o.id = c.org_id WHERE c.id = ${cid}`;
  const linkCol = isHousehold ? sql`l.household_id` : sql`l.business_id`;
  const { rows } = await executePrepared<Resolved & Record<string, unknown>>(db, sql`
    SELECT
      (SELECT row_to_json(x) FROM (SELECT v.id, v.person_id, v.content_hash, v.entered_by FROM visits v WHERE v.id = ${a.id}) x) AS existing,
      (SELECT row_to_json(x) FROM (SELECT p.id, p.kind, p.name, p.left_on, o.path AS org_path
                                   FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = ${a.personId}) x) AS person,
      (SELECT row_to_json(x) FROM (${constituent}) x) AS constituent,
      (SELECT row_to_json(x) FROM (SELECT l.id, l.role FROM links l
                                   WHERE l.person_id = ${a.personId} AND ${linkCol} = ${cid}
                                     AND l.starts_on <= ${a.day}::date AND (l.ends_on IS NULL OR l.ends_on > ${a.day}::date)
                                   ORDER BY (l.role = 'primary') DESC LIMIT 1) x) AS link,
      (SELECT min(l.starts_on) FROM links l WHERE l.person_id = ${a.personId} AND ${linkCol} = ${cid} AND l.starts_on > ${a.day}::date) AS next_link_start,
      (SELECT json_object_agg(r.id, r.name) FROM residents r
        WHERE r.id = ANY(${uuidArray(a.residentIds)}) AND r.household_id = ${isHousehold ? cid : null}::uuid) AS resident_names,
      (SELECT array_agg(r.id) FROM residents r
        WHERE r.id = ANY(${uuidArray(a.residentIds)}) AND r.household_id = ${isHousehold ? cid : null}::uuid AND r.away_scope IS NOT NULL) AS away_ids,
      (SELECT json_object_agg(c.code, c.name) FROM item_categories c WHERE c.code = ANY(${textArray(a.categories)}) AND c.active) AS categories`);
  return rows[0] as unknown as Resolved;
}

export interface NewVisit {
  id: string; personId: string; linkId: string | null; basis: 'link' | 'helper'; constituent: ConstituentRef; orgId: string;
  visitedAt: Date; day: string; weekStart: string; monthStart: string; channel: string; notes: string;
  /** The Shanghai month as instants [monthFrom, monthTo): the visits indexes lead with visited_at. */
  monthFrom: Date; monthTo: Date;
  proxy: boolean; enteredBy: string; contentHash: string; residentIds: string[];
  /** Constituent ids whose periods count this visit: the household or business, plus away residents reached remotely. */
  periodIds: string[];
  items: { category: string; description: string; urgency: string }[];
  audit: { action: string; after: unknown; actorId: string; actorUsername: string; ip: string | null; requestId: string | null };
  /** The change queued for campaigns and rule completion (visits.service VisitChange). */
  change: unknown;
}

export interface Inserted { inserted: boolean; created_at: string | null; items: { id: string; seq: number; category: string; description: string; urgency: string; created_at: string }[] | null }

/**
 * Writes a new visit and everything that moves with it in ONE statement. `ON CONFLICT (id) DO NOTHING` makes a retried or
 * concurrent send of the same client id write nothing (every other CTE hangs off `ins`); the caller then compares content.
 */
export async function insertVisit(db: Db, v: NewVisit): Promise<Inserted> {
  const hh = 'householdId' in v.constituent ? v.constituent.householdId : null;
  const bz = 'businessId' in v.constituent ? v.constituent.businessId : null;
  const cid = cidOf(v.constituent);
  const ch = (c: string) => (v.channel === c ? 1 : 0);
  const { rows } = await executePrepared<Inserted & Record<string, unknown>>(db, sql`
    WITH ins AS (
      INSERT INTO visits (id, person_id, link_id, basis, household_id, business_id, org_id, visited_at, visited_on, channel, notes, proxy, entered_by, content_hash)
      VALUES (${v.id}, ${v.personId}, ${v.linkId}, ${v.basis}, ${hh}, ${bz}, ${v.orgId}, ${v.visitedAt.toISOString()}, ${v.day}, ${v.channel}, ${v.notes},
              ${v.proxy}, ${v.enteredBy}, ${v.contentHash})
      ON CONFLICT (id) DO NOTHING
      RETURNING id, created_at
    ), vr AS (
      INSERT INTO visit_residents (visit_id, resident_id) SELECT ins.id, r FROM ins, unnest(${uuidArray(v.residentIds)}) r RETURNING 1
    ), ri AS (
      INSERT INTO raised_items (visit_id, seq, household_id, business_id, org_id, category, description, urgency)
      SELECT ins.id, i.ord, ${hh}::uuid, ${bz}::uuid, ${v.orgId}, i.category, i.description, i.urgency
      FROM ins, ROWS FROM (jsonb_to_recordset(${JSON.stringify(v.items)}::jsonb) AS (category text, description text, urgency text)) WITH ORDINALITY AS i(category, description, urgency, ord)
      RETURNING id, seq, category, description, urgency, created_at
    ), cp AS (
      INSERT INTO visit_constituent_periods AS t (constituent_id, period_kind, period_start, visits, last_visited_at)
      SELECT c, p.kind, p.start, 1, ${v.visitedAt.toISOString()}::timestamptz
      FROM ins, unnest(${uuidArray(v.periodIds)}) c, (VALUES ('week', ${v.weekStart}::date), ('month', ${v.monthStart}::date)) p(kind, start)
      ON CONFLICT (constituent_id, period_kind, period_start)
      DO UPDATE SET visits = t.visits + 1, last_visited_at = greatest(t.last_visited_at, excluded.last_visited_at)
      RETURNING constituent_id, period_kind, (xmax = 0) AS inserted
    ), first_in_month AS (
      SELECT count(*)::int AS n FROM cp WHERE constituent_id = ${cid} AND period_kind = 'month' AND inserted
    ), vm AS (
      INSERT INTO visit_village_months AS t (org_id, month, visits, in_person, evening, phone, wechat, video, households_visited, businesses_visited)
      SELECT ${v.orgId}, ${v.monthStart}::date, 1, ${ch('in_person')}, ${ch('evening')}, ${ch('phone')}, ${ch('wechat')}, ${ch('video')},
             ${hh ? sql`f.n` : sql`0`}, ${bz ? sql`f.n` : sql`0`}
      FROM ins, first_in_month f
      ON CONFLICT (org_id, month) DO UPDATE SET
        visits = t.visits + 1, in_person = t.in_person + excluded.in_person, evening = t.evening + excluded.evening,
        phone = t.phone + excluded.phone, wechat = t.wechat + excluded.wechat, video = t.video + excluded.video,
        households_visited = t.households_visited + excluded.households_visited,
        businesses_visited = t.businesses_visited + excluded.businesses_visited, updated_at = now()
      RETURNING 1
    ), mm AS (
      INSERT INTO visit_member_months AS t (person_id, month, visits, constituents_visited)
      SELECT ${v.personId}, ${v.monthStart}::date, 1,
             -- The statement's snapshot does not see the row ins wrote: any visit found is an earlier one this month.
             -- Through the constituent's (household_id | business_id, visited_at) index: a constituent has few visits, a member many.
             CASE WHEN EXISTS (SELECT 1 FROM visits o WHERE ${hh ? sql`o.household_id = ${hh}` : sql`o.business_id = ${bz}`} AND o.person_id = ${v.personId}
                                 AND o.visited_at >= ${v.monthFrom.toISOString()}::timestamptz AND o.visited_at < ${v.monthTo.toISOString()}::timestamptz) THEN 0 ELSE 1 END
      FROM ins
      ON CONFLICT (person_id, month) DO UPDATE SET visits = t.visits + 1,
        constituents_visited = t.constituents_visited + excluded.constituents_visited, updated_at = now()
      RETURNING 1
    ), au AS (
      INSERT INTO audit_events (action, entity_type, entity_id, before, after, actor_account_id, actor_username, ip, request_id)
      SELECT ${v.audit.action}, 'visit', ins.id::text, NULL, ${JSON.stringify(v.audit.after)}::jsonb, ${v.audit.actorId}, ${v.audit.actorUsername},
             ${v.audit.ip}, ${v.audit.requestId}
      FROM ins RETURNING 1
    ), ch AS (
      INSERT INTO visit_changes (visit_id, change) SELECT ins.id, ${JSON.stringify(v.change)}::jsonb FROM ins RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM ins) AS inserted, (SELECT created_at FROM ins) AS created_at,
           (SELECT json_agg(ri ORDER BY ri.seq) FROM ri) AS items,
           (SELECT count(*) FROM vr) + (SELECT count(*) FROM vm) + (SELECT count(*) FROM mm) + (SELECT count(*) FROM au)
             + (SELECT count(*) FROM ch) AS written`);
  return rows[0] as unknown as Inserted;
}

export interface VisitRow {
  id: string; person_id: string; person_name: string; person_org_path: string; household_id: string | null; business_id: string | null;
  constituent_name: string; org_id: string; org_code: string; org_path: string; link_id: string | null; basis: 'link' | 'helper';
  visited_at: Date; visited_on: string; channel: string; notes: string; proxy: boolean; entered_by: string; entered_by_name: string;
  created_at: Date; updated_at: Date;
  residents: { id: string; name: string }[];
  items: { id: string; seq: number; category: string; category_name: string; description: string; urgency: string; status: string; created_at: string }[];
  photos: { id: string; seq: number; width: number; height: number }[];
}

const VISIT_SELECT = sql`
  SELECT v.id, v.person_id, p.name AS person_name, po.path AS person_org_path, v.household_id, v.business_id,
         coalesce(h.head_name || '（' || h.address || '）', b.name) AS constituent_name,
         v.org_id, o.code AS org_code, o.path AS org_path, v.link_id, v.basis, v.visited_at, v.visited_on::text AS visited_on, v.channel,
         v.notes, v.proxy, v.entered_by, a.display_name AS entered_by_name, v.created_at, v.updated_at,
         coalesce((SELECT json_agg(json_build_object('id', r.id, 'name', r.name) ORDER BY r.name)
                   FROM visit_residents vr JOIN residents r ON r.id = vr.resident_id WHERE vr.visit_id = v.id), '[]') AS residents,
         coalesce((SELECT json_agg(json_build_object('id', i.id, 'seq', i.seq, 'category', i.category, 'category_name', c.name,
                                                     'description', i.description, 'urgency', i.urgency, 'status', i.status, 'created_at', i.created_at) ORDER BY i.seq)
                   FROM raised_items i JOIN item_categories c ON c.code = i.category WHERE i.visit_id = v.id), '[]') AS items,
         coalesce((SELECT json_agg(json_build_object('id', ph.id, 'seq', ph.seq, 'width', ph.width, 'height', ph.height) ORDER BY ph.seq)
                   FROM visit_photos ph WHERE ph.visit_id = v.id), '[]') AS photos
  FROM visits v
  JOIN people p ON p.id = v.person_id JOIN orgs po ON po.id = p.org_id
  JOIN orgs o ON o.id = v.org_id
  JOIN accounts a ON a.id = v.entered_by
  LEFT JOIN households h ON h.id = v.household_id
  LEFT JOIN businesses b ON b.id = v.business_id`;

export async function visitById(db: Db, id: string, lock = false): Promise<VisitRow | null> {
  const { rows } = await db.execute<VisitRow & Record<string, unknown>>(sql`${VISIT_SELECT} WHERE v.id = ${id} ${lock ? sql`FOR UPDATE OF v` : sql``}`);
  return (rows[0] as VisitRow | undefined) ?? null;
}

export interface ListFilter {
  householdId?: string; businessId?: string; personId?: string; from?: string; to?: string;
  after?: { visitedAt: string; id: string }; limit: number;
}

/** Newest first, keyset on (visited_at, id): the household, business and person indexes all lead with visited_at. */
export async function listVisits(db: Db, f: ListFilter): Promise<VisitRow[]> {
  const where: SQL[] = [];
  if (f.householdId) where.push(sql`v.household_id = ${f.householdId}`);
  if (f.businessId) where.push(sql`v.business_id = ${f.businessId}`);
  if (f.personId) where.push(sql`v.person_id = ${f.personId}`);
  if (f.from) where.push(sql`v.visited_on >= ${f.from}::date`);
  if (f.to) where.push(sql`v.visited_on <= ${f.to}::date`);
  if (f.after) where.push(sql`(v.visited_at, v.id) < (${f.after.visitedAt}::timestamptz, ${f.after.id}::uuid)`);
  const { rows } = await db.execute<VisitRow & Record<string, unknown>>(sql`
    ${VISIT_SELECT} WHERE ${sql.join(where, sql` AND `)} ORDER BY v.visited_at DESC, v.id DESC LIMIT ${f.limit}`);
  return rows as unknown as VisitRow[];
}

/** Whether the person holds (or held) any link to the constituent: a member reads the history of the households they keep. */
export async function personLinkedTo(db: Db, personId: string, c: ConstituentRef, activeOnly: boolean): Promise<boolean> {
  const col = 'householdId' in c ? sql`household_id` : sql`business_id`;
  const { rows } = await db.execute(sql`
    SELECT 1 FROM links WHERE person_id = ${personId} AND ${col} = ${cidOf(c)} ${activeOnly ? sql`AND ends_on IS NULL` : sql``} LIMIT 1`);
  return rows.length > 0;
}

export async function constituentPath(db: Db, c: ConstituentRef): Promise<string | null> {
  const q = 'householdId' in c
    ? sql`SELECT o.path FROM households x JOIN orgs o ON o.id = x.org_id WHERE x.id = ${c.householdId}`
    : sql`SELECT o.path FROM businesses x JOIN orgs o ON o.id = x.org_id WHERE x.id = ${c.businessId}`;
  const { rows } = await db.execute<{ path: string }>(q);
  return rows[0]?.path ?? null;
}

export async function personPath(db: Db, personId: string): Promise<string | null> {
  const { rows } = await db.execute<{ path: string }>(sql`SELECT o.path FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = ${personId}`);
  return rows[0]?.path ?? null;
}

// ---- corrections ----

export async function updateVisit(db: Db, id: string, s: {
  visitedAt: Date; day: string; channel: string; notes: string; linkId: string | null; basis: 'link' | 'helper'; updatedBy: string;
}): Promise<void> {
  await db.execute(sql`
    UPDATE visits SET visited_at = ${s.visitedAt.toISOString()}, visited_on = ${s.day}, channel = ${s.channel}, notes = ${s.notes},
           link_id = ${s.linkId}, basis = ${s.basis}, updated_at = now(), updated_by = ${s.updatedBy}
    WHERE id = ${id}`);
}

export async function replaceResidents(db: Db, id: string, residentIds: string[]): Promise<void> {
  // Two statements: a data-modifying CTE's DELETE is not visible to the INSERT of the same statement, so keeping a
  // resident who took part already would collide with their own old row (a 500 on every such correction).
  await db.execute(sql`DELETE FROM visit_residents WHERE visit_id = ${id} AND NOT (resident_id = ANY(${uuidArray(residentIds)}))`);
  await db.execute(sql`
    INSERT INTO visit_residents (visit_id, resident_id) SELECT ${id}, r FROM unnest(${uuidArray(residentIds)}) r
    ON CONFLICT DO NOTHING`);
}

export async function replaceItems(db: Db, id: string, c: { householdId: string | null; businessId: string | null; orgId: string },
  items: { category: string; description: string; urgency: string }[]): Promise<void> {
  await db.execute(sql`DELETE FROM raised_items WHERE visit_id = ${id}`);
  await db.execute(sql`
    INSERT INTO raised_items (visit_id, seq, household_id, business_id, org_id, category, description, urgency)
    SELECT ${id}, i.ord, ${c.householdId}::uuid, ${c.businessId}::uuid, ${c.orgId}, i.category, i.description, i.urgency
    FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS (category text, description text, urgency text)) WITH ORDINALITY AS i(category, description, urgency, ord)`);
}

export interface RollupKeys {
  constituentIds: string[];
  periods: { kind: 'week' | 'month'; start: string; end: string }[];
  villageMonths: { orgId: string; month: string }[];
  memberMonths: { personId: string; month: string }[];
}

/**
 * Recomputes the rollup rows a correction touches (the old and the new day), from the visits themselves: corrections
 * are rare, so exactness beats increments here. Away residents count only through a remote channel.
 */
export async function recomputeRollups(db: Db, k: RollupKeys): Promise<void> {
  const periods = sql.join(k.periods.map((p) => sql`(${p.kind}, ${p.start}::date, ${p.end}::date)`), sql`, `);
  const ids = uuidArray(k.constituentIds);
  await db.execute(sql`
    DELETE FROM visit_constituent_periods WHERE constituent_id = ANY(${ids})
      AND (period_kind, period_start) IN (SELECT kind, start FROM (VALUES ${periods}) p(kind, start, end_))`);
  await db.execute(sql`
    INSERT INTO visit_constituent_periods (constituent_id, period_kind, period_start, visits, last_visited_at)
    SELECT c.cid, p.kind, p.start, count(*), max(c.visited_at)
    FROM (VALUES ${periods}) p(kind, start, end_)
    JOIN LATERAL (
      SELECT coalesce(v.household_id, v.business_id) AS cid, v.visited_at FROM visits v
      WHERE (v.household_id = ANY(${ids}) OR v.business_id = ANY(${ids})) AND v.visited_on >= p.start AND v.visited_on < p.end_
      UNION ALL
      SELECT vr.resident_id, v.visited_at FROM visit_residents vr JOIN visits v ON v.id = vr.visit_id JOIN residents r ON r.id = vr.resident_id
      WHERE vr.resident_id = ANY(${ids}) AND r.away_scope IS NOT NULL AND v.channel IN ('phone', 'wechat', 'video')
        AND v.visited_on >= p.start AND v.visited_on < p.end_
    ) c ON true
    GROUP BY c.cid, p.kind, p.start`);
  const vms = sql.join(k.villageMonths.map((m) => sql`(${m.orgId}::uuid, ${m.month}::date)`), sql`, `);
  await db.execute(sql`
    INSERT INTO visit_village_months AS t (org_id, month, visits, in_person, evening, phone, wechat, video, households_visited, businesses_visited)
    SELECT k.org_id, k.month, count(v.id), count(*) FILTER (WHERE v.channel = 'in_person'), count(*) FILTER (WHERE v.channel = 'evening'),
           count(*) FILTER (WHERE v.channel = 'phone'), count(*) FILTER (WHERE v.channel = 'wechat'), count(*) FILTER (WHERE v.channel = 'video'),
           count(DISTINCT v.household_id), count(DISTINCT v.business_id)
    FROM (VALUES ${vms}) k(org_id, month)
    LEFT JOIN visits v ON v.org_id = k.org_id AND v.visited_on >= k.month AND v.visited_on < (k.month + interval '1 month')::date
    GROUP BY k.org_id, k.month
    ON CONFLICT (org_id, month) DO UPDATE SET visits = excluded.visits, in_person = excluded.in_person, evening = excluded.evening,
      phone = excluded.phone, wechat = excluded.wechat, video = excluded.video, households_visited = excluded.households_visited,
      businesses_visited = excluded.businesses_visited, updated_at = now()`);
  const mms = sql.join(k.memberMonths.map((m) => sql`(${m.personId}::uuid, ${m.month}::date)`), sql`, `);
  await db.execute(sql`
    INSERT INTO visit_member_months AS t (person_id, month, visits, constituents_visited)
    SELECT k.person_id, k.month, count(v.id), count(DISTINCT coalesce(v.household_id, v.business_id))
    FROM (VALUES ${mms}) k(person_id, month)
    LEFT JOIN visits v ON v.person_id = k.person_id AND v.visited_on >= k.month AND v.visited_on < (k.month + interval '1 month')::date
    GROUP BY k.person_id, k.month
    ON CONFLICT (person_id, month) DO UPDATE SET visits = excluded.visits, constituents_visited = excluded.constituents_visited, updated_at = now()`);
}

/** Resident ids (of the list) that are away from home: the ones a remote visit "reaches". */
export async function awayAmong(db: Db, residentIds: string[]): Promise<string[]> {
  if (!residentIds.length) return [];
  const { rows } = await db.execute<{ id: string }>(sql`SELECT id FROM residents WHERE id = ANY(${uuidArray(residentIds)}) AND away_scope IS NOT NULL`);
  return rows.map((r) => r.id);
}

export async function insertAudit(db: Db, a: NewVisit['audit'] & { action: string; entityId: string; before: unknown }): Promise<void> {
  await db.execute(sql`
    INSERT INTO audit_events (action, entity_type, entity_id, before, after, actor_account_id, actor_username, ip, request_id)
    VALUES (${a.action}, 'visit', ${a.entityId}, ${JSON.stringify(a.before)}::jsonb, ${JSON.stringify(a.after)}::jsonb, ${a.actorId}, ${a.actorUsername}, ${a.ip}, ${a.requestId})`);
}

// ---- photos ----

export async function photoSeqs(db: Db, visitId: string): Promise<{ id: string; seq: number; width: number; height: number }[]> {
  const { rows } = await db.execute<{ id: string; seq: number; width: number; height: number }>(sql`
    SELECT id, seq, width, height FROM visit_photos WHERE visit_id = ${visitId} ORDER BY seq`);
  return rows;
}

export async function insertPhoto(db: Db, p: { visitId: string; seq: number; mime: string; width: number; height: number; bytes: Buffer }): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(sql`
    INSERT INTO visit_photos (visit_id, seq, mime, width, height, bytes) VALUES (${p.visitId}, ${p.seq}, ${p.mime}, ${p.width}, ${p.height}, ${p.bytes})
    RETURNING id`);
  return rows[0]!.id;
}

/** Removes one photo of a visit: what it was, or null when there is none at that seq. */
export async function deletePhoto(db: Db, visitId: string, seq: number): Promise<{ seq: number; width: number; height: number } | null> {
  const { rows } = await db.execute<{ seq: number; width: number; height: number }>(sql`
    DELETE FROM visit_photos WHERE visit_id = ${visitId} AND seq = ${seq} RETURNING seq, width, height`);
  return rows[0] ?? null;
}

export async function photoBytes(db: Db, visitId: string, seq: number): Promise<{ mime: string; bytes: Buffer } | null> {
  const { rows } = await db.execute<{ mime: string; bytes: Buffer }>(sql`
    SELECT mime, bytes FROM visit_photos WHERE visit_id = ${visitId} AND seq = ${seq} ORDER BY created_at LIMIT 1`);
  return rows[0] ?? null;
}

// ---- raised items, categories ----

export interface ItemRow {
  id: string; visit_id: string; category: string; category_name: string; description: string; urgency: string; status: string;
  created_at: Date; household_id: string | null; business_id: string | null; visited_on: string; person_name: string;
}

export async function listItems(db: Db, f: { householdId?: string; businessId?: string; personId?: string; status?: string }): Promise<ItemRow[]> {
  const where: SQL[] = [];
  if (f.householdId) where.push(sql`i.household_id = ${f.householdId}`);
  if (f.businessId) where.push(sql`i.business_id = ${f.businessId}`);
  if (f.personId) where.push(sql`v.person_id = ${f.personId}`);
  if (f.status) where.push(sql`i.status = ${f.status}`);
  const { rows } = await db.execute<ItemRow & Record<string, unknown>>(sql`
    SELECT i.id, i.visit_id, i.category, c.name AS category_name, i.description, i.urgency, i.status, i.created_at,
           i.household_id, i.business_id, v.visited_on::text AS visited_on, p.name AS person_name
    FROM raised_items i JOIN visits v ON v.id = i.visit_id JOIN people p ON p.id = v.person_id JOIN item_categories c ON c.code = i.category
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY v.visited_at DESC, i.seq LIMIT 500`);
  return rows as unknown as ItemRow[];
}

export async function listCategories(db: Db): Promise<{ code: string; name: string; active: boolean }[]> {
  const { rows } = await db.execute<{ code: string; name: string; active: boolean }>(sql`
    SELECT code, name, active FROM item_categories ORDER BY active DESC, sort_key, code`);
  return rows;
}

/** Replaces the list: the given order becomes sort_key; a category left out is retired (kept: items point at it). */
export async function putCategories(db: Db, list: { code: string; name: string; active: boolean }[]): Promise<void> {
  await db.execute(sql`LOCK TABLE item_categories IN SHARE ROW EXCLUSIVE MODE`);
  await db.execute(sql`
    WITH given AS (
      SELECT x.code, x.name, x.active, x.ord FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(list)}::jsonb) AS (code text, name text, active boolean))
        WITH ORDINALITY AS x(code, name, active, ord)
    ), up AS (
      INSERT INTO item_categories (code, name, sort_key, active) SELECT code, name, ord * 10, active FROM given
      ON CONFLICT (code) DO UPDATE SET name = excluded.name, sort_key = excluded.sort_key, active = excluded.active
    )
    UPDATE item_categories SET active = false WHERE code NOT IN (SELECT code FROM given)`);
}

// ---- what other modules read (through visits.service) ----

export async function lastVisits(db: Db, ids: string[]): Promise<{ constituent_id: string; visit_id: string; visited_at: Date; channel: string; person_id: string; person_name: string }[]> {
  if (!ids.length) return [];
  const { rows } = await db.execute<{ constituent_id: string; visit_id: string; visited_at: Date; channel: string; person_id: string; person_name: string }>(sql`
    SELECT DISTINCT ON (c.id) c.id AS constituent_id, v.id AS visit_id, v.visited_at, v.channel, v.person_id, p.name AS person_name
    FROM unnest(${uuidArray(ids)}) c(id)
    JOIN LATERAL ((SELECT * FROM visits v WHERE v.household_id = c.id ORDER BY v.visited_at DESC LIMIT 1)
                  UNION ALL
                  (SELECT * FROM visits v WHERE v.business_id = c.id ORDER BY v.visited_at DESC LIMIT 1)) v ON true
    JOIN people p ON p.id = v.person_id
    ORDER BY c.id, v.visited_at DESC`);
  return rows;
}

export async function openItems(db: Db, ids: string[]): Promise<ItemRow[]> {
  if (!ids.length) return [];
  const { rows } = await db.execute<ItemRow & Record<string, unknown>>(sql`
    SELECT i.id, i.visit_id, i.category, c.name AS category_name, i.description, i.urgency, i.status, i.created_at,
           i.household_id, i.business_id, v.visited_on::text AS visited_on, p.name AS person_name
    FROM raised_items i JOIN visits v ON v.id = i.visit_id JOIN people p ON p.id = v.person_id JOIN item_categories c ON c.code = i.category
    WHERE i.status = 'open' AND (i.household_id = ANY(${uuidArray(ids)}) OR i.business_id = ANY(${uuidArray(ids)}))
    ORDER BY v.visited_at DESC, i.seq`);
  return rows as unknown as ItemRow[];
}

export async function lastReached(db: Db, residentIds: string[]): Promise<{ resident_id: string; last_reached_at: Date }[]> {
  if (!residentIds.length) return [];
  const { rows } = await db.execute<{ resident_id: string; last_reached_at: Date }>(sql`
    SELECT constituent_id AS resident_id, max(last_visited_at) AS last_reached_at FROM visit_constituent_periods
    WHERE constituent_id = ANY(${uuidArray(residentIds)}) AND period_kind = 'month' GROUP BY constituent_id`);
  return rows;
}

export async function villageMonthRows(db: Db, orgIds: string[], months: string[]) {
  if (!orgIds.length || !months.length) return [];
  const { rows } = await db.execute<{
    org_id: string; month: string; visits: number; in_person: number; evening: number; phone: number; wechat: number; video: number;
    households_visited: number; businesses_visited: number; updated_at: Date;
  }>(sql`
    SELECT org_id, month::text AS month, visits, in_person, evening, phone, wechat, video, households_visited, businesses_visited, updated_at
    FROM visit_village_months WHERE org_id = ANY(${uuidArray(orgIds)}) AND month = ANY(${`{${months.join(',')}}`}::date[])`);
  return rows;
}

export async function memberMonthRows(db: Db, personIds: string[], months: string[]) {
  if (!personIds.length || !months.length) return [];
  const { rows } = await db.execute<{ person_id: string; month: string; visits: number; constituents_visited: number; updated_at: Date }>(sql`
    SELECT person_id, month::text AS month, visits, constituents_visited, updated_at
    FROM visit_member_months WHERE person_id = ANY(${uuidArray(personIds)}) AND month = ANY(${`{${months.join(',')}}`}::date[])`);
  return rows;
}

// ---- the queue of changes for campaigns and rule completion (visits.service drainVisitChanges) ----

export async function enqueueChange(tx: Db, visitId: string, change: unknown): Promise<void> {
  await tx.execute(sql`INSERT INTO visit_changes (visit_id, change) VALUES (${visitId}, ${JSON.stringify(change)}::jsonb)`);
}

export async function changesPending(db: Db): Promise<boolean> {
  const { rows } = await executePrepared<{ p: boolean }>(db, sql`SELECT EXISTS (SELECT 1 FROM visit_changes) AS p`);
  return rows[0]!.p;
}

export async function oldestQueuedChange(db: Db): Promise<Date | null> {
  const { rows } = await executePrepared<{ at: Date | null }>(db, sql`SELECT min(created_at) AS at FROM visit_changes`);
  return rows[0]!.at ? new Date(rows[0]!.at) : null;
}

// One key for the drain across every server copy (a transaction-level advisory lock: released by commit or rollback).
const DRAIN_LOCK = sql`hashtextextended('lianxin:visit_changes', 0)`;

/**
 * Takes the drain's lock for the transaction, waiting for it — at most `timeoutMs` when given: false then, and the
 * transaction is aborted (the caller rolls it back).
 */
export async function waitDrainLock(tx: Pick<Db, 'execute'>, timeoutMs?: number): Promise<boolean> {
  if (timeoutMs === undefined) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${DRAIN_LOCK})`);
    return true;
  }
  await tx.execute(sql.raw(`SET LOCAL lock_timeout = ${Math.round(timeoutMs)}`));
  try {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${DRAIN_LOCK})`);
    return true;
  } catch (e) {
    const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
    if (code === '55P03') return false; // lock_not_available
    throw e;
  }
}

/** Takes the drain's lock for the transaction if it is free: true when held. */
export async function tryDrainLock(tx: Db): Promise<boolean> {
  const { rows } = await executePrepared<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${DRAIN_LOCK}) AS ok`);
  return rows[0]!.ok;
}

/** Removes and returns up to `limit` of the oldest queued changes, oldest first. */
export async function takeChanges<T>(tx: Db, limit: number): Promise<T[]> {
  const { rows } = await executePrepared<{ seq: string; change: T }>(tx, sql`
    DELETE FROM visit_changes WHERE seq IN (SELECT seq FROM visit_changes ORDER BY seq LIMIT ${limit}) RETURNING seq, change`);
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.change);
}
