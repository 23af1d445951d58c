import { z } from 'zod';
import type { Org, OrgList, OrgListQuery } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { isWithin } from '../auth/scope.ts';
import { readableRoots } from './orgs.policy.ts';
import { presentOrg } from './orgs.presenter.ts';
import * as repo from './orgs.repo.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';

/** Breadcrumbs limited to what the caller may read: a town secretary's trail starts at their town, not the zone. */
function ancestorsOf(row: repo.OrgRow, roots: string[], names: Map<string, string>): Org['ancestors'] {
  const codes = row.path.split('/').slice(0, -1);
  const out: Org['ancestors'] = [];
  let acc = '';
  for (const code of codes) {
    acc = acc ? `${acc}/${code}` : code;
    if (roots.some((r) => isWithin(acc, r))) out.push({ code, name: names.get(code) ?? code });
  }
  return out;
}

async function present(db: Db, rows: repo.OrgRow[], grants: Grant[], roots: string[]): Promise<Org[]> {
  const codes = new Set<string>();
  for (const r of rows) for (const c of r.path.split('/').slice(0, -1)) codes.add(c);
  const names = new Map<string, string>();
  if (codes.size) {
    // Only ancestors inside the caller's roots are shown (ancestorsOf filters), so reading all names is safe.
    for (const a of await repo.namesByCodes(db, [...codes])) names.set(a.code, a.short_name);
  }
  return rows.map((r) => presentOrg(r, grants, ancestorsOf(r, roots, names)));
}

export async function getOrg(db: Db, grants: Grant[], code: string): Promise<Org> {
  const roots = readableRoots(grants);
  const row = await repo.findByCode(db, code, roots);
  if (!row) throw errors.notFound();
  return (await present(db, [row], grants, roots))[0]!;
}

export async function listOrgs(db: Db, grants: Grant[], q: OrgListQuery): Promise<OrgList> {
  const roots = readableRoots(grants);
  if (q.q !== undefined) {
    const rows = await repo.search(db, q.q, roots, q.level, q.limit);
    return { data: await present(db, rows, grants, roots), nextCursor: null };
  }
  if (q.parent === undefined) {
    // No parent: the roots of the caller's scope, where their tree starts.
    const rows = await repo.listByCodes(db, roots.map((r) => r.split('/').pop()!), roots);
    return { data: await present(db, rows, grants, roots), nextCursor: null };
  }
  const parent = await repo.findByCode(db, q.parent, roots);
  if (!parent) throw errors.notFound();
  const rows = await repo.listChildren(db, q.parent, roots, { limit: q.limit, after: q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.int, cursorPart.text.max(40)]).transform(([sortKey, code]) => ({ sortKey, code }))) : null });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { data: await present(db, page, grants, roots), nextCursor: more ? encodeCursor([page[page.length - 1]!.sort_key, page[page.length - 1]!.code]) : null };
}

/**
 * Grids (modules/grids) are orgs too: renaming one keeps its earlier name in org_history exactly like any org, so the
 * grids module renames through this restructure rather than its own copy.
 */
export { renameOrg } from './orgs.restructure.ts';
