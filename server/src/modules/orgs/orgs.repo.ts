import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { underAny } from '../../lib/paths.ts';

export type OrgRow = {
  id: string;
  code: string;
  name: string;
  short_name: string;
  level: string;
  admin_kind: string | null;
  party_kind: string | null;
  party_name: string | null;
  parent_code: string | null;
  path: string;
  depth: number;
  sort_key: number;
  synthetic: boolean;
  children: number;
  villages: number;
  members: number;
  households: number;
};


/**
 * Rows with counts. Counts come from org_rollups (finest level) summed over the subtree — at most ~600 rows per org
 * — and never from people/households directly. The subtree test uses the text_pattern_ops operators ~>=~ / ~<~ so
 * the path index serves a range per org ('/' is followed by '0' in byte order).
 */
const selectWithCounts = sql`
  SELECT o.id, o.code, o.name, o.short_name, o.level, o.admin_kind, o.party_kind, o.party_name,
         p.code AS parent_code, o.path, o.depth, o.sort_key, o.synthetic,
         (SELECT count(*) FROM orgs c WHERE c.parent_id = o.id AND c.valid_to IS NULL)::int AS children,
         coalesce(s.villages, 0)::int AS villages, coalesce(s.members, 0)::int AS members,
         coalesce(s.households, 0)::int AS households
  FROM orgs o
  LEFT JOIN orgs p ON p.id = o.parent_id
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE d.level = 'village') AS villages,
           sum(r.members) AS members, sum(r.households) AS households
    FROM orgs d LEFT JOIN org_rollups r ON r.org_id = d.id
    WHERE d.valid_to IS NULL AND (d.id = o.id OR (d.path ~>=~ (o.path || '/') AND d.path ~<~ (o.path || '0')))
  ) s ON true`;

/** `roots` restricts every query to the caller's readable subtrees. */
function inRoots(roots: string[]): SQL {
  return underAny(sql`o.path`, roots);
}

export async function findByCode(db: Db, code: string, roots: string[]): Promise<OrgRow | null> {
  const { rows } = await db.execute<OrgRow>(sql`${selectWithCounts}
    WHERE o.code = ${code} AND o.valid_to IS NULL AND (${inRoots(roots)})`);
  return rows[0] ?? null;
}

export interface Page { limit: number; after: { sortKey: number; code: string } | null }

export async function listChildren(db: Db, parentCode: string, roots: string[], page: Page): Promise<OrgRow[]> {
  const after = page.after ? sql`AND (o.sort_key, o.code) > (${page.after.sortKey}, ${page.after.code})` : sql``;
  const { rows } = await db.execute<OrgRow>(sql`${selectWithCounts}
    WHERE p.code = ${parentCode} AND o.valid_to IS NULL AND (${inRoots(roots)}) ${after}
    ORDER BY o.sort_key, o.code LIMIT ${page.limit + 1}`);
  return rows;
}

export async function listByCodes(db: Db, codes: string[], roots: string[]): Promise<OrgRow[]> {
  if (!codes.length) return [];
  const { rows } = await db.execute<OrgRow>(sql`${selectWithCounts}
    WHERE o.code IN (${sql.join(codes.map((c) => sql`${c}`), sql`, `)}) AND o.valid_to IS NULL AND (${inRoots(roots)})
    ORDER BY o.depth, o.sort_key, o.code`);
  return rows;
}

/**
 * Search by Chinese name (substring), pinyin initials (prefix: "kjz" → 克井镇) or full pinyin (prefix).
 * Ranked: exact short name, then initials, then name substring; shallower orgs first.
 */
export async function search(db: Db, q: string, roots: string[], level: string | undefined, limit: number): Promise<OrgRow[]> {
  const lower = q.toLowerCase().replace(/\s+/g, '');
  const isAscii = /^[a-z0-9]+$/.test(lower);
  const escaped = q.replace(/[\\%_]/g, (c) => '\\' + c);
  const match = isAscii
    ? sql`(o.pinyin_initials LIKE ${lower.replace(/[\\%_]/g, '') + '%'} OR o.pinyin LIKE ${lower + '%'} OR o.code LIKE ${lower + '%'})`
    : sql`(o.name LIKE ${'%' + escaped + '%'} OR o.short_name LIKE ${'%' + escaped + '%'})`;
  const levelFilter = level ? sql`AND o.level = ${level}` : sql``;
  // Search results are few (a name matches a handful of orgs); one page, ordered by relevance.
  const { rows } = await db.execute<OrgRow>(sql`${selectWithCounts}
    WHERE o.valid_to IS NULL AND ${match} AND (${inRoots(roots)}) ${levelFilter}
    ORDER BY (o.short_name = ${q}) DESC, (o.pinyin_initials = ${lower}) DESC, o.depth, o.sort_key, o.code
    LIMIT ${limit}`);
  return rows;
}

/** Names only (breadcrumbs): no counts, so a page of orgs costs one light query for its ancestors. */
export async function namesByCodes(db: Db, codes: string[]): Promise<{ code: string; short_name: string }[]> {
  if (!codes.length) return [];
  const { rows } = await db.execute<{ code: string; short_name: string }>(sql`
    SELECT code, short_name FROM orgs WHERE code IN (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})`);
  return rows;
}
