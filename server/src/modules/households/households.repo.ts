import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { normalizeAddress } from '../../lib/address.ts';
import { likePrefix, underAny } from '../../lib/paths.ts';
import type { Reader } from './households.policy.ts';

export type HouseholdRow = {
  id: string;
  org_id: string;
  org_code: string;
  org_name: string;
  org_path: string;
  org_sort: number;
  grid_code: string | null;
  grid_name: string | null;
  address: string;
  /** The normalized address (lib/address.ts) in collation lx_natural: lists and their cursors order by it. */
  address_norm: string;
  head_name: string;
  tags: string[];
  away: boolean;
  synthetic: boolean;
  resident_count: number;
};

export type ResidentRow = {
  id: string;
  household_id: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  relation: string;
  id_number_enc: string;
  id_number_hash: string;
  phone_enc: string | null;
  away_scope: 'city' | 'province' | 'abroad' | null;
  away_place: string | null;
};


export async function isLinkedNow(db: Db, householdId: string, personId: string): Promise<boolean> {
  const { rows } = await db.execute(sql`SELECT 1 FROM links WHERE household_id = ${householdId} AND person_id = ${personId} AND ends_on IS NULL LIMIT 1`);
  return rows.length > 0;
}

/** Households the reader may see: in their subtrees, or (members) linked to them now. */
function visible(reader: Reader): SQL {
  const linked = reader.personId
    ? sql` OR EXISTS (SELECT 1 FROM links l WHERE l.household_id = h.id AND l.person_id = ${reader.personId} AND l.ends_on IS NULL)`
    : sql``;
  return sql`((${underAny(sql`o.path`, reader.roots)})${linked})`;
}

const selectHousehold = sql`
  SELECT h.id, h.org_id, o.code AS org_code, o.short_name AS org_name, o.path AS org_path, o.sort_key AS org_sort,
         g.code AS grid_code, g.short_name AS grid_name, h.address, h.address_norm, h.head_name, h.tags, h.away, h.synthetic,
         (SELECT count(*) FROM residents r WHERE r.household_id = h.id AND r.left_on IS NULL)::int AS resident_count
  FROM households h
  JOIN orgs o ON o.id = h.org_id
  LEFT JOIN orgs g ON g.id = h.grid_id`;

export interface ListFilter {
  reader: Reader;
  orgPath?: string;
  q?: string;
  tag?: string;
  gridCode?: string;
  away?: boolean;
  unlinked?: boolean;
  memberId?: string;
  after?: { sort: number; addressNorm: string; id: string } | null;
  limit: number;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * What a household search text matches, for the list's 搜索 and the header's search alike: letters are the head's
 * pinyin initials ("ngn" → 聂刚宁); digits and signs the address compared in its normalized form ("1组10号" = "1组 10号"
 * = "一组十号") and, for exactly four digits, a resident's phone tail; any other text also the head's or any living
 * resident's name (names hold no digits: a digits-only text skips the scan of residents' names). Name and tail lookups
 * are uncorrelated IN subqueries, so PostgreSQL reads residents once (hashed), not per household.
 */
export function householdMatch(q: string): SQL {
  const compact = q.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if (/^[a-z]+$/.test(compact)) return sql`h.head_initials LIKE ${likeEscape(compact) + '%'}`;
  const name = '%' + likeEscape(compact) + '%';
  const or: SQL[] = [sql`h.address_norm LIKE ${'%' + likeEscape(normalizeAddress(q)) + '%'}`];
  if (/[^0-9a-z\p{P}\p{S}]/u.test(compact)) {
    or.push(sql`h.head_name LIKE ${name}`,
      sql`h.id IN (SELECT r.household_id FROM residents r WHERE r.name LIKE ${name} AND r.left_on IS NULL)`);
  }
  if (/^[0-9]{4}$/.test(compact)) {
    or.push(sql`h.id IN (SELECT r.household_id FROM residents r WHERE r.phone_tail = ${compact} AND r.left_on IS NULL)`);
  }
  return sql`(${sql.join(or, sql` OR `)})`;
}

export async function listHouseholds(db: Db, f: ListFilter): Promise<HouseholdRow[]> {
  const where: SQL[] = [sql`h.removed_at IS NULL`, visible(f.reader)];
  if (f.orgPath) where.push(sql`(o.path = ${f.orgPath} OR o.path LIKE ${likePrefix(f.orgPath)})`);
  if (f.q) where.push(householdMatch(f.q));
  if (f.tag) where.push(sql`h.tags @> ARRAY[${f.tag}]::text[]`);
  if (f.gridCode) where.push(sql`g.code = ${f.gridCode}`);
  if (f.away !== undefined) where.push(sql`h.away = ${f.away}`);
  const activePrimary = sql`SELECT 1 FROM links l WHERE l.household_id = h.id AND l.role = 'primary' AND l.ends_on IS NULL`;
  if (f.unlinked !== undefined) where.push(f.unlinked ? sql`NOT EXISTS (${activePrimary})` : sql`EXISTS (${activePrimary})`);
  if (f.memberId) where.push(sql`EXISTS (SELECT 1 FROM links l WHERE l.household_id = h.id AND l.person_id = ${f.memberId} AND l.ends_on IS NULL)`);
  if (f.after) where.push(sql`(o.sort_key, h.address_norm, h.id) > (${f.after.sort}, ${f.after.addressNorm}, ${f.after.id}::uuid)`);
  const { rows } = await db.execute<HouseholdRow>(sql`${selectHousehold}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY o.sort_key, h.address_norm, h.id
    LIMIT ${f.limit + 1}`);
  return rows;
}

export async function findHousehold(db: Db, id: string, reader: Reader): Promise<HouseholdRow | null> {
  const { rows } = await db.execute<HouseholdRow>(sql`${selectHousehold}
    WHERE h.id = ${id} AND h.removed_at IS NULL AND ${visible(reader)}`);
  return rows[0] ?? null;
}

const RELATION_ORDER = sql`array_position(ARRAY['户主','配偶','父亲','母亲','子','女','儿媳','女婿','孙子','孙女','兄弟姐妹','其他'], r.relation)`;

export async function residentsOf(db: Db, householdId: string): Promise<ResidentRow[]> {
  const { rows } = await db.execute<ResidentRow>(sql`
    SELECT r.id, r.household_id, r.name, r.sex, r.birth_date, r.relation, r.id_number_enc, r.id_number_hash, r.phone_enc,
           r.away_scope, r.away_place
    FROM residents r WHERE r.household_id = ${householdId} AND r.left_on IS NULL
    ORDER BY ${RELATION_ORDER}, r.birth_date, r.id`);
  return rows;
}

/** The resident with its household's org path, for scope checks. */
export async function findResident(db: Db, id: string): Promise<(ResidentRow & { org_path: string }) | null> {
  const { rows } = await db.execute<ResidentRow & { org_path: string }>(sql`
    SELECT r.id, r.household_id, r.name, r.sex, r.birth_date, r.relation, r.id_number_enc, r.id_number_hash, r.phone_enc,
           r.away_scope, r.away_place, o.path AS org_path
    FROM residents r JOIN households h ON h.id = r.household_id JOIN orgs o ON o.id = h.org_id
    WHERE r.id = ${id} AND r.left_on IS NULL AND h.removed_at IS NULL`);
  return rows[0] ?? null;
}

/** Living registrations holding any of these ID hashes (duplicate detection against the database). */
export async function findByIdHashes(db: Db, hashes: string[], exceptResident?: string): Promise<{ id_number_hash: string; household_id: string }[]> {
  if (!hashes.length) return [];
  const { rows } = await db.execute<{ id_number_hash: string; household_id: string }>(sql`
    SELECT id_number_hash, household_id FROM residents
    WHERE id_number_hash IN (${sql.join(hashes.map((h) => sql`${h}`), sql`, `)}) AND left_on IS NULL
      ${exceptResident ? sql`AND id <> ${exceptResident}` : sql``}`);
  return rows;
}

export async function orgByCode(db: Db, code: string): Promise<{ id: string; path: string; level: string } | null> {
  const { rows } = await db.execute<{ id: string; path: string; level: string }>(sql`
    SELECT id, path, level FROM orgs WHERE code = ${code} AND valid_to IS NULL`);
  return rows[0] ?? null;
}

export type TagRow = { code: string; name: string; aliases: string[]; vulnerable: boolean };

export async function activeTags(db: Pick<Db, 'execute'>): Promise<TagRow[]> {
  const { rows } = await db.execute<TagRow>(sql`
    SELECT code, name, aliases, vulnerable FROM tag_definitions WHERE active ORDER BY sort_key, code`);
  return rows;
}

export type TagAdminRow = TagRow & { active: boolean; households: number };

/** Every tag, retired ones too, with how many households (registered or removed) carry it. */
export async function allTags(db: Pick<Db, 'execute'>, code?: string): Promise<TagAdminRow[]> {
  const { rows } = await db.execute<TagAdminRow>(sql`
    SELECT t.code, t.name, t.aliases, t.vulnerable, t.active,
           (SELECT count(*) FROM households h WHERE h.tags @> ARRAY[t.code])::int AS households
    FROM tag_definitions t ${code === undefined ? sql`` : sql`WHERE t.code = ${code}`} ORDER BY t.active DESC, t.sort_key, t.code`);
  return rows;
}

/** Tag edits are serialized: the uniqueness of words across tags is checked in the app (case and width folded). */
export async function lockTags(tx: Pick<Db, 'execute'>): Promise<void> {
  await tx.execute(sql`LOCK TABLE tag_definitions IN SHARE ROW EXCLUSIVE MODE`);
}

export async function insertTag(tx: Pick<Db, 'execute'>, t: { code: string; name: string; aliases: string[]; vulnerable: boolean }): Promise<void> {
  await tx.execute(sql`
    INSERT INTO tag_definitions (code, name, aliases, vulnerable, sort_key, active)
    VALUES (${t.code}, ${t.name}, ${sql`ARRAY[${sql.join(t.aliases.map((a) => sql`${a}`), sql`, `)}]::text[]`}, ${t.vulnerable},
            (SELECT coalesce(max(sort_key), 0) + 1 FROM tag_definitions), true)`);
}

export async function updateTag(tx: Pick<Db, 'execute'>, code: string, t: { name: string; aliases: string[]; vulnerable: boolean; active: boolean }): Promise<void> {
  await tx.execute(sql`
    UPDATE tag_definitions SET name = ${t.name}, aliases = ${sql`ARRAY[${sql.join(t.aliases.map((a) => sql`${a}`), sql`, `)}]::text[]`},
           vulnerable = ${t.vulnerable}, active = ${t.active}
    WHERE code = ${code}`);
}

export async function deleteTag(tx: Pick<Db, 'execute'>, code: string): Promise<void> {
  await tx.execute(sql`DELETE FROM tag_definitions WHERE code = ${code}`);
}

export async function bumpRollup(db: Db, orgId: string, delta: number): Promise<void> {
  await db.execute(sql`
    INSERT INTO org_rollups (org_id, households, updated_at) VALUES (${orgId}, ${delta}, now())
    ON CONFLICT (org_id) DO UPDATE SET households = org_rollups.households + ${delta}, updated_at = now()`);
}

export async function residentsOfMany(db: Db, householdIds: string[]): Promise<ResidentRow[]> {
  if (!householdIds.length) return [];
  const { rows } = await db.execute<ResidentRow>(sql`
    SELECT r.id, r.household_id, r.name, r.sex, r.birth_date, r.relation, r.id_number_enc, r.id_number_hash, r.phone_enc,
           r.away_scope, r.away_place
    FROM residents r WHERE r.household_id IN (${sql.join(householdIds.map((i) => sql`${i}::uuid`), sql`, `)}) AND r.left_on IS NULL
    ORDER BY r.household_id, ${RELATION_ORDER}, r.birth_date, r.id`);
  return rows;
}

/** Residents with a phone but no tail yet (written before phone_tail existed), a batch at a time by id. */
export async function residentsMissingTail(db: Db, limit: number): Promise<{ id: string; phone_enc: string }[]> {
  const { rows } = await db.execute<{ id: string; phone_enc: string }>(sql`
    SELECT id, phone_enc FROM residents WHERE phone_tail IS NULL AND phone_enc IS NOT NULL ORDER BY id LIMIT ${limit}`);
  return rows;
}

export async function setPhoneTails(db: Db, ids: string[], tails: string[]): Promise<void> {
  await db.execute(sql`
    UPDATE residents r SET phone_tail = x.tail
    FROM unnest(${`{${ids.join(',')}}`}::uuid[], ${`{${tails.map((t) => `"${t}"`).join(',')}}`}::text[]) AS x(id, tail)
    WHERE r.id = x.id AND r.phone_tail IS NULL`);
}

export type HouseholdHit = {
  id: string; head_name: string; address: string; org_code: string; org_name: string;
  match: 'name' | 'initials' | 'resident' | 'address' | 'phone'; resident_name: string | null;
};

/**
 * The header's search over households (householdMatch), best first: the head's exact name, then village order and
 * address as people read it. Says why each matched — for a resident's name, which resident.
 */
export async function searchHouseholds(db: Db, reader: Reader, q: string, limit: number): Promise<HouseholdHit[]> {
  const compact = q.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const name = '%' + likeEscape(compact) + '%';
  const initials = /^[a-z]+$/.test(compact);
  // Why each matched is worked out for the page of results only, after the sort and limit (not for every match).
  const { rows } = await db.execute<HouseholdHit>(sql`
    SELECT h.id, h.head_name, h.address, h.org_code, h.org_name,
           CASE WHEN ${initials} THEN 'initials'
                WHEN h.head_name LIKE ${name} THEN 'name'
                WHEN h.address_norm LIKE ${'%' + likeEscape(normalizeAddress(q)) + '%'} THEN 'address'
                WHEN EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.left_on IS NULL AND r.name LIKE ${name})
                  THEN 'resident'
                ELSE 'phone' END AS match,
           CASE WHEN ${initials} OR h.head_name LIKE ${name} THEN NULL
                ELSE (SELECT r.name FROM residents r WHERE r.household_id = h.id AND r.left_on IS NULL AND r.name LIKE ${name}
                      ORDER BY r.name LIMIT 1) END AS resident_name
    FROM (
      SELECT h.id, h.head_name, h.address, h.address_norm, o.code AS org_code, o.short_name AS org_name, o.sort_key
      FROM households h JOIN orgs o ON o.id = h.org_id
      WHERE h.removed_at IS NULL AND ${visible(reader)} AND ${householdMatch(q)}
      ORDER BY (h.head_name = ${compact}) DESC, o.sort_key, h.address_norm, h.id
      LIMIT ${limit + 1}) h
    ORDER BY (h.head_name = ${compact}) DESC, h.sort_key, h.address_norm, h.id`);
  return rows;
}
