import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Grid, GridCandidate, GridList, gridAssign } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { pinyinKeys } from '../../lib/pinyin.ts';
import { uniqueAs409 } from '../../lib/unique-violation.ts';
import type { Grant } from '../auth/scope.ts';
import { renameOrg } from '../orgs/orgs.service.ts';
import { assertManage, assertRead, canManage } from './grids.policy.ts';
import { presentGrid, unassigned } from './grids.presenter.ts';
import * as repo from './grids.repo.ts';

export interface Ctx { db: Db; grants: Grant[]; req: FastifyRequest }

async function village(ctx: Ctx, code: string): Promise<repo.VillageRow> {
  const v = await repo.villageByCode(ctx.db, code);
  if (!v) throw errors.notFound('村（社区）不存在或无权查看');
  return v;
}

/** A current grid the caller manages (404 when it does not exist or is outside their tree, 403 without the role). */
async function managedGrid(ctx: Ctx, code: string): Promise<repo.GridRef> {
  const g = await repo.gridByCode(ctx.db, code);
  if (!g) throw errors.notFound('网格不存在或已撤销');
  assertManage(ctx.grants, g.village_path);
  return g;
}

async function gridOut(ctx: Ctx, villageId: string, code: string): Promise<Grid> {
  const rows = await repo.gridsOf(ctx.db, villageId, true);
  return presentGrid(rows.find((r) => r.code === code)!, await repo.countsByGrid(ctx.db, villageId));
}

export async function list(ctx: Ctx, villageCode: string, retired: boolean): Promise<GridList> {
  const v = await village(ctx, villageCode);
  assertRead(ctx.grants, v.path);
  const [rows, counts] = await Promise.all([repo.gridsOf(ctx.db, v.id, retired), repo.countsByGrid(ctx.db, v.id)]);
  return {
    data: rows.map((r) => presentGrid(r, counts)),
    village: { code: v.code, name: v.short_name },
    unassigned: unassigned(counts),
    abilities: { manage: canManage(ctx.grants, v.path) },
  };
}

/** Who may lead a grid: the current party members of the village's branch. */
export async function candidates(ctx: Ctx, villageCode: string): Promise<GridCandidate[]> {
  const v = await village(ctx, villageCode);
  assertManage(ctx.grants, v.path);
  return (await repo.branchMembers(ctx.db, v.id)).map((m) => ({ id: m.id, name: m.name, gridCode: m.grid_code }));
}

const duplicateName = (name: string) => errors.conflict(`本村（社区）已有名为「${name}」的网格`);

export async function create(ctx: Ctx, villageCode: string, name: string): Promise<Grid> {
  const v = await village(ctx, villageCode);
  assertManage(ctx.grants, v.path);
  const on = todayInShanghai();
  const code = await uniqueAs409('orgs_code_key', '网格代码冲突，请重试', () => ctx.db.transaction(async (tx) => {
    await repo.lockVillage(tx, v.id);
    if (await repo.sameName(tx, v.id, name, null)) throw duplicateName(name);
    const next = await repo.nextGridNumber(tx, v.code);
    const code = `${v.code}-G${String(next.number).padStart(2, '0')}`;
    const keys = pinyinKeys(name);
    await repo.insertGrid(tx, { code, name, village: v, initials: keys.initials, pinyin: keys.full, sortKey: next.sortKey, on });
    await appendAudit(tx, ctx.req, { action: 'grid.create', entityType: 'org', entityId: code, after: { village: v.code, name, on } });
    return code;
  }));
  return gridOut(ctx, v.id, code);
}

/** Rename through the orgs restructure: the old name stays in org_history, so the tree as of an earlier day shows it. */
export async function rename(ctx: Ctx, code: string, name: string): Promise<Grid> {
  const g = await managedGrid(ctx, code);
  if (name !== g.short_name) {
    if (await repo.sameName(ctx.db, g.village_id, name, g.id)) throw duplicateName(name);
    await renameOrg(ctx.db, ctx.req.auth!.account, code, name, name, todayInShanghai(), ctx.req);
  }
  return gridOut(ctx, g.village_id, code);
}

/** Set (or clear, with null) the 网格长; the previous one's term ends today, so who led the grid when is kept. */
export async function setLeader(ctx: Ctx, code: string, personId: string | null): Promise<Grid> {
  const g = await managedGrid(ctx, code);
  const on = todayInShanghai();
  await ctx.db.transaction(async (tx) => {
    const locked = await repo.gridByCode(tx, code, true);
    if (!locked) throw errors.conflict('网格已撤销');
    const before = await repo.currentLeader(tx, g.id);
    if (before === personId) return;
    let name: string | null = null;
    if (personId) {
      const p = await repo.branchMember(tx, personId, g.village_id);
      if (!p) throw errors.validation('网格长须是本村（社区）党组织的在册党员', [{ path: 'personId', message: '网格长须是本村（社区）党组织的在册党员' }]);
      name = p.name;
    }
    await repo.endLeader(tx, g.id, on);
    if (personId) await repo.startLeader(tx, g.id, personId, on, ctx.req.auth!.account.id);
    await appendAudit(tx, ctx.req, { action: 'grid.leader', entityType: 'org', entityId: code, before: { personId: before }, after: { personId, name, on } });
  });
  return gridOut(ctx, g.village_id, code);
}

/**
 * Merge `code` into `intoCode` (same village): its live households, businesses and people move, its 网格长's term
 * ends, and it ends today with merged_into_id — the row stays, like a merged org.
 */
export async function merge(ctx: Ctx, code: string, intoCode: string): Promise<repo.Counts> {
  const from = await managedGrid(ctx, code);
  const on = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const a = await repo.gridByCode(tx, code, true);
    const b = await repo.gridByCode(tx, intoCode, true);
    if (!a) throw errors.conflict('网格已撤销');
    if (!b || b.village_id !== from.village_id) throw errors.validation('只能合并到本村（社区）现有的另一个网格', [{ path: 'intoCode', message: '只能合并到本村（社区）现有的另一个网格' }]);
    if (a.id === b.id) throw errors.validation('不能合并到自身', [{ path: 'intoCode', message: '不能合并到自身' }]);
    if (a.valid_from > on) throw errors.conflict('生效日期早于该网格当前版本的生效日期');
    const moved = await repo.moveContents(tx, a.village_id, a.id, b.id);
    await repo.endLeader(tx, a.id, on);
    await repo.closeGrid(tx, a.id, on, b.id);
    await appendAudit(tx, ctx.req, { action: 'grid.merge', entityType: 'org', entityId: code, before: { name: a.short_name }, after: { into: intoCode, on, moved } });
    return moved;
  });
}

/**
 * Retire a grid. One that still holds live households, businesses or people is refused (409, with the counts) unless
 * `moveTo` says where they go: another grid of the village, or null for none. Never deleted: it ends today.
 */
export async function retire(ctx: Ctx, code: string, moveTo: string | null | undefined): Promise<repo.Counts> {
  const g = await managedGrid(ctx, code);
  const on = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const a = await repo.gridByCode(tx, code, true);
    if (!a) throw errors.conflict('网格已撤销');
    if (a.valid_from > on) throw errors.conflict('生效日期早于该网格当前版本的生效日期');
    let to: repo.GridRef | null = null;
    if (moveTo) {
      to = await repo.gridByCode(tx, moveTo, true);
      if (!to || to.village_id !== g.village_id || to.id === a.id) {
        throw errors.validation('只能移到本村（社区）现有的另一个网格', [{ path: 'moveTo', message: '只能移到本村（社区）现有的另一个网格' }]);
      }
    }
    const held = (await repo.countsByGrid(tx, a.village_id)).get(a.id);
    if (held && moveTo === undefined) {
      throw errors.conflict('该网格仍有住户、企业商户或人员，请先选择移到哪个网格（或不划入网格）', held);
    }
    const moved = await repo.moveContents(tx, a.village_id, a.id, to?.id ?? null);
    await repo.endLeader(tx, a.id, on);
    await repo.closeGrid(tx, a.id, on, null);
    await appendAudit(tx, ctx.req, { action: 'grid.retire', entityType: 'org', entityId: code, before: { name: a.short_name }, after: { on, moveTo: moveTo ?? null, moved } });
    return moved;
  });
}

const KINDS: { kind: repo.Kind; label: string }[] = [
  { kind: 'households', label: '住户' }, { kind: 'businesses', label: '企业商户' }, { kind: 'people', label: '人员' },
];

/**
 * 划入网格: every listed household, business and person must be live and of this village, else nothing is written
 * (400 naming the ids). One transaction; one audit event with, per kind, who was in which grid before and where they
 * are after.
 */
export async function assign(ctx: Ctx, b: z.infer<typeof gridAssign>): Promise<repo.Counts> {
  const v = await village(ctx, b.villageCode);
  assertManage(ctx.grants, v.path);
  return ctx.db.transaction(async (tx) => {
    let gridId: string | null = null;
    if (b.gridCode !== null) {
      const g = await repo.gridByCode(tx, b.gridCode, true);
      if (!g || g.village_id !== v.id) throw errors.validation('网格不属于该村（社区）或已撤销', [{ path: 'gridCode', message: '网格不属于该村（社区）或已撤销' }]);
      gridId = g.id;
    }
    const before: Record<string, { count: number; byGrid: Record<string, string[]> }> = {};
    const after: Record<string, { count: number; grid: string | null; ids: string[] }> = {};
    const problems: { path: string; message: string; ids: string[] }[] = [];
    const moved: repo.Counts = { households: 0, businesses: 0, people: 0 };
    const found: Partial<Record<repo.Kind, string[]>> = {};
    for (const { kind, label } of KINDS) {
      const ids = [...new Set(b[kind])];
      if (!ids.length) continue;
      const rows = await repo.lockOwned(tx, kind, ids, v.id);
      const have = new Set(rows.map((r) => r.id));
      const missing = ids.filter((id) => !have.has(id));
      if (missing.length) problems.push({ path: kind, message: `${missing.length} 个${label}不属于${v.short_name}、已注销或已离开`, ids: missing });
      const byGrid: Record<string, string[]> = {};
      for (const r of rows) (byGrid[r.grid_code ?? 'none'] ??= []).push(r.id);
      before[kind] = { count: rows.length, byGrid };
      after[kind] = { count: rows.length, grid: b.gridCode, ids: rows.map((r) => r.id) };
      found[kind] = rows.map((r) => r.id);
      moved[kind] = rows.length;
    }
    if (problems.length) throw errors.validation(problems.map((p) => p.message).join('；'), problems);
    for (const { kind } of KINDS) await repo.setGrid(tx, kind, found[kind] ?? [], gridId);
    await appendAudit(tx, ctx.req, { action: 'grid.assign', entityType: 'org', entityId: b.gridCode ?? v.code, before, after });
    return moved;
  });
}
