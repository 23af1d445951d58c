import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { likePrefix, underAny } from '../../lib/paths.ts';
import { loadOfPerson, loadTargetsOfOrgs } from '../links/links.service.ts';

type Exec = Pick<Db, 'execute'>;

export type PersonRow = {
  id: string; kind: 'member' | 'helper'; helper_kind: string | null; name: string; sex: 'M' | 'F'; birth_year: string | null;
  work_phone: string | null; member_since: string | null; mobile: boolean; dual_registered: boolean; phone_enc: string | null;
  org_id: string; org_code: string; org_name: string; org_path: string; grid_id: string | null; grid_code: string | null;
  grid_name: string | null; load: number; account_status: 'none' | 'active' | 'never_logged_in' | 'disabled';
  left_on: string | null; left_reason: 'died' | 'transferred_out' | 'removed' | null; synthetic: boolean;
  k1: string; k2: string;
};

/**
 * The person's login as the roster shows it, from the accounts table (owned by the auth/accounts modules; read here
 * only): none; disabled when every account of theirs is; active once one has logged in (a session or a recorded
 * login); else never logged in.
 */
const accountStatus = sql`
  CASE WHEN NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) THEN 'none'
       WHEN NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id AND NOT a.disabled) THEN 'disabled'
       WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id AND NOT a.disabled
                    AND (a.last_login_at IS NOT NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.account_id = a.id))) THEN 'active'
       ELSE 'never_logged_in' END`;

const selectPerson = sql`
  SELECT p.id, p.kind, p.helper_kind, p.name, p.name_initials, p.sex, p.birth_year, p.work_phone, p.member_since::text AS member_since,
         p.mobile, p.dual_registered, p.phone_enc, p.org_id, o.code AS org_code, o.short_name AS org_name, o.path AS org_path,
         p.grid_id, g.code AS grid_code, g.short_name AS grid_name, ${loadOfPerson(sql`p.id`)} AS load,
         ${accountStatus} AS account_status, p.left_on::text AS left_on, p.left_reason, p.synthetic
  FROM people p
  JOIN orgs o ON o.id = p.org_id
  LEFT JOIN orgs g ON g.id = p.grid_id`;

/** Sort keys, all text in the C collation so the ORDER BY and the keyset comparison agree on every engine. */
const SORT_KEY: Record<'name' | 'age' | 'memberSince' | 'load', SQL> = {
  name: sql`coalesce(x.name_initials, '')`,
  // Age is sorted by birth year (older = earlier year); the service flips the direction.
  age: sql`coalesce(x.birth_year, '')`,
  memberSince: sql`coalesce(x.member_since, '')`,
  load: sql`lpad(x.load::text, 6, '0')`,
};

export interface ListFilter {
  roots: string[];
  orgPath?: string;
  kind: 'member' | 'helper';
  helperKind?: string;
  q?: string;
  mobile?: boolean;
  dual?: boolean;
  gridCode?: string | 'none';
  account?: string;
  load?: 'under' | 'within' | 'over';
  /** The listed org's effective target: only for a person whose org has none of its own (one no longer current). */
  target: { min: number; max: number };
  left: boolean;
  sort: keyof typeof SORT_KEY;
  /** The direction of the keys (age already flipped to birth year). */
  desc: boolean;
  after: [string, string, string] | null;
  limit: number;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** Search text: letters are pinyin initials ("lxy" → 李秀英), exactly four digits the phone's tail, else part of the name. */
function personMatch(q: string): SQL {
  const compact = q.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if (/^[a-z]+$/.test(compact)) return sql`p.name_initials LIKE ${likeEscape(compact) + '%'}`;
  if (/^[0-9]{4}$/.test(compact)) return sql`p.phone_tail = ${compact}`;
  return sql`p.name LIKE ${'%' + likeEscape(compact) + '%'}`;
}

export async function listPeople(db: Exec, f: ListFilter): Promise<PersonRow[]> {
  const orgWhere: SQL[] = [sql`(${underAny(sql`o.path`, f.roots)})`];
  if (f.orgPath) orgWhere.push(sql`(o.path = ${f.orgPath} OR o.path LIKE ${likePrefix(f.orgPath)})`);
  const where: SQL[] = [...orgWhere, sql`p.kind = ${f.kind}`, f.left ? sql`p.left_on IS NOT NULL` : sql`p.left_on IS NULL`];
  if (f.helperKind) where.push(sql`p.helper_kind = ${f.helperKind}`);
  if (f.q) where.push(personMatch(f.q));
  if (f.mobile !== undefined) where.push(sql`p.mobile = ${f.mobile}`);
  if (f.dual !== undefined) where.push(sql`p.dual_registered = ${f.dual}`);
  if (f.gridCode === 'none') where.push(sql`p.grid_id IS NULL`);
  else if (f.gridCode) where.push(sql`g.code = ${f.gridCode}`);
  const outer: SQL[] = [sql`true`];
  if (f.account) outer.push(sql`y.account_status = ${f.account}`);
  // Each person against their own village's effective target (目标联户数 may be set per town and per village), as the
  // rows show it: the targets of the orgs in the list's scope are computed once and joined by org (grids hold nobody).
  const min = sql`coalesce(tg.min, ${f.target.min})`;
  const max = sql`coalesce(tg.max, ${f.target.max})`;
  if (f.load === 'under') outer.push(sql`y.load < ${min}`);
  if (f.load === 'within') outer.push(sql`y.load BETWEEN ${min} AND ${max}`);
  if (f.load === 'over') outer.push(sql`y.load > ${max}`);
  const withTargets = f.load
    ? sql`WITH tg AS MATERIALIZED ${loadTargetsOfOrgs(sql`o.valid_to IS NULL AND o.level <> 'grid' AND ${sql.join(orgWhere, sql` AND `)}`)}`
    : sql``;
  const targets = f.load ? sql`LEFT JOIN tg ON tg.org_id = y.org_id` : sql``;
  const dir = f.desc ? sql`DESC` : sql`ASC`;
  if (f.after) {
    const cmp = f.desc ? sql`<` : sql`>`;
    outer.push(sql`(y.k1, y.k2, y.id) ${cmp} (${f.after[0]} COLLATE "C", ${f.after[1]} COLLATE "C", ${f.after[2]}::uuid)`);
  }
  const { rows } = await db.execute<PersonRow>(sql`
    ${withTargets}
    SELECT y.* FROM (
      SELECT x.*, (${SORT_KEY[f.sort]}) COLLATE "C" AS k1, (coalesce(x.name_initials, '') || ' ' || x.name) COLLATE "C" AS k2
      FROM (${selectPerson} WHERE ${sql.join(where, sql` AND `)}) x
    ) y ${targets}
    WHERE ${sql.join(outer, sql` AND `)}
    ORDER BY y.k1 ${dir}, y.k2 ${dir}, y.id ${dir}
    LIMIT ${f.limit + 1}`);
  return rows;
}

export async function findPerson(db: Exec, id: string): Promise<PersonRow | null> {
  const { rows } = await db.execute<PersonRow>(sql`${selectPerson} WHERE p.id = ${id}`);
  return rows[0] ?? null;
}

export type OrgRow = { id: string; code: string; path: string; level: string; parent_id: string | null };

export async function orgByCode(db: Exec, code: string): Promise<OrgRow | null> {
  const { rows } = await db.execute<OrgRow>(sql`
    SELECT id, code, path, level, parent_id FROM orgs WHERE code = ${code} AND valid_to IS NULL`);
  return rows[0] ?? null;
}

/** Another current person holding this phone (keyed hash), for a friendly 409. */
export async function phoneHolder(db: Exec, hash: string, except: string | null): Promise<{ id: string } | null> {
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT id FROM people WHERE phone_hash = ${hash} AND left_on IS NULL ${except ? sql`AND id <> ${except}` : sql``} LIMIT 1`);
  return rows[0] ?? null;
}

/** org_rollups.members counts current party members per village (the org page's numbers). */
export async function bumpMembers(db: Exec, orgId: string, delta: number): Promise<void> {
  await db.execute(sql`
    INSERT INTO org_rollups (org_id, members, updated_at) VALUES (${orgId}, ${delta}, now())
    ON CONFLICT (org_id) DO UPDATE SET members = org_rollups.members + ${delta}, updated_at = now()`);
}

export interface PersonValues {
  name?: string; nameInitials?: string; sex?: string; birthYear?: string | null; workPhone?: string | null;
  memberSince?: string | null; helperKind?: string | null; mobile?: boolean; dualRegistered?: boolean; gridId?: string | null;
  phoneEnc?: string | null; phoneHash?: string | null; phoneTail?: string | null;
}

export async function insertPerson(db: Exec, orgId: string, kind: string, v: PersonValues): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(sql`
    INSERT INTO people (org_id, kind, name, name_initials, sex, birth_year, work_phone, member_since, helper_kind, mobile,
                        dual_registered, grid_id, phone_enc, phone_hash, phone_tail)
    VALUES (${orgId}, ${kind}, ${v.name!}, ${v.nameInitials!}, ${v.sex!}, ${v.birthYear ?? null}, ${v.workPhone ?? null},
            ${v.memberSince ?? null}, ${v.helperKind ?? null}, ${v.mobile ?? false}, ${v.dualRegistered ?? false},
            ${v.gridId ?? null}, ${v.phoneEnc ?? null}, ${v.phoneHash ?? null}, ${v.phoneTail ?? null})
    RETURNING id`);
  return rows[0]!.id;
}

const COLUMNS: Record<keyof PersonValues, string> = {
  name: 'name', nameInitials: 'name_initials', sex: 'sex', birthYear: 'birth_year', workPhone: 'work_phone',
  memberSince: 'member_since', helperKind: 'helper_kind', mobile: 'mobile', dualRegistered: 'dual_registered',
  gridId: 'grid_id', phoneEnc: 'phone_enc', phoneHash: 'phone_hash', phoneTail: 'phone_tail',
};

/** Sets the given fields (undefined = unchanged). */
export async function updatePerson(db: Exec, id: string, v: PersonValues): Promise<void> {
  const sets = (Object.keys(COLUMNS) as (keyof PersonValues)[])
    .filter((k) => v[k] !== undefined)
    .map((k) => sql`${sql.identifier(COLUMNS[k])} = ${v[k]}`);
  await db.execute(sql`UPDATE people SET ${sql.join([...sets, sql`updated_at = now()`], sql`, `)} WHERE id = ${id}`);
}

export async function moveToOrg(db: Exec, id: string, orgId: string): Promise<void> {
  await db.execute(sql`UPDATE people SET org_id = ${orgId}, grid_id = NULL, updated_at = now() WHERE id = ${id}`);
}

/** Marks the person as left; false when they had left meanwhile. */
export async function markLeft(db: Exec, id: string, on: string, reason: string): Promise<boolean> {
  const { rows } = await db.execute(sql`
    UPDATE people SET left_on = ${on}::date, left_reason = ${reason}, grid_id = NULL, updated_at = now()
    WHERE id = ${id} AND left_on IS NULL RETURNING id`);
  return rows.length > 0;
}

/** Locks the person's row for a transfer or leave (two secretaries acting at once). */
export async function lockPerson(db: Exec, id: string): Promise<{ left_on: string | null; org_id: string } | null> {
  const { rows } = await db.execute<{ left_on: string | null; org_id: string }>(sql`SELECT left_on::text, org_id FROM people WHERE id = ${id} FOR UPDATE`);
  return rows[0] ?? null;
}

/**
 * A member transferred to another branch keeps their login: their member roles bound to the old branch move with them
 * (a member reads their own branch). Other roles (a secretary's) are staffing decisions, left to account management.
 */
export async function moveMemberRoles(db: Exec, personId: string, fromOrgId: string, toOrgId: string): Promise<string[]> {
  const { rows } = await db.execute<{ account_id: string }>(sql`
    UPDATE account_roles r SET org_id = ${toOrgId}
    WHERE r.role = 'member' AND r.org_id = ${fromOrgId}
      AND r.account_id IN (SELECT a.id FROM accounts a WHERE a.person_id = ${personId})
      AND NOT EXISTS (SELECT 1 FROM account_roles x WHERE x.account_id = r.account_id AND x.role = 'member' AND x.org_id = ${toOrgId})
    RETURNING r.account_id`);
  return rows.map((r) => r.account_id);
}
