import { z } from 'zod';
import type { Org, OrgList, OrgListQuery, RestructureBody, RestructurePreview } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { abilitiesOf, canUpdateOrg, isWithin } from '../auth/scope.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import * as restructure from './orgs.restructure.ts';
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

/**
 * 组织调整 (office, admin — ability orgs.restructure): what a rename, a move (a village under another town) or a merge
 * (a village into another village of its town) would do, checked exactly as `applyRestructure` checks it. Preview
 * writes nothing; apply runs the restructure service (one transaction, history kept, coverage recomputed, audited).
 */
export async function previewRestructure(db: Db, grants: Grant[], code: string, b: RestructureBody): Promise<RestructurePreview> {
  if (!abilitiesOf(grants).includes('orgs.restructure')) throw errors.forbidden('只有连心办和系统管理员可以调整组织');
  const roots = readableRoots(grants);
  const org = await repo.findByCode(db, code, roots);
  if (!org || !canUpdateOrg(grants, org.path)) throw errors.notFound();
  if (org.level !== 'village' && org.level !== 'town') throw errors.validation('只能调整镇（街道）和村（社区）');
  const on = b.on ?? todayInShanghai();
  const before = { code: org.code, name: org.short_name, path: org.path };
  if (b.kind === 'rename') {
    return { kind: b.kind, on, before, after: { code: org.code, name: b.shortName, path: org.path }, moves: null };
  }
  if (org.level !== 'village') throw errors.validation('只能移动或合并村（社区）');
  const target = await repo.findByCode(db, b.kind === 'move' ? b.parentCode : b.intoCode, roots);
  if (!target || !canUpdateOrg(grants, target.path)) throw errors.notFound(b.kind === 'move' ? '目标镇（街道）不存在' : '目标村（社区）不存在');
  if (b.kind === 'move') {
    if (target.level !== 'town') throw errors.validation('请选择一个镇（街道）作为新的上级', [{ path: 'parentCode', message: '不是镇（街道）' }]);
    if (org.parent_code === target.code) throw errors.conflict('该村（社区）已在这个镇（街道）下');
    return { kind: b.kind, on, before, after: { code: org.code, name: org.short_name, path: `${target.path}/${org.code}` }, moves: null };
  }
  if (target.level !== 'village' || target.parent_code !== org.parent_code) throw errors.validation('只能合并到同一镇（街道）的另一个村（社区）', [{ path: 'intoCode', message: '不是同镇的村（社区）' }]);
  if (target.code === org.code) throw errors.conflict('不能合并到自身');
  return { kind: b.kind, on, before, after: { code: target.code, name: target.short_name, path: target.path }, moves: await restructure.mergeCounts(db, org.id) };
}

export async function applyRestructure(db: Db, req: FastifyRequest, code: string, b: RestructureBody): Promise<RestructurePreview> {
  const preview = await previewRestructure(db, req.auth!.grants, code, b);
  const actor = { id: req.auth!.account.id, username: req.auth!.account.username };
  if (b.kind === 'rename') await restructure.renameOrg(db, actor, code, b.name, b.shortName, preview.on, req);
  else if (b.kind === 'move') await restructure.moveOrg(db, actor, code, b.parentCode, preview.on, req);
  else await restructure.mergeOrgs(db, actor, code, b.intoCode, preview.on, req);
  return preview;
}
