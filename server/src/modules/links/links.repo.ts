import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { likePrefix, underAny } from '../../lib/paths.ts';


export type LinkRow = {
  id: string; person_id: string; person_name: string; person_kind: 'member' | 'helper';
  household_id: string | null; business_id: string | null; constituent_name: string;
  constituent_kind: 'household' | 'enterprise' | 'shop' | 'team'; org_code: string; role: 'primary' | 'helper';
  starts_on: string; ends_on: string | null; end_reason: string | null; created_at: string;
};

const selectLink = sql`
  SELECT l.id, l.person_id, p.name AS person_name, p.kind AS person_kind, l.household_id, l.business_id,
         coalesce(h.head_name || '户', b.name) AS constituent_name,
         CASE WHEN l.household_id IS NOT NULL THEN 'household' ELSE b.kind END AS constituent_kind,
         o.code AS org_code, l.role, l.starts_on, l.ends_on, l.end_reason, l.created_at::text
  FROM links l
  JOIN people p ON p.id = l.person_id
  JOIN orgs o ON o.id = l.org_id
  LEFT JOIN households h ON h.id = l.household_id
  LEFT JOIN businesses b ON b.id = l.business_id`;

export async function listLinks(db: Db, where: SQL, history: boolean, after: { at: string; id: string } | null, limit: number): Promise<LinkRow[]> {
  const { rows } = await db.execute<LinkRow>(sql`${selectLink}
    WHERE ${where} ${history ? sql`` : sql`AND l.ends_on IS NULL`}
      ${after ? sql`AND (l.created_at, l.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
    ORDER BY l.created_at, l.id LIMIT ${limit + 1}`);
  return rows;
}

export async function findLink(db: Db, id: string): Promise<(LinkRow & { org_path: string; org_id: string }) | null> {
  const { rows } = await db.execute<LinkRow & { org_path: string; org_id: string }>(sql`
    SELECT x.*, o.path AS org_path, o.id AS org_id FROM (${selectLink} WHERE l.id = ${id}) x JOIN orgs o ON o.code = x.org_code`);
  return rows[0] ?? null;
}

export type PersonRow = { id: string; name: string; kind: 'member' | 'helper'; org_id: string; org_path: string; org_code: string; org_name: string };

export async function findPerson(db: Db, id: string): Promise<PersonRow | null> {
  const { rows } = await db.execute<PersonRow>(sql`
    SELECT p.id, p.name, p.kind, p.org_id, o.path AS org_path, o.code AS org_code, o.short_name AS org_name
    FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = ${id}`);
  return rows[0] ?? null;
}

export type ConstituentRow = { id: string; kind: 'household' | 'enterprise' | 'shop' | 'team'; name: string; org_id: string; org_path: string };

export async function findConstituent(db: Db, ref: { householdId?: string; businessId?: string }): Promise<ConstituentRow | null> {
  const { rows } = ref.householdId
    ? await db.execute<ConstituentRow>(sql`
        SELECT h.id, 'household' AS kind, h.head_name || '户' AS name, h.org_id, o.path AS org_path
        FROM households h JOIN orgs o ON o.id = h.org_id WHERE h.id = ${ref.householdId} AND h.removed_at IS NULL`)
    : await db.execute<ConstituentRow>(sql`
        SELECT b.id, b.kind, b.name, b.org_id, o.path AS org_path
        FROM businesses b JOIN orgs o ON o.id = b.org_id WHERE b.id = ${ref.businessId!} AND b.removed_at IS NULL`);
  return rows[0] ?? null;
}

export async function activePrimary(db: Db, ref: { householdId?: string | null; businessId?: string | null }): Promise<{ id: string; person_id: string } | null> {
  const col = ref.householdId ? sql`household_id = ${ref.householdId}` : sql`business_id = ${ref.businessId!}`;
  const { rows } = await db.execute<{ id: string; person_id: string }>(sql`
    SELECT id, person_id FROM links WHERE ${col} AND role = 'primary' AND ends_on IS NULL FOR UPDATE`);
  return rows[0] ?? null;
}

export async function insertLink(db: Db, v: { personId: string; householdId?: string | null; businessId?: string | null; role: string; orgId: string; startsOn: string; createdBy: string }): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(sql`
    INSERT INTO links (person_id, household_id, business_id, role, org_id, starts_on, created_by)
    VALUES (${v.personId}, ${v.householdId ?? null}, ${v.businessId ?? null}, ${v.role}, ${v.orgId}, ${v.startsOn}, ${v.createdBy})
    RETURNING id`);
  return rows[0]!.id;
}

export async function endLink(db: Db, id: string, on: string, reason: string): Promise<void> {
  await db.execute(sql`UPDATE links SET ends_on = greatest(${on}::date, starts_on), end_reason = ${reason} WHERE id = ${id} AND ends_on IS NULL`);
}

/** The link for 撤销, locked: still active, and whether it was created within the undo window. */
export async function lockForUndo(db: Db, id: string, minutes: number): Promise<{ ends_on: string | null; recent: boolean } | null> {
  const { rows } = await db.execute<{ ends_on: string | null; recent: boolean }>(sql`
    SELECT ends_on, created_at > now() - make_interval(mins => ${minutes}) AS recent FROM links WHERE id = ${id} FOR UPDATE`);
  return rows[0] ?? null;
}

/** A person's active links (primary or helper) counted by kind of constituent; removed constituents have none. */
export async function countActiveByKind(db: Db, personId: string): Promise<Record<'household' | 'enterprise' | 'shop' | 'team', number>> {
  const { rows } = await db.execute<{ kind: 'household' | 'enterprise' | 'shop' | 'team'; n: number }>(sql`
    SELECT CASE WHEN l.household_id IS NOT NULL THEN 'household' ELSE b.kind END AS kind, count(*)::int AS n
    FROM links l
    LEFT JOIN households h ON h.id = l.household_id
    LEFT JOIN businesses b ON b.id = l.business_id
    WHERE l.person_id = ${personId} AND l.ends_on IS NULL AND (h.removed_at IS NULL AND b.removed_at IS NULL)
    GROUP BY 1`);
  const out = { household: 0, enterprise: 0, shop: 0, team: 0 };
  for (const r of rows) out[r.kind] = r.n;
  return out;
}

export type UnlinkedRow = {
  household_id: string | null; business_id: string | null; kind: 'household' | 'enterprise' | 'shop' | 'team';
  name: string; address: string; address_norm: string; org_code: string; org_name: string; org_id: string; org_sort: number; grid_code: string | null; grid_id: string | null;
};

export async function listUnlinked(db: Db, roots: string[], orgPath: string | null, kind: string | undefined,
  after: { sort: number; addressNorm: string; id: string } | null, limit: number): Promise<UnlinkedRow[]> {
  const scope = sql`(${underAny(sql`o.path`, roots)}) ${orgPath ? sql`AND (o.path = ${orgPath} OR o.path LIKE ${likePrefix(orgPath)})` : sql``}`;
  const hh = sql`
    SELECT h.id AS household_id, NULL::uuid AS business_id, 'household' AS kind, h.head_name || '户' AS name, h.address, h.address_norm,
           o.code AS org_code, o.short_name AS org_name, o.id AS org_id, o.sort_key AS org_sort, g.code AS grid_code, h.grid_id
    FROM households h JOIN orgs o ON o.id = h.org_id LEFT JOIN orgs g ON g.id = h.grid_id
    WHERE h.removed_at IS NULL AND ${scope}
      AND NOT EXISTS (SELECT 1 FROM links l WHERE l.household_id = h.id AND l.role = 'primary' AND l.ends_on IS NULL)`;
  const bz = sql`
    -- Named like the households' columns: with kind=enterprise|shop|team this query stands alone, not after a UNION.
    SELECT NULL::uuid AS household_id, b.id AS business_id, b.kind, b.name, b.address, b.address_norm, o.code AS org_code,
           o.short_name AS org_name, o.id AS org_id, o.sort_key AS org_sort, g.code AS grid_code, b.grid_id
    FROM businesses b JOIN orgs o ON o.id = b.org_id LEFT JOIN orgs g ON g.id = b.grid_id
    WHERE b.removed_at IS NULL AND ${scope} ${kind ? sql`AND b.kind = ${kind}` : sql``}
      AND NOT EXISTS (SELECT 1 FROM links l WHERE l.business_id = b.id AND l.role = 'primary' AND l.ends_on IS NULL)`;
  const union = kind === 'household' ? hh : kind ? bz : sql`${hh} UNION ALL ${bz}`;
  const { rows } = await db.execute<UnlinkedRow>(sql`
    SELECT * FROM (${union}) u
    ${after ? sql`WHERE (u.org_sort, u.address_norm, coalesce(u.household_id, u.business_id)) > (${after.sort}, ${after.addressNorm}, ${after.id}::uuid)` : sql``}
    ORDER BY u.org_sort, u.address_norm, coalesce(u.household_id, u.business_id) LIMIT ${limit + 1}`);
  return rows;
}

/** A person's load: their current primary household links (the 5–20 target is households), as an int expression. */
export function loadOfPerson(personId: SQL): SQL {
  return sql`(SELECT count(*) FROM links l WHERE l.person_id = ${personId} AND l.role = 'primary' AND l.ends_on IS NULL AND l.household_id IS NOT NULL)::int`;
}

export type MemberLoadRow = { id: string; name: string; kind: 'member' | 'helper'; org_code: string; org_name: string; org_id: string; load: number; grid_id: string | null };

/** Current members (and helpers; not those who left the roster) with their current primary household load and the grid most of their households are in. */
export async function membersWithLoad(db: Db, roots: string[], orgPath: string | null, q: string | undefined,
  after: { name: string; id: string } | null, limit: number | null): Promise<MemberLoadRow[]> {
  // Letters alone are pinyin initials ("lxy" → 李秀英), as for households; anything else part of the name.
  const byInitials = q !== undefined && /^[a-zA-Z]+$/.test(q);
  const escaped = q?.replace(/[\\%_]/g, (c) => '\\' + c);
  const like = escaped ? (byInitials ? escaped.toLowerCase() + '%' : '%' + escaped + '%') : null;
  const { rows } = await db.execute<MemberLoadRow>(sql`
    SELECT p.id, p.name, p.kind, o.code AS org_code, o.short_name AS org_name, o.id AS org_id,
           ${loadOfPerson(sql`p.id`)} AS load,
           (SELECT h.grid_id FROM links l JOIN households h ON h.id = l.household_id
            WHERE l.person_id = p.id AND l.ends_on IS NULL AND h.grid_id IS NOT NULL
            GROUP BY h.grid_id ORDER BY count(*) DESC, h.grid_id LIMIT 1) AS grid_id
    FROM people p JOIN orgs o ON o.id = p.org_id
    WHERE p.left_on IS NULL AND (${underAny(sql`o.path`, roots)}) ${orgPath ? sql`AND (o.path = ${orgPath} OR o.path LIKE ${likePrefix(orgPath)})` : sql``}
      ${like ? (byInitials ? sql`AND p.name_initials LIKE ${like}` : sql`AND p.name LIKE ${like}`) : sql``}
      ${after ? sql`AND (p.name, p.id) > (${after.name}, ${after.id}::uuid)` : sql``}
    ORDER BY p.name, p.id ${limit ? sql`LIMIT ${limit + 1}` : sql``}`);
  return rows;
}

export async function orgByCode(db: Db, code: string): Promise<{ id: string; path: string; level: string; code: string; name: string } | null> {
  const { rows } = await db.execute<{ id: string; path: string; level: string; code: string; name: string }>(sql`
    SELECT id, path, level, code, short_name AS name FROM orgs WHERE code = ${code} AND valid_to IS NULL`);
  return rows[0] ?? null;
}

/** People written before name_initials existed (filled at boot: pinyin is computed in the app, not the database). */
export async function peopleMissingInitials(db: Db, limit: number): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.execute<{ id: string; name: string }>(sql`
    SELECT id, name FROM people WHERE name_initials IS NULL ORDER BY id LIMIT ${limit}`);
  return rows;
}

export async function setNameInitials(db: Db, rows: { id: string; initials: string }[]): Promise<void> {
  await db.execute(sql`
    UPDATE people p SET name_initials = x.initials
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id uuid, initials text)
    WHERE p.id = x.id`);
}
