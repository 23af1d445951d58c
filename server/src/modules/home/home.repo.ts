import { sql } from 'drizzle-orm';
import type { Role } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { likePrefix } from '../../lib/paths.ts';

export type OrgRef = { id: string; code: string; name: string; level: string; path: string };

export async function orgByCode(db: Db, code: string): Promise<OrgRef | null> {
  const { rows } = await db.execute<OrgRef>(sql`
    SELECT id, code, short_name AS name, level, path FROM orgs WHERE code = ${code} AND valid_to IS NULL`);
  return rows[0] ?? null;
}

/** The current orgs whose path is one of these (the caller's roots, as orgs). */
export async function orgsByPaths(db: Db, paths: string[]): Promise<OrgRef[]> {
  if (!paths.length) return [];
  const { rows } = await db.execute<OrgRef>(sql`
    SELECT id, code, short_name AS name, level, path FROM orgs
    WHERE path = ANY(${sql.param(paths)}::text[]) AND valid_to IS NULL ORDER BY depth, sort_key, code`);
  return rows;
}

/** The territorial children of an org (towns of the zone, villages of a town), in the tree's order. */
export async function territorialChildren(db: Db, parentId: string): Promise<OrgRef[]> {
  const { rows } = await db.execute<OrgRef>(sql`
    SELECT id, code, short_name AS name, level, path FROM orgs
    WHERE parent_id = ${parentId} AND valid_to IS NULL AND level IN ('town', 'village')
    ORDER BY sort_key, code`);
  return rows;
}

/** Current members (not left) under an org, how many have no account at all, and the first of those by name. */
export async function membersWithoutAccounts(db: Db, path: string, names: number): Promise<{ members: number; without: number; names: string[] }> {
  const under = sql`(o.path = ${path} OR o.path LIKE ${likePrefix(path)})`;
  // A join, not NOT EXISTS inside the FILTER: there the planner runs the subquery once per member (a zone's 19k
  // members: 150 ms); joined, the accounts are hashed once (10 ms; bench/golive.ts).
  const { rows } = await db.execute<{ members: number; without: number }>(sql`
    SELECT count(*)::int AS members, count(*) FILTER (WHERE a.person_id IS NULL)::int AS without
    FROM people p JOIN orgs o ON o.id = p.org_id
    LEFT JOIN (SELECT DISTINCT person_id FROM accounts WHERE person_id IS NOT NULL) a ON a.person_id = p.id
    WHERE p.kind = 'member' AND p.left_on IS NULL AND ${under}`);
  const list = await db.execute<{ name: string }>(sql`
    SELECT p.name FROM people p JOIN orgs o ON o.id = p.org_id
    WHERE p.kind = 'member' AND p.left_on IS NULL AND ${under}
      AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
    ORDER BY p.name, p.id LIMIT ${names}`);
  return { members: rows[0]!.members, without: rows[0]!.without, names: list.rows.map((r) => r.name) };
}

/** Members without an account, counted per org path (each path given gets a count). */
export async function withoutAccountsPerPath(db: Db, paths: string[]): Promise<Map<string, number>> {
  const out = new Map(paths.map((p) => [p, 0]));
  if (!paths.length) return out;
  const { rows } = await db.execute<{ path: string; n: number }>(sql`
    SELECT c.path, count(*)::int AS n
    FROM unnest(${sql.param(paths)}::text[]) AS c(path)
    JOIN orgs o ON o.path = c.path OR starts_with(o.path, c.path || '/')
    JOIN people p ON p.org_id = o.id
    WHERE p.kind = 'member' AND p.left_on IS NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
    GROUP BY c.path`);
  for (const r of rows) out.set(r.path, r.n);
  return out;
}

export type DepartmentRow = { code: string; public_phone: string | null };

export async function publicPhones(db: Db, codes: string[]): Promise<Map<string, string | null>> {
  if (!codes.length) return new Map();
  const { rows } = await db.execute<DepartmentRow>(sql`
    SELECT code, public_phone FROM orgs WHERE code = ANY(${sql.param(codes)}::text[])`);
  return new Map(rows.map((r) => [r.code, r.public_phone]));
}

export type AccountsOverviewRow = { total: number; disabled: number; never_logged_in: number; must_change_password: number };

/**
 * Accounts counted for an administrator: every account when `roots` is null (the zone), else those holding a role at
 * an org inside the roots. Counts only.
 */
export async function accountsOverview(db: Db, roots: string[] | null): Promise<{ overview: AccountsOverviewRow; byRole: { role: Role; accounts: number }[] }> {
  const inScope = roots
    ? sql`EXISTS (SELECT 1 FROM account_roles r JOIN orgs o ON o.id = r.org_id WHERE r.account_id = a.id
                  AND (${sql.join(roots.map((p) => sql`(o.path = ${p} OR o.path LIKE ${likePrefix(p)})`), sql` OR `)}))`
    : sql`true`;
  const { rows } = await db.execute<AccountsOverviewRow>(sql`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE a.disabled)::int AS disabled,
           count(*) FILTER (WHERE a.last_login_at IS NULL AND NOT a.disabled)::int AS never_logged_in,
           count(*) FILTER (WHERE a.must_change_password AND NOT a.disabled)::int AS must_change_password
    FROM accounts a WHERE ${inScope}`);
  const byRole = await db.execute<{ role: Role; accounts: number }>(sql`
    SELECT r.role, count(DISTINCT a.id)::int AS accounts
    FROM accounts a JOIN account_roles r ON r.account_id = a.id
    WHERE ${inScope} GROUP BY r.role`);
  return { overview: rows[0]!, byRole: byRole.rows };
}
