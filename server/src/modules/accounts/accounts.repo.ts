import { sql, type SQL } from 'drizzle-orm';
import type { AccountStatusFilter, Role } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { likePrefix, underAny } from '../../lib/paths.ts';

export type AccountRow = {
  id: string;
  username: string;
  display_name: string;
  disabled: boolean;
  disabled_reason: string | null;
  must_change_password: boolean;
  last_login_at: Date | null;
  created_at: Date;
  person_id: string | null;
  person_name: string | null;
  person_kind: 'member' | 'helper' | null;
  person_org_code: string | null;
  person_org_name: string | null;
  person_path: string | null;
  roles: { role: Role; code: string; name: string; level: string; path: string }[];
};

const SELECT_ACCOUNT = sql`
  SELECT a.id, a.username, a.display_name, a.disabled, a.disabled_reason, a.must_change_password, a.last_login_at, a.created_at,
         p.id AS person_id, p.name AS person_name, p.kind AS person_kind, po.code AS person_org_code,
         po.short_name AS person_org_name, po.path AS person_path,
         coalesce((SELECT json_agg(json_build_object('role', r.role, 'code', o.code, 'name', o.short_name, 'level', o.level, 'path', o.path)
                                   ORDER BY o.depth, r.role)
                   FROM account_roles r JOIN orgs o ON o.id = r.org_id WHERE r.account_id = a.id), '[]') AS roles
  FROM accounts a LEFT JOIN people p ON p.id = a.person_id LEFT JOIN orgs po ON po.id = p.org_id`;

/** Some role or the person lies in the subtree at `path`. */
function touches(roots: string[]): SQL {
  return sql`(EXISTS (SELECT 1 FROM account_roles r JOIN orgs o ON o.id = r.org_id WHERE r.account_id = a.id AND (${underAny(sql`o.path`, roots)}))
              OR (${underAny(sql`po.path`, roots)}))`;
}

const STATUS: Record<AccountStatusFilter, SQL> = {
  active: sql`NOT a.disabled`,
  disabled: sql`a.disabled`,
  never_logged_in: sql`a.last_login_at IS NULL`,
  must_change: sql`a.must_change_password AND NOT a.disabled`,
};

/**
 * A page of accounts by lower(username), id. `roots` is a coarse prefilter (null: the zone); the service keeps only
 * the rows its policy lets the caller manage, so it may ask again for the next rows.
 */
export async function listAccounts(db: Db, f: {
  roots: string[] | null; orgPath?: string; role?: Role; status?: AccountStatusFilter; q?: string;
  after: { username: string; id: string } | null; limit: number;
}): Promise<AccountRow[]> {
  const where: SQL[] = [sql`true`];
  if (f.roots) where.push(touches(f.roots));
  if (f.orgPath) where.push(touches([f.orgPath]));
  if (f.role) where.push(sql`EXISTS (SELECT 1 FROM account_roles r WHERE r.account_id = a.id AND r.role = ${f.role})`);
  if (f.status) where.push(STATUS[f.status]);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    where.push(sql`(a.username ILIKE ${like} OR a.display_name ILIKE ${like} OR p.name ILIKE ${like})`);
  }
  if (f.after) where.push(sql`(lower(a.username), a.id) > (${f.after.username}, ${f.after.id}::uuid)`);
  const { rows } = await db.execute<AccountRow>(sql`${SELECT_ACCOUNT} WHERE ${sql.join(where, sql` AND `)}
    ORDER BY lower(a.username), a.id LIMIT ${f.limit}`);
  return rows;
}

export async function findAccount(db: Db, id: string): Promise<AccountRow | null> {
  const { rows } = await db.execute<AccountRow>(sql`${SELECT_ACCOUNT} WHERE a.id = ${id}`);
  return rows[0] ?? null;
}

/** Locks the account row for a change (two admins editing one account serialize). */
export async function lockAccount(db: Db, id: string): Promise<void> {
  await db.execute(sql`SELECT 1 FROM accounts WHERE id = ${id} FOR UPDATE`);
}

export async function usernamesTaken(db: Db, names: string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const { rows } = await db.execute<{ u: string }>(sql`
    SELECT lower(username) AS u FROM accounts WHERE lower(username) = ANY(${sql.param(names.map((n) => n.toLowerCase()))}::text[])`);
  return new Set(rows.map((r) => r.u));
}

/** Usernames starting with `prefix` (lower case), for picking the next free pinyin + digits. */
export async function usernamesLike(db: Db, prefix: string): Promise<Set<string>> {
  const { rows } = await db.execute<{ u: string }>(sql`
    SELECT lower(username) AS u FROM accounts WHERE lower(username) LIKE ${prefix.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`);
  return new Set(rows.map((r) => r.u));
}

export type OrgRow = { id: string; code: string; name: string; level: string; path: string; synthetic: boolean };

export async function orgsByCodes(db: Db, codes: string[]): Promise<OrgRow[]> {
  if (!codes.length) return [];
  const { rows } = await db.execute<OrgRow>(sql`
    SELECT id, code, short_name AS name, level, path, synthetic FROM orgs WHERE code = ANY(${sql.param(codes)}::text[]) AND valid_to IS NULL`);
  return rows;
}

/** Orgs at these levels inside the roots (the create dialog's choice of where a role is bound). */
export async function orgsForGrant(db: Db, roots: string[], levels: string[]): Promise<(OrgRow & { root: string })[]> {
  if (!roots.length || !levels.length) return [];
  const { rows } = await db.execute<OrgRow & { root: string }>(sql`
    SELECT id, code, short_name AS name, level, path, synthetic, '' AS root FROM orgs
    WHERE level = ANY(${sql.param(levels)}::text[]) AND valid_to IS NULL AND (${underAny(sql`path`, roots)})
    ORDER BY depth, sort_key LIMIT 2000`);
  return rows;
}

export type PersonRow = {
  id: string; name: string; kind: 'member' | 'helper'; org_id: string; org_code: string; org_name: string; org_path: string; org_level: string;
  phone_enc: string | null; left_on: string | null; synthetic: boolean; has_account: boolean; party_name: string | null;
};

const SELECT_PERSON = sql`
  SELECT p.id, p.name, p.kind, p.org_id, o.code AS org_code, o.short_name AS org_name, o.path AS org_path, p.phone_enc,
         p.left_on::text AS left_on, p.synthetic OR o.synthetic AS synthetic, o.party_name, o.level AS org_level,
         EXISTS (SELECT 1 FROM accounts x WHERE x.person_id = p.id) AS has_account
  FROM people p JOIN orgs o ON o.id = p.org_id`;

export async function findPerson(db: Db, id: string): Promise<PersonRow | null> {
  const { rows } = await db.execute<PersonRow>(sql`${SELECT_PERSON} WHERE p.id = ${id}`);
  return rows[0] ?? null;
}

/** People on the roster inside the roots, by name, pinyin initials or phone tail (the create dialog's picker). */
export async function searchPeople(db: Db, roots: string[], q: string | undefined, limit: number): Promise<PersonRow[]> {
  const where: SQL[] = [sql`p.left_on IS NULL`, sql`(${underAny(sql`o.path`, roots)})`];
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    where.push(sql`(p.name LIKE ${like} OR p.name_initials LIKE ${q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%'} OR p.phone_tail = ${q})`);
  }
  const { rows } = await db.execute<PersonRow>(sql`${SELECT_PERSON} WHERE ${sql.join(where, sql` AND `)}
    ORDER BY o.path, p.name, p.id LIMIT ${limit}`);
  return rows;
}

/** 为本支部（本镇）党员开通账号: members still on the roster under `path` without any account, one branch after another. */
export async function membersWithoutAccount(db: Db, path: string): Promise<PersonRow[]> {
  const { rows } = await db.execute<PersonRow>(sql`${SELECT_PERSON}
    WHERE p.kind = 'member' AND p.left_on IS NULL AND (o.path = ${path} OR o.path LIKE ${likePrefix(path)})
      AND NOT EXISTS (SELECT 1 FROM accounts x WHERE x.person_id = p.id)
    ORDER BY o.path, p.name, p.id`);
  return rows;
}

export async function insertAccount(db: Db, a: {
  username: string; displayName: string; passwordHash: string; personId: string | null; createdBy: string;
}): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(sql`
    INSERT INTO accounts (username, display_name, password_hash, person_id, must_change_password, created_by)
    VALUES (${a.username}, ${a.displayName}, ${a.passwordHash}, ${a.personId}, true, ${a.createdBy})
    RETURNING id`);
  return rows[0]!.id;
}

export async function replaceRoles(db: Db, accountId: string, roles: { role: Role; orgId: string }[]): Promise<void> {
  await db.execute(sql`DELETE FROM account_roles WHERE account_id = ${accountId}`);
  for (const r of roles) {
    await db.execute(sql`INSERT INTO account_roles (account_id, role, org_id) VALUES (${accountId}, ${r.role}, ${r.orgId}) ON CONFLICT DO NOTHING`);
  }
}

export async function updateDisplayName(db: Db, id: string, displayName: string): Promise<void> {
  await db.execute(sql`UPDATE accounts SET display_name = ${displayName}, updated_at = now() WHERE id = ${id}`);
}

export async function setDisabled(db: Db, id: string, disabled: boolean, reason: string | null): Promise<void> {
  await db.execute(disabled
    ? sql`UPDATE accounts SET disabled = true, disabled_at = now(), disabled_reason = ${reason}, updated_at = now() WHERE id = ${id}`
    : sql`UPDATE accounts SET disabled = false, disabled_at = NULL, disabled_reason = NULL, updated_at = now() WHERE id = ${id}`);
}

/** A password set by someone else is one-time: the next login must change it (must_change_password). */
export async function setOneTimePassword(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.execute(sql`UPDATE accounts SET password_hash = ${passwordHash}, must_change_password = true, updated_at = now() WHERE id = ${id}`);
}

/** Unlock: the login throttle counts of the account's name (keyed by lower(name), as auth.repo writes them). */
export async function clearThrottles(db: Db, username: string): Promise<number> {
  const r = await db.execute(sql`DELETE FROM login_throttles WHERE username = lower(${username})`);
  return r.rowCount ?? 0;
}
