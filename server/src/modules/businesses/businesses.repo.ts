import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { normalizeAddress } from '../../lib/address.ts';
import { likePrefix, underAny } from '../../lib/paths.ts';
import type { Reader } from './businesses.policy.ts';

export type BusinessRow = {
  id: string;
  kind: 'enterprise' | 'shop' | 'team';
  org_id: string;
  org_code: string;
  org_name: string;
  org_path: string;
  org_sort: number;
  grid_code: string | null;
  grid_name: string | null;
  parent_id: string | null;
  parent_name: string | null;
  name: string;
  address: string;
  credit_code: string | null;
  contact_name: string | null;
  contact_phone_enc: string | null;
  employees: number | null;
  synthetic: boolean;
  linked_person_id: string | null;
  linked_person_name: string | null;
};


export async function isLinkedNow(db: Db, businessId: string, personId: string): Promise<boolean> {
  const { rows } = await db.execute(sql`SELECT 1 FROM links WHERE business_id = ${businessId} AND person_id = ${personId} AND ends_on IS NULL LIMIT 1`);
  return rows.length > 0;
}

/** Businesses the reader may see: in their subtrees, or (members) linked to them now (primary or helper). */
function visible(reader: Reader): SQL {
  const linked = reader.personId
    ? sql` OR EXISTS (SELECT 1 FROM links ml WHERE ml.business_id = b.id AND ml.person_id = ${reader.personId} AND ml.ends_on IS NULL)`
    : sql``;
  return sql`((${underAny(sql`o.path`, reader.roots)})${linked})`;
}

const selectBusiness = sql`
  SELECT b.id, b.kind, b.org_id, o.code AS org_code, o.short_name AS org_name, o.path AS org_path, o.sort_key AS org_sort,
         g.code AS grid_code, g.short_name AS grid_name, b.parent_id, p.name AS parent_name, b.name, b.address,
         b.credit_code, b.contact_name, b.contact_phone_enc, b.employees, b.synthetic,
         lp.id AS linked_person_id, lp.name AS linked_person_name
  FROM businesses b
  JOIN orgs o ON o.id = b.org_id
  LEFT JOIN orgs g ON g.id = b.grid_id
  LEFT JOIN businesses p ON p.id = b.parent_id
  LEFT JOIN links l ON l.business_id = b.id AND l.role = 'primary' AND l.ends_on IS NULL
  LEFT JOIN people lp ON lp.id = l.person_id`;

export interface ListFilter {
  reader: Reader;
  orgPath?: string;
  kind?: string;
  q?: string;
  unlinked?: boolean;
  after?: { sort: number; name: string; id: string } | null;
  limit: number;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * What a business search text matches, for the list's 搜索 and the header's search alike. Letters only: pinyin
 * initials anywhere in the name ("jx" finds 济源市…机械有限公司), or a credit-code prefix. Otherwise the name, the
 * address in its normalized form ("1组10号" = "1组 10号"), a credit-code prefix, and four digits the contact phone's tail.
 */
export function businessMatch(q: string): SQL {
  const compact = q.normalize('NFKC').replace(/\s+/g, '');
  if (/^[a-zA-Z]+$/.test(compact)) {
    return sql`(b.name_initials LIKE ${'%' + likeEscape(compact.toLowerCase()) + '%'}
      OR b.credit_code LIKE ${likeEscape(compact.toUpperCase()) + '%'})`;
  }
  const code = /^[0-9a-zA-Z]+$/.test(compact) ? sql` OR b.credit_code LIKE ${likeEscape(compact.toUpperCase()) + '%'}` : sql``;
  const tail = /^[0-9]{4}$/.test(compact) ? sql` OR b.contact_phone_tail = ${compact}` : sql``;
  const name = '%' + likeEscape(q.normalize('NFKC').trim()) + '%';
  return sql`(b.name LIKE ${name} OR b.address_norm LIKE ${'%' + likeEscape(normalizeAddress(q)) + '%'}${code}${tail})`;
}

export async function listBusinesses(db: Db, f: ListFilter): Promise<BusinessRow[]> {
  const where: SQL[] = [sql`b.removed_at IS NULL`, visible(f.reader)];
  if (f.orgPath) where.push(sql`(o.path = ${f.orgPath} OR o.path LIKE ${likePrefix(f.orgPath)})`);
  if (f.kind) where.push(sql`b.kind = ${f.kind}`);
  if (f.q) where.push(businessMatch(f.q));
  // links_business_primary_key allows one active primary link per business, so the join above adds no rows.
  if (f.unlinked !== undefined) where.push(f.unlinked ? sql`l.id IS NULL` : sql`l.id IS NOT NULL`);
  if (f.after) where.push(sql`(o.sort_key, b.name, b.id) > (${f.after.sort}, ${f.after.name}, ${f.after.id}::uuid)`);
  const { rows } = await db.execute<BusinessRow>(sql`${selectBusiness}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY o.sort_key, b.name, b.id
    LIMIT ${f.limit + 1}`);
  return rows;
}

export async function findBusiness(db: Db, id: string, reader: Reader): Promise<BusinessRow | null> {
  const { rows } = await db.execute<BusinessRow>(sql`${selectBusiness}
    WHERE b.id = ${id} AND b.removed_at IS NULL AND ${visible(reader)}`);
  return rows[0] ?? null;
}

/** A live enterprise's village, locked FOR SHARE so a concurrent removal cannot orphan a team being attached. */
export async function lockEnterprise(db: Db, id: string): Promise<{ id: string; kind: string; org_id: string } | null> {
  const { rows } = await db.execute<{ id: string; kind: string; org_id: string }>(sql`
    SELECT id, kind, org_id FROM businesses WHERE id = ${id} AND removed_at IS NULL FOR SHARE`);
  return rows[0] ?? null;
}

/** Serializes registrations of the same credit code (no unique index without a migration): a transaction-scoped lock. */
export async function lockCreditCode(db: Db, code: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('lianxin:business-credit'), hashtext(${code}))`);
}

export async function liveByCreditCode(db: Db, code: string, except?: string): Promise<{ id: string; org_path: string } | null> {
  const { rows } = await db.execute<{ id: string; org_path: string }>(sql`
    SELECT b.id, o.path AS org_path FROM businesses b JOIN orgs o ON o.id = b.org_id
    WHERE b.credit_code = ${code} AND b.removed_at IS NULL ${except ? sql`AND b.id <> ${except}` : sql``}
    LIMIT 1`);
  return rows[0] ?? null;
}

export async function liveTeamsOf(db: Db, enterpriseId: string): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.execute<{ id: string; name: string }>(sql`
    SELECT id, name FROM businesses WHERE parent_id = ${enterpriseId} AND removed_at IS NULL ORDER BY name, id`);
  return rows;
}

export async function orgByCode(db: Db, code: string): Promise<{ id: string; path: string; level: string } | null> {
  const { rows } = await db.execute<{ id: string; path: string; level: string }>(sql`
    SELECT id, path, level FROM orgs WHERE code = ${code} AND valid_to IS NULL`);
  return rows[0] ?? null;
}

/** Businesses with a contact phone but no tail yet (written before contact_phone_tail existed). */
export async function businessesMissingTail(db: Db, limit: number): Promise<{ id: string; contact_phone_enc: string }[]> {
  const { rows } = await db.execute<{ id: string; contact_phone_enc: string }>(sql`
    SELECT id, contact_phone_enc FROM businesses WHERE contact_phone_tail IS NULL AND contact_phone_enc IS NOT NULL
    ORDER BY id LIMIT ${limit}`);
  return rows;
}

export async function setContactPhoneTails(db: Db, ids: string[], tails: string[]): Promise<void> {
  await db.execute(sql`
    UPDATE businesses b SET contact_phone_tail = x.tail
    FROM unnest(${`{${ids.join(',')}}`}::uuid[], ${`{${tails.map((t) => `"${t}"`).join(',')}}`}::text[]) AS x(id, tail)
    WHERE b.id = x.id AND b.contact_phone_tail IS NULL`);
}

export type BusinessHit = {
  id: string; kind: 'enterprise' | 'shop' | 'team'; name: string; address: string; org_code: string; org_name: string;
  match: 'name' | 'initials' | 'address' | 'phone' | 'code';
};

/**
 * The header's search over businesses (businessMatch) under `roots`, or — for a member — linked to `personId` now.
 * Best first: the exact name, then village order and name.
 */
export async function searchBusinesses(db: Db, roots: string[], personId: string | null, q: string, limit: number): Promise<BusinessHit[]> {
  const compact = q.normalize('NFKC').replace(/\s+/g, '');
  const letters = /^[a-zA-Z]+$/.test(compact);
  const name = '%' + likeEscape(q.normalize('NFKC').trim()) + '%';
  const linked = personId
    ? sql`EXISTS (SELECT 1 FROM links l WHERE l.business_id = b.id AND l.person_id = ${personId} AND l.ends_on IS NULL)`
    : sql`false`;
  const { rows } = await db.execute<BusinessHit>(sql`
    SELECT b.id, b.kind, b.name, b.address, o.code AS org_code, o.short_name AS org_name,
           CASE WHEN ${letters} AND b.name_initials LIKE ${'%' + likeEscape(compact.toLowerCase()) + '%'} THEN 'initials'
                WHEN b.name LIKE ${name} THEN 'name'
                WHEN b.address_norm LIKE ${'%' + likeEscape(normalizeAddress(q)) + '%'} THEN 'address'
                WHEN b.contact_phone_tail = ${compact} THEN 'phone'
                ELSE 'code' END AS match
    FROM businesses b JOIN orgs o ON o.id = b.org_id
    WHERE b.removed_at IS NULL AND ((${underAny(sql`o.path`, roots)}) OR ${linked})
      AND ${businessMatch(q)}
    ORDER BY (b.name = ${q.trim()}) DESC, o.sort_key, b.name, b.id
    LIMIT ${limit + 1}`);
  return rows;
}
