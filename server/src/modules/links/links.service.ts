import { LINK_UNDO_MINUTES, type Coverage, type Link, type MyLinkCounts, type SearchMember, type TargetLoadOrg, type TargetLoadPut, type TargetLoadView } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { linkBatch, linkCreate, linkEnd, linkListQuery, linkTransfer, memberListQuery, unlinkedQuery } from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { appendAudit } from '../../plugins/audit.ts';
import type { Grant } from '../auth/scope.ts';
import { coverageRoots, within } from '../auth/scope.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import * as coverageRepo from './coverage.repo.ts';
import { coverageOf, effectiveTargets, recomputeCoverage, type EffectiveTargetRow, type TargetLoad } from './coverage.repo.ts';
import { assertWrite, readRoots, targetLoadRoots } from './links.policy.ts';
import { loadStatus, presentCoverage, presentLink } from './links.presenter.ts';
import * as repo from './links.repo.ts';
import { compareAddresses } from '../../lib/address.ts';
import { initials } from '../../lib/pinyin.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';

export interface Ctx { db: Db; grants: Grant[]; req: FastifyRequest }

async function scopedOrg(ctx: Ctx, code: string | undefined, roots: string[]) {
  if (!code) return null;
  const org = await repo.orgByCode(ctx.db, code);
  if (!org || !within(org.path, roots)) throw errors.notFound();
  return org;
}

export async function list(ctx: Ctx, q: z.infer<typeof linkListQuery>): Promise<{ data: Link[]; nextCursor: string | null }> {
  const roots = readRoots(ctx.grants);
  let where;
  if (q.person) {
    const p = await repo.findPerson(ctx.db, q.person);
    const own = p && p.id === ctx.req.auth!.account.personId;
    if (!p || (!own && !within(p.org_path, roots))) throw errors.notFound();
    where = sql`l.person_id = ${q.person}`;
  } else {
    const c = await repo.findConstituent(ctx.db, { householdId: q.household, businessId: q.business });
    if (!c || !within(c.org_path, roots)) throw errors.notFound();
    where = q.household ? sql`l.household_id = ${q.household}` : sql`l.business_id = ${q.business!}`;
  }
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.timestamp, cursorPart.uuid])) : null;
  const rows = await repo.listLinks(ctx.db, where, q.history === 'true', after ? { at: after[0], id: after[1] } : null, q.limit);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return { data: page.map(presentLink), nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null };
}

/**
 * Recomputes the coverage of these villages (every current org when null) under their effective target loads, in the
 * caller's transaction. The one way other modules (registry, imports, restructuring) and the seed keep coverage true.
 */
export async function refreshCoverage(tx: Pick<Db, 'execute'>, orgIds: string[] | null): Promise<void> {
  await recomputeCoverage(tx, orgIds);
  // Who is due a visit follows the links: the villages touched are handed to the listeners (the rules module recomputes
  // their visit completion) in the same transaction; all villages at once — the seed, a restructure — are left to its
  // hourly job.
  if (orgIds?.length) for (const l of coverageListeners) await l(tx, orgIds);
}

export type CoverageListener = (tx: Pick<Db, 'execute'>, villageIds: string[]) => Promise<void>;
const coverageListeners = new Set<CoverageListener>();
/**
 * Registers a listener for link and registry changes of some villages, called inside their transaction (the rules
 * module registers in its routes plugin: links never imports it, so there is no cycle). Returns the way to remove it.
 */
export function onCoverageRefresh(listener: CoverageListener): () => void {
  coverageListeners.add(listener);
  return () => coverageListeners.delete(listener);
}

/** Effective target load per org code (village, else town, else zone). */
async function targetsByCode(db: Pick<Db, 'execute'>, codes: string[]): Promise<Map<string, TargetLoad>> {
  return new Map((await effectiveTargets(db, codes)).map((r) => [r.code, { min: r.min, max: r.max }]));
}

/** Link a member to a constituent. An existing primary link is ended (never overwritten) only when asked to. */
export async function create(ctx: Ctx, b: z.infer<typeof linkCreate>): Promise<Link> {
  const person = await repo.findPerson(ctx.db, b.personId);
  const c = await repo.findConstituent(ctx.db, b);
  const roots = readRoots(ctx.grants);
  if (!person || !within(person.org_path, roots)) throw errors.notFound('党员不存在或无权查看');
  if (!c || !within(c.org_path, roots)) throw errors.notFound('联系对象不存在或无权查看');
  assertWrite(ctx.grants, person.org_path, c.org_path);
  const on = b.startsOn ?? todayInShanghai();
  const id = await ctx.db.transaction(async (tx) => {
    if (b.role === 'primary') {
      const existing = await repo.activePrimary(tx, b);
      if (existing) {
        if (existing.person_id === b.personId) throw errors.conflict('该党员已是此联系对象的联户党员');
        if (!b.replaceReason) throw errors.conflict('该联系对象已有联户党员；如需更换请说明原因', { linkId: existing.id });
        await repo.endLink(tx, existing.id, on, b.replaceReason);
        await appendAudit(tx, ctx.req, { action: 'link.end', entityType: 'link', entityId: existing.id, after: { on, reason: b.replaceReason } });
      }
    }
    const lid = await repo.insertLink(tx, { ...b, role: b.role, orgId: c.org_id, startsOn: on, createdBy: ctx.req.auth!.account.id });
    await appendAudit(tx, ctx.req, { action: 'link.create', entityType: 'link', entityId: lid, after: { personId: b.personId, householdId: b.householdId, businessId: b.businessId, role: b.role, startsOn: on } });
    await refreshCoverage(tx, [c.org_id, person.org_id]);
    return lid;
  });
  const row = await repo.findLink(ctx.db, id);
  return presentLink(row!);
}

export async function end(ctx: Ctx, id: string, b: z.infer<typeof linkEnd>): Promise<Link> {
  const l = await repo.findLink(ctx.db, id);
  if (!l || !within(l.org_path, readRoots(ctx.grants))) throw errors.notFound();
  assertWrite(ctx.grants, l.org_path);
  if (l.ends_on) throw errors.conflict('该联户关系已结束');
  const on = b.on ?? todayInShanghai();
  if (on < l.starts_on) throw errors.validation('结束日期早于开始日期', [{ path: 'on', message: '结束日期早于开始日期' }]);
  await ctx.db.transaction(async (tx) => {
    await repo.endLink(tx, id, on, b.reason);
    await appendAudit(tx, ctx.req, { action: 'link.end', entityType: 'link', entityId: id, after: { on, reason: b.reason } });
    const p = await repo.findPerson(tx, l.person_id);
    await refreshCoverage(tx, [l.org_id, p!.org_id]);
  });
  return presentLink((await repo.findLink(ctx.db, id))!);
}

/**
 * 撤销 of a one-click assignment: the link ends today with `assignment_undone` — never deleted, so the history shows the
 * assignment and its undoing. Only within the caller's write scope, only for a link still active (not ended or
 * superseded by a reassignment) and created within LINK_UNDO_MINUTES; otherwise 409 (a later change goes through
 * 更换/结束 with a real reason). Coverage follows; audited.
 */
export async function undo(ctx: Ctx, id: string): Promise<Link> {
  const l = await repo.findLink(ctx.db, id);
  if (!l || !within(l.org_path, readRoots(ctx.grants))) throw errors.notFound();
  const person = await repo.findPerson(ctx.db, l.person_id);
  if (!person || !within(person.org_path, readRoots(ctx.grants))) throw errors.notFound();
  assertWrite(ctx.grants, l.org_path, person.org_path);
  await ctx.db.transaction(async (tx) => {
    const locked = await repo.lockForUndo(tx, id, LINK_UNDO_MINUTES);
    if (!locked || locked.ends_on) throw errors.conflict('该联户关系已结束或已更换，无法撤销');
    if (!locked.recent) throw errors.conflict(`只能撤销 ${LINK_UNDO_MINUTES} 分钟内的分配；如需调整，请更换联户党员并说明原因`);
    await repo.endLink(tx, id, todayInShanghai(), 'assignment_undone');
    await appendAudit(tx, ctx.req, { action: 'link.undo', entityType: 'link', entityId: id, after: { reason: 'assignment_undone', personId: l.person_id, householdId: l.household_id, businessId: l.business_id } });
    await refreshCoverage(tx, [l.org_id, person.org_id]);
  });
  return presentLink((await repo.findLink(ctx.db, id))!);
}

/** 我联系的: the caller's own active links by kind (a member's home shows them); a caller with no person has none. */
export async function mine(ctx: Ctx): Promise<MyLinkCounts> {
  const personId = ctx.req.auth!.account.personId;
  const c = personId ? await repo.countActiveByKind(ctx.db, personId) : { household: 0, enterprise: 0, shop: 0, team: 0 };
  return { households: c.household, enterprises: c.enterprise, shops: c.shop, teams: c.team, businesses: c.enterprise + c.shop + c.team };
}

/** A member moves, transfers or dies: every active link ends with the reason and starts again with the successor. */
export async function transfer(ctx: Ctx, b: z.infer<typeof linkTransfer>): Promise<number> {
  const roots = readRoots(ctx.grants);
  const from = await repo.findPerson(ctx.db, b.fromPersonId);
  const to = await repo.findPerson(ctx.db, b.toPersonId);
  if (!from || !within(from.org_path, roots) || !to || !within(to.org_path, roots)) throw errors.notFound('党员不存在或无权查看');
  if (from.id === to.id) throw errors.validation('不能移交给本人', [{ path: 'toPersonId', message: '不能移交给本人' }]);
  assertWrite(ctx.grants, from.org_path, to.org_path);
  return ctx.db.transaction((tx) => handOverLinks(tx, ctx.req, from.id, to.id, b.reason, b.on ?? todayInShanghai()));
}

/**
 * Every active link of a person ends on `on` with the reason and, with a successor, starts again with them — in the
 * caller's transaction, audited, coverage refreshed. The one way links follow a person who moves, transfers, dies or
 * leaves the roster (this module's transfer, the roster's transfer and leave). Returns how many links it touched.
 */
export async function handOverLinks(tx: Db, req: FastifyRequest, fromPersonId: string, toPersonId: string | null, reason: string, on: string): Promise<number> {
  const { rows } = await tx.execute<{ id: string; household_id: string | null; business_id: string | null; role: string; org_id: string }>(sql`
    SELECT id, household_id, business_id, role, org_id FROM links WHERE person_id = ${fromPersonId} AND ends_on IS NULL FOR UPDATE`);
  for (const l of rows) {
    await repo.endLink(tx, l.id, on, reason);
    if (toPersonId) await repo.insertLink(tx, { personId: toPersonId, householdId: l.household_id, businessId: l.business_id, role: l.role, orgId: l.org_id, startsOn: on, createdBy: req.auth!.account.id });
  }
  await appendAudit(tx, req, toPersonId
    ? { action: 'link.transfer', entityType: 'person', entityId: fromPersonId, after: { to: toPersonId, reason, on, links: rows.length } }
    : { action: 'link.end_all', entityType: 'person', entityId: fromPersonId, after: { reason, on, links: rows.length } });
  const people = await Promise.all([fromPersonId, toPersonId].filter((p): p is string => !!p).map((p) => repo.findPerson(tx, p)));
  await refreshCoverage(tx, [...rows.map((r) => r.org_id), ...people.map((p) => p!.org_id)]);
  return rows.length;
}

/**
 * The roster's view of loads: the SQL counting a person's current load, the effective target of an org (village,
 * else town, else zone — 目标联户数 settings) or of several, the status.
 */
export const loadOfPerson = repo.loadOfPerson;
export { loadStatus } from './links.presenter.ts';
export async function loadTarget(db: Pick<Db, 'execute'>, orgCode: string): Promise<TargetLoad> {
  const [r] = await effectiveTargets(db, [orgCode]);
  if (!r) throw new Error(`no effective target for ${orgCode}`);
  return { min: r.min, max: r.max };
}
export const loadTargets = targetsByCode;
/**
 * The effective target of each org matching `where` (on `orgs o`) as an SQL derived table (org_id, min, max), for a
 * list that filters by load status in SQL, each person against their own village's target.
 */
export const loadTargetsOfOrgs = coverageRepo.targetsOfOrgs;

/** Accept suggestions (all or some): all-or-nothing; any constituent linked meanwhile makes the whole batch 409. */
export async function batch(ctx: Ctx, b: z.infer<typeof linkBatch>): Promise<number> {
  const roots = readRoots(ctx.grants);
  const on = todayInShanghai();
  const orgIds = new Set<string>();
  return ctx.db.transaction(async (tx) => {
    const conflicts: { index: number; reason: string }[] = [];
    for (const [i, item] of b.links.entries()) {
      if (!!item.householdId === !!item.businessId) throw errors.validation('每条须且只能指定 householdId 或 businessId 之一', [{ path: `links/${i}`, message: 'one constituent' }]);
      const person = await repo.findPerson(tx, item.personId);
      const c = await repo.findConstituent(tx, item);
      if (!person || !within(person.org_path, roots) || !c || !within(c.org_path, roots)) throw errors.notFound(`第 ${i + 1} 条：党员或联系对象不存在或无权查看`);
      assertWrite(ctx.grants, person.org_path, c.org_path);
      if (await repo.activePrimary(tx, item)) { conflicts.push({ index: i, reason: '已有联户党员' }); continue; }
      await repo.insertLink(tx, { ...item, role: 'primary', orgId: c.org_id, startsOn: on, createdBy: ctx.req.auth!.account.id });
      orgIds.add(c.org_id).add(person.org_id);
    }
    if (conflicts.length) throw errors.conflict('部分联系对象已被他人联系，请刷新后重试', conflicts);
    await appendAudit(tx, ctx.req, { action: 'link.batch', entityType: 'link', after: { count: b.links.length, links: b.links } });
    await refreshCoverage(tx, [...orgIds]);
    return b.links.length;
  });
}

export async function coverage(ctx: Ctx, code: string | undefined): Promise<Coverage> {
  const roots = coverageRoots(ctx.grants);
  if (!roots.length) throw errors.forbidden('当前角色无权查看覆盖情况');
  const target = code ?? roots[0]!.split('/').pop()!;
  const org = await scopedOrg(ctx, target, roots);
  const { self, children } = await coverageOf(ctx.db, org!.code);
  const t = await targetsByCode(ctx.db, [self!.code, ...children.map((c) => c.code)]);
  const latest = [self, ...children].map((r) => r?.as_of).filter(Boolean).sort().pop();
  return { ...presentCoverage(self!, t.get(self!.code)!), children: children.map((c) => presentCoverage(c, t.get(c.code)!)), asOf: latest ? new Date(latest).toISOString() : new Date().toISOString() };
}

export async function unlinked(ctx: Ctx, q: z.infer<typeof unlinkedQuery>) {
  const roots = readRoots(ctx.grants);
  if (!roots.length) throw errors.forbidden('当前角色无权查看住户信息');
  const org = await scopedOrg(ctx, q.org, roots);
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.int, cursorPart.text, cursorPart.uuid])) : null;
  const rows = await repo.listUnlinked(ctx.db, roots, org?.path ?? null, q.kind, after ? { sort: after[0], addressNorm: after[1], id: after[2] } : null, q.limit);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map((r) => ({ householdId: r.household_id, businessId: r.business_id, kind: r.kind, name: r.name, address: r.address, orgCode: r.org_code, orgName: r.org_name, gridCode: r.grid_code })),
    nextCursor: more && last ? encodeCursor([last.org_sort, last.address_norm, last.household_id ?? last.business_id]) : null,
  };
}

/**
 * Members and helpers for the header's search, by name or pinyin initials, for the roles that read member lists
 * (links.policy); null for the others.
 */
export async function searchMembers(ctx: Ctx, q: string, limit: number): Promise<{ items: SearchMember[]; more: boolean } | null> {
  const roots = readRoots(ctx.grants);
  if (!roots.length) return null;
  const name = q.normalize('NFKC').trim();
  const rows = await repo.membersWithLoad(ctx.db, roots, null, name, null, limit);
  return {
    items: rows.slice(0, limit).map((r) => ({ id: r.id, name: r.name, kind: r.kind, orgCode: r.org_code, orgName: r.org_name, load: r.load })),
    more: rows.length > limit,
  };
}

export async function members(ctx: Ctx, q: z.infer<typeof memberListQuery>) {
  const roots = readRoots(ctx.grants);
  if (!roots.length) throw errors.forbidden('当前角色无权查看党员名单');
  const org = await scopedOrg(ctx, q.org, roots);
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.text, cursorPart.uuid])) : null;
  const rows = await repo.membersWithLoad(ctx.db, roots, org?.path ?? null, q.q, after ? { name: after[0], id: after[1] } : null, q.limit);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  const t = await targetsByCode(ctx.db, page.map((r) => r.org_code));
  return {
    data: page.map((r) => ({ id: r.id, name: r.name, kind: r.kind, orgCode: r.org_code, orgName: r.org_name, load: r.load, loadStatus: loadStatus(r.load, t.get(r.org_code)!) })),
    nextCursor: more && last ? encodeCursor([last.name, last.id]) : null,
  };
}

/**
 * Proposes a primary member for every unlinked household under `org`: a member of the same village whose households
 * are mostly in the same grid, else any member of the village; always the least-loaded candidate (ties: name, id);
 * nobody is pushed over the target maximum. Deterministic: the same data gives the same proposals. Writes nothing.
 */
export async function suggest(ctx: Ctx, code: string) {
  const roots = readRoots(ctx.grants);
  const org = await scopedOrg(ctx, code, roots);
  assertWrite(ctx.grants, org!.path);
  const households = await repo.listUnlinked(ctx.db, roots, org!.path, 'household', null, 1_000_000);
  const people = (await repo.membersWithLoad(ctx.db, roots, org!.path, undefined, null, null)).filter((p) => p.kind === 'member');
  const byVillage = new Map<string, repo.MemberLoadRow[]>();
  for (const p of people) (byVillage.get(p.org_id) ?? byVillage.set(p.org_id, []).get(p.org_id)!).push(p);
  const load = new Map(people.map((p) => [p.id, p.load]));
  // Each member against their own village's target (an override there may differ from the town's).
  const targets = await targetsByCode(ctx.db, [org!.code, ...people.map((p) => p.org_code)]);
  const t = targets.get(org!.code)!;
  const pick = (cands: repo.MemberLoadRow[]) => cands
    .filter((p) => load.get(p.id)! < targets.get(p.org_code)!.max)
    .sort((a, b) => load.get(a.id)! - load.get(b.id)! || a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id))[0];
  const out = [];
  let unassigned = 0;
  const ordered = [...households].sort((a, b) => a.org_sort - b.org_sort || (a.grid_code ?? '').localeCompare(b.grid_code ?? '') || compareAddresses(a.address_norm, b.address_norm) || a.household_id!.localeCompare(b.household_id!));
  for (const h of ordered) {
    const village = byVillage.get(h.org_id) ?? [];
    const sameGrid = h.grid_id ? pick(village.filter((p) => p.grid_id === h.grid_id)) : undefined;
    const chosen = sameGrid ?? pick(village);
    if (!chosen) { unassigned++; continue; }
    load.set(chosen.id, load.get(chosen.id)! + 1);
    out.push({ personId: chosen.id, personName: chosen.name, householdId: h.household_id, businessId: null, constituentName: h.name, orgCode: h.org_code, gridCode: h.grid_code, reason: sameGrid ? 'same_grid' as const : 'same_village' as const });
  }
  return { suggestions: out, unassigned, target: t };
}

/** Fills people.name_initials for people written before it existed (every writer stores it since); at boot. */
export async function fillNameInitials(db: Db): Promise<number> {
  let n = 0;
  for (;;) {
    const rows = await repo.peopleMissingInitials(db, 1000);
    if (!rows.length) return n;
    await repo.setNameInitials(db, rows.map((r) => ({ id: r.id, initials: initials(r.name) })));
    n += rows.length;
  }
}

const TARGET_LEVELS = new Set(['zone', 'town', 'village']);

function presentTarget(r: EffectiveTargetRow, roots: string[]): TargetLoadOrg {
  return {
    code: r.code, name: r.name, level: r.level as TargetLoadOrg['level'], min: r.min, max: r.max,
    source: { code: r.source_code, name: r.source_name, level: r.source_level as TargetLoadOrg['level'] },
    override: r.own_min === null || r.own_max === null ? null : { min: r.own_min, max: r.own_max, updatedAt: new Date(r.own_updated_at ?? Date.now()).toISOString() },
    editable: within(r.path, roots),
  };
}

/**
 * 目标联户数 of an org (default: the caller's root): its effective value and where it comes from, its children's
 * (towns of the zone, villages of a town), and every override under it. Outside the caller's scope: 404.
 */
export async function targetLoadView(ctx: Ctx, code: string | undefined): Promise<TargetLoadView> {
  const roots = targetLoadRoots(ctx.grants);
  const org = await scopedOrg(ctx, code ?? roots[0]!.split('/').pop()!, roots);
  if (!TARGET_LEVELS.has(org!.level)) throw errors.validation('目标联户数只按示范区、镇（街道）、村（社区）设置');
  const ancestors = org!.path.split('/').filter((_c, i, all) => within(all.slice(0, i + 1).join('/'), roots));
  const children = await coverageRepo.targetChildren(ctx.db, org!.code);
  const overrides = await coverageRepo.overridesUnder(ctx.db, org!.path);
  const rows = new Map((await effectiveTargets(ctx.db, [...ancestors, ...children, ...overrides])).map((r) => [r.code, r]));
  const zone = org!.level === 'zone' ? [org!.code] : [];
  return {
    org: presentTarget(rows.get(org!.code)!, roots),
    ancestors: ancestors.slice(0, -1).map((c) => ({ code: c, name: rows.get(c)?.name ?? c })),
    children: children.map((c) => presentTarget(rows.get(c)!, roots)),
    overrides: [...zone, ...overrides].map((c) => presentTarget(rows.get(c)!, roots)),
  };
}

/**
 * Sets (or clears, `value: null`) an org's own target. The zone's value is set, never cleared (every village needs
 * one). The coverage of every village under the org is recomputed in the same transaction, so the members
 * under/within/over counts follow at once; audited before → after.
 */
export async function setTargetLoad(ctx: Ctx, b: TargetLoadPut): Promise<TargetLoadOrg> {
  const roots = targetLoadRoots(ctx.grants);
  const org = (await scopedOrg(ctx, b.orgCode, roots))!;
  if (!TARGET_LEVELS.has(org.level)) throw errors.validation('目标联户数只按示范区、镇（街道）、村（社区）设置', [{ path: 'orgCode', message: '只能为示范区、镇（街道）、村（社区）设置' }]);
  if (org.level === 'zone' && !b.value) throw errors.validation('示范区的目标联户数是各级的默认值，只能修改，不能清除', [{ path: 'value', message: '不能清除' }]);
  await ctx.db.transaction(async (tx) => {
    const [before] = await effectiveTargets(tx, [org.code]);
    if (org.level === 'zone') await coverageRepo.setZoneTarget(tx, b.value!);
    else await coverageRepo.setOverride(tx, org.id, b.value, ctx.req.auth!.account.id);
    await refreshCoverage(tx, org.level === 'zone' ? null : await coverageRepo.subtreeIds(tx, org.path));
    await appendAudit(tx, ctx.req, {
      action: 'settings.target_load', entityType: 'org', entityId: org.code,
      before: { own: before!.own_min === null ? null : { min: before!.own_min, max: before!.own_max }, effective: { min: before!.min, max: before!.max, source: before!.source_code } },
      after: { own: b.value },
    });
  });
  const [row] = await effectiveTargets(ctx.db, [org.code]);
  return presentTarget(row!, roots);
}
