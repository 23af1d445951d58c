import type { FastifyRequest } from 'fastify';
import {
  VISIT_CORRECTION_HOURS, remoteChannels, visitInput, type ItemCategoriesPut, type ItemCategory, type RaisedItemWithVisit, type Visit,
  type VisitInput, type VisitList, type VisitListQuery, type VisitPatch, type VisitSyncItem,
} from '@lianxin/contracts';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { AppError, errors } from '../../errors.ts';
import { sha256 } from '../../lib/crypto.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { monthStart, nextMonthStart, periodOf, shanghaiDay, startOfShanghaiDay, weekStart } from '../../lib/dates.ts';
import type { AuthContext } from '../../plugins/auth.ts';
import { appendAudit } from '../../plugins/audit.ts';
import * as policy from './visits.policy.ts';
import * as repo from './visits.repo.ts';

/**
 * What other modules learn of a visit: campaigns and rule completion keep their rollups right without the visits module
 * knowing them (they register in their routes plugin; no import cycle). `before` is set for a correction (the visit as
 * it was), null for a new visit.
 *
 * The visit's own statement queues the change (visit_changes) and `drainVisitChanges` hands the queue to the listeners
 * in batches, one drain at a time across all server copies: recording a visit is two round trips instead of the eleven
 * its listeners cost inside its transaction, and a phone's sync no longer waits on campaign and rule rollups. The
 * listeners recount what a change touches from the visits themselves (never add ±1), so a batch's order, a change seen
 * twice, or a visit already counted by a new campaign cannot skew them. Every read of those rollups drains first (it
 * never sees them behind the visits); a timer drains every second otherwise (the lag is measured in the benchmark).
 */
export interface VisitFacts {
  id: string;
  personId: string;
  householdId: string | null;
  businessId: string | null;
  /** The constituent's village at the time of the visit. */
  orgId: string;
  visitedAt: Date;
  /** Asia/Shanghai day of visitedAt. */
  visitedOn: string;
  channel: string;
  residentIds: string[];
}
export interface VisitChange { after: VisitFacts; before: VisitFacts | null }
export type VisitListener = (tx: Db, changes: VisitChange[]) => Promise<void>;

const listeners = new Set<VisitListener>();

/** Registers a listener for recorded and corrected visits, called with each drained batch (returns the way to remove it). */
export function onVisitChange(listener: VisitListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Queues a change for the listeners, inside the transaction that writes the visit (a new visit's own statement does it itself). */
export async function enqueueVisitChange(tx: Db, change: VisitChange): Promise<void> {
  await repo.enqueueChange(tx, change.after.id, change);
}

/**
 * Holds the drain inside `tx` until it ends: a recount of completion (a rule changed, links changed, the hourly job) or
 * of a new campaign's targets must not interleave with a drain recounting the same rows from an older snapshot.
 */
export async function holdVisitChanges(tx: Pick<Db, 'execute'>): Promise<void> {
  await repo.waitDrainLock(tx);
}

const DRAIN_BATCH = 500;

function reviveFacts(f: VisitFacts | null): VisitFacts | null {
  return f && { ...f, visitedAt: new Date(f.visitedAt) };
}

/** Takes up to a batch of queued changes and hands them to the listeners, in `tx` (which holds the drain). */
async function takeIn(tx: Db): Promise<number> {
  const batch = (await repo.takeChanges<VisitChange>(tx, DRAIN_BATCH)).map((c) => ({ after: reviveFacts(c.after)!, before: reviveFacts(c.before) }));
  if (batch.length) for (const l of listeners) await l(tx, batch);
  return batch.length;
}

// How long a reader waits for the drain: a drain takes milliseconds, but a recount (a town's share of the hourly
// recompute, a rule change over a town) can hold it for seconds — the reader then shows the figures as they stand
// (with their 数据截至) rather than hang.
const READER_WAIT_MS = 2000;
class DrainBusy extends Error {}

/**
 * Hands the queued changes to the listeners, a batch per transaction, until the queue is empty. `wait`: a reader waits
 * (up to READER_WAIT_MS) for a drain another request or server copy is running, then sees its result; the timer passes
 * false and leaves it. Returns the number of changes taken in. One cheap round trip when nothing is queued.
 */
export async function drainVisitChanges(db: Db, opts: { wait: boolean } = { wait: true }): Promise<number> {
  let total = 0;
  for (;;) {
    if (!(await repo.changesPending(db))) return total;
    let n: number;
    try {
      n = await db.transaction(async (tx) => {
        if (!(opts.wait ? await repo.waitDrainLock(tx, READER_WAIT_MS) : await repo.tryDrainLock(tx))) throw new DrainBusy();
        return takeIn(tx);
      });
    } catch (e) {
      if (e instanceof DrainBusy) return total;
      throw e;
    }
    total += n;
    if (n < DRAIN_BATCH) return total;
  }
}

/**
 * What a read of campaign progress or rule completion calls first. A drain that fails here (a listener's error) does
 * not fail the page: it shows the figures as they stand, and 数据截至 (`visitChangesAsOf`) says how old they are; the
 * tick and the `visit_changes` job retry the drain and log or record the failure.
 */
export async function drainBeforeReading(db: Db): Promise<void> {
  await drainVisitChanges(db).catch(() => 0);
}

/**
 * Up to when campaign progress and rule completion hold every visit: now, or — when a drain could not run (busy) —
 * when the oldest change still queued was recorded (what a page shows as 数据截至).
 */
export async function visitChangesAsOf(db: Db): Promise<Date> {
  return (await repo.oldestQueuedChange(db)) ?? new Date();
}

/**
 * Holds the drain in `tx` and takes in everything queued, in `tx`: what a campaign being closed must have counted
 * before it freezes (a visit recorded before the close, still queued, is counted; one recorded after is not).
 */
export async function takeInVisitChanges(tx: Db): Promise<void> {
  await repo.waitDrainLock(tx);
  while ((await takeIn(tx)) === DRAIN_BATCH);
}

export interface Ctx { db: Db; auth: AuthContext; req: FastifyRequest | null }

// A phone's clock may run a little ahead of the server's: a visit "in the future" by less than this is taken as now.
const CLOCK_SKEW_MS = 5 * 60_000;
const CORRECTION_MS = VISIT_CORRECTION_HOURS * 3600_000;
const REMOTE: ReadonlySet<string> = new Set(remoteChannels);

type Outcome = { status: 'created' | 'duplicate'; visit: Visit };

/** The content a client id stands for: a retry must send exactly this again (order of residents aside). */
function contentHash(personId: string, v: VisitInput): string {
  return sha256(JSON.stringify([
    personId, v.householdId ?? null, v.businessId ?? null, new Date(v.visitedAt).toISOString(), v.channel,
    [...v.residentIds].sort(), v.notes, v.items.map((i) => [i.category, i.description, i.urgency]),
  ]));
}

function constituentOf(v: { householdId?: string | null; businessId?: string | null }): repo.ConstituentRef {
  if (v.householdId && !v.businessId) return { householdId: v.householdId };
  if (v.businessId && !v.householdId) return { businessId: v.businessId };
  throw errors.validation('须且只能指定 householdId 或 businessId 之一');
}

function checkNotFuture(at: Date): void {
  if (Number.isNaN(at.getTime())) throw errors.validation('走访时间格式不正确');
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw errors.validation('走访时间不能晚于现在');
}

/** Records one visit (POST /visits and each item of a sync): created, or the original when the same id and content come again. */
export async function record(ctx: Ctx, input: VisitInput): Promise<Outcome> {
  const { grants, account } = ctx.auth;
  policy.assertCanRecord(grants);
  const personId = input.personId ?? account.personId;
  if (!personId) throw errors.forbidden('账号未关联党员，不能记录走访');
  const proxy = personId !== account.personId;
  if (proxy && !policy.canProxy(grants)) throw errors.forbidden('只有支部书记可以代录走访');
  const at = new Date(input.visitedAt);
  checkNotFuture(at);
  const constituent = constituentOf(input);
  const day = shanghaiDay(at);
  const hash = contentHash(personId, input);
  const r = await repo.resolve(ctx.db, {
    id: input.id, personId, constituent, day, residentIds: input.residentIds, categories: input.items.map((i) => i.category),
  });
  // An id seen before answers for itself first: a retry of a saved visit is not judged again (its link may have ended since).
  if (r.existing) return await duplicateOf(ctx, input.id, r.existing.content_hash === hash && r.existing.person_id === personId);

  if (!r.person || (proxy && !policy.canProxyFor(grants, r.person.org_path))) throw errors.notFound('未找到该党员或无权为其代录');
  if (!r.constituent || (!r.link && !policy.readsRegistry(grants, r.constituent.path) && !withinAny(r.constituent.path, policy.recordRoots(grants)))) {
    throw errors.notFound('未找到该走访对象或不在您的范围内');
  }
  const c = r.constituent;
  if (c.removed_at && at.getTime() >= Date.parse(c.removed_at)) throw errors.validation('该走访对象已注销，不能再记录走访');
  if (day < c.created_on) throw errors.validation(`走访日期早于该走访对象的登记日期（${c.created_on}）`);
  if (r.person.left_on && r.person.left_on <= day) throw errors.validation('该人员在走访日期已不在名册中');
  const basis = r.link ? 'link' : 'helper';
  if (!r.link && r.person.kind !== 'helper' && !proxy) {
    throw r.next_link_start
      ? errors.validation(`走访日期早于联户开始日期（${r.next_link_start}）`)
      : errors.conflict('走访当天您未联系该户（联户关系未建立或已结束）；只有志愿者协助走访或支部书记代录可以记录');
  }
  const names = r.resident_names ?? {};
  if (input.residentIds.some((id) => !names[id])) throw errors.validation('参加走访的居民须是该户的居民');
  const cats = r.categories ?? {};
  if (input.items.some((i) => !cats[i.category])) throw errors.validation('反映事项类别无效或已停用');

  const periodIds = [c.id, ...(REMOTE.has(input.channel) ? (r.away_ids ?? []) : [])];
  const facts: VisitFacts = {
    id: input.id, personId, householdId: input.householdId ?? null, businessId: input.businessId ?? null, orgId: c.org_id,
    visitedAt: at, visitedOn: day, channel: input.channel, residentIds: input.residentIds,
  };
  const row: repo.NewVisit = {
    id: input.id, personId, linkId: r.link?.id ?? null, basis, constituent, orgId: c.org_id, visitedAt: at, day,
    weekStart: weekStart(day), monthStart: monthStart(day), monthFrom: startOfShanghaiDay(monthStart(day)),
    monthTo: startOfShanghaiDay(nextMonthStart(day)), channel: input.channel,
    notes: input.notes, proxy, enteredBy: account.id, contentHash: hash, residentIds: input.residentIds, periodIds, items: input.items,
    change: { after: facts, before: null },
    audit: {
      action: proxy ? 'visit.proxy_create' : 'visit.create',
      after: {
        personId, personName: r.person.name, householdId: input.householdId ?? null, businessId: input.businessId ?? null,
        visitedAt: at.toISOString(), channel: input.channel, basis, proxy, residents: input.residentIds.length, items: input.items.length,
      },
      actorId: account.id, actorUsername: account.username, ip: ctx.req?.ip ?? null, requestId: ctx.req?.id ?? null,
    },
  };

  // One statement, atomic on its own: the visit, its residents and items, its own rollups, the audit and the queued change.
  const written = await repo.insertVisit(ctx.db, row);
  // Lost a race with the same id sent concurrently: the other request's visit is the answer.
  if (!written.inserted) {
    const again = await repo.resolve(ctx.db, { id: input.id, personId, constituent, day, residentIds: [], categories: [] });
    return await duplicateOf(ctx, input.id, again.existing?.content_hash === hash && again.existing.person_id === personId);
  }
  const created = written.created_at ? new Date(written.created_at).toISOString() : new Date().toISOString();
  return {
    status: 'created',
    visit: {
      id: input.id, personId, personName: r.person.name, householdId: input.householdId ?? null, businessId: input.businessId ?? null,
      constituentName: c.name, orgCode: c.org_code, linkId: r.link?.id ?? null, basis, visitedAt: at.toISOString(), visitedOn: day,
      channel: input.channel, residents: input.residentIds.map((id) => ({ id, name: names[id]! })), notes: input.notes,
      items: (written.items ?? []).map((i) => ({
        id: i.id, visitId: input.id, category: i.category, categoryName: cats[i.category]!, description: i.description,
        urgency: i.urgency as 'normal' | 'urgent', status: 'open', createdAt: new Date(i.created_at).toISOString(),
      })),
      photos: [], proxy, enteredByName: account.displayName, createdAt: created, updatedAt: created, editable: true,
    },
  };
}

function rowRef(r: repo.VisitRow): repo.ConstituentRef {
  return r.household_id ? { householdId: r.household_id } : { businessId: r.business_id! };
}

function withinAny(path: string, roots: string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(`${r}/`));
}

async function duplicateOf(ctx: Ctx, id: string, same: boolean): Promise<Outcome> {
  if (!same) throw errors.conflict('该走访编号已用于另一条内容不同的走访记录');
  const row = await repo.visitById(ctx.db, id);
  if (!row) throw errors.conflict('该走访编号已用于另一条走访记录');
  return { status: 'duplicate', visit: present(ctx, row) };
}

/** A phone's queue: each item on its own (its own transaction), so one refusal never blocks the others. */
export async function sync(ctx: Ctx, items: unknown[]): Promise<VisitSyncItem[]> {
  const out: VisitSyncItem[] = [];
  for (const raw of items) {
    const id = typeof raw === 'object' && raw && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
    const parsed = visitInput.safeParse(raw);
    if (!parsed.success) {
      out.push({ id, status: 'refused', error: { error: 'validation_error', message: firstIssue(parsed.error) } });
      continue;
    }
    try {
      const r = await record(ctx, parsed.data);
      out.push({ id, status: r.status, data: r.visit });
    } catch (e) {
      if (!(e instanceof AppError)) {
        // Not the visit's fault: logged, and answered as a refusal the member can send again (kept on the phone).
        ctx.req?.log.error({ err: e }, 'visit sync item failed');
        out.push({ id, status: 'refused', error: { error: 'internal_error', message: '服务器暂时无法保存，请稍后重试' } });
      } else {
        out.push({ id, status: 'refused', error: { error: e.id, message: e.message } });
      }
    }
  }
  return out;
}

function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.join('.') || '内容'}：${i.message}` : '内容不正确';
}

// ---- reading ----

function editable(ctx: Ctx, row: repo.VisitRow): boolean {
  const { account, grants } = ctx.auth;
  const own = row.person_id === account.personId || row.entered_by === account.id;
  if (own && Date.now() - new Date(row.created_at).getTime() < CORRECTION_MS) return true;
  return policy.canProxyFor(grants, row.person_org_path);
}

async function canRead(ctx: Ctx, row: repo.VisitRow): Promise<boolean> {
  const { account, grants } = ctx.auth;
  if (row.person_id === account.personId || row.entered_by === account.id) return true;
  if (policy.readsRegistry(grants, row.org_path) || policy.canProxyFor(grants, row.person_org_path)) return true;
  return !!account.personId && await repo.personLinkedTo(ctx.db, account.personId, rowRef(row), true);
}

function present(ctx: Ctx, r: repo.VisitRow): Visit {
  return {
    id: r.id, personId: r.person_id, personName: r.person_name, householdId: r.household_id, businessId: r.business_id,
    constituentName: r.constituent_name, orgCode: r.org_code, linkId: r.link_id, basis: r.basis,
    visitedAt: new Date(r.visited_at).toISOString(), visitedOn: r.visited_on, channel: r.channel as Visit['channel'],
    residents: r.residents, notes: r.notes,
    items: r.items.map((i) => ({
      id: i.id, visitId: r.id, category: i.category, categoryName: i.category_name, description: i.description,
      urgency: i.urgency as 'normal' | 'urgent', status: i.status as 'open', createdAt: new Date(i.created_at).toISOString(),
    })),
    photos: r.photos, proxy: r.proxy, enteredByName: r.entered_by_name,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(), editable: editable(ctx, r),
  };
}

async function readable(ctx: Ctx, id: string): Promise<repo.VisitRow> {
  const row = await repo.visitById(ctx.db, id);
  if (!row || !(await canRead(ctx, row))) throw errors.notFound('未找到该走访记录或无权查看');
  return row;
}

export async function get(ctx: Ctx, id: string): Promise<Visit> {
  return present(ctx, await readable(ctx, id));
}

/** Who may list by a constituent or a person: registry readers in scope, the person themself, a member linked to it. */
async function assertListable(ctx: Ctx, f: { household?: string; business?: string; person?: string }): Promise<void> {
  const { account, grants } = ctx.auth;
  const given = [f.household, f.business, f.person].filter(Boolean).length;
  if (given !== 1) throw errors.validation('须且只能指定 household、business、person 之一');
  if (f.person) {
    if (f.person === account.personId) return;
    const path = await repo.personPath(ctx.db, f.person);
    if (!path || !(policy.readsRegistry(grants, path) || policy.canProxyFor(grants, path))) throw errors.notFound('未找到该人员或无权查看');
    return;
  }
  const c = constituentOf({ householdId: f.household, businessId: f.business });
  const path = await repo.constituentPath(ctx.db, c);
  if (path && policy.readsRegistry(grants, path)) return;
  if (path && account.personId && await repo.personLinkedTo(ctx.db, account.personId, c, false)) return;
  throw errors.notFound('未找到该走访对象或无权查看');
}

const listCursor = z.tuple([cursorPart.timestamp, cursorPart.uuid]);

export async function list(ctx: Ctx, q: VisitListQuery): Promise<VisitList> {
  await assertListable(ctx, q);
  const after = q.cursor ? decodeCursor(q.cursor, listCursor) : undefined;
  const rows = await repo.listVisits(ctx.db, {
    householdId: q.household, businessId: q.business, personId: q.person, from: q.from, to: q.to, limit: q.limit + 1,
    after: after ? { visitedAt: after[0], id: after[1] } : undefined,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    data: page.map((r) => present(ctx, r)),
    nextCursor: rows.length > q.limit && last ? encodeCursor([new Date(last.visited_at).toISOString(), last.id]) : null,
  };
}

export async function listRaisedItems(ctx: Ctx, q: { household?: string; business?: string; person?: string; status?: string }): Promise<RaisedItemWithVisit[]> {
  await assertListable(ctx, q);
  const rows = await repo.listItems(ctx.db, { householdId: q.household, businessId: q.business, personId: q.person, status: q.status });
  return rows.map(presentItem);
}

function presentItem(i: repo.ItemRow): RaisedItemWithVisit {
  return {
    id: i.id, visitId: i.visit_id, category: i.category, categoryName: i.category_name, description: i.description,
    urgency: i.urgency as 'normal' | 'urgent', status: i.status as 'open', createdAt: new Date(i.created_at).toISOString(),
    householdId: i.household_id, businessId: i.business_id, visitedOn: i.visited_on, personName: i.person_name,
  };
}

// ---- corrections ----

function factsOf(r: repo.VisitRow): VisitFacts {
  return {
    id: r.id, personId: r.person_id, householdId: r.household_id, businessId: r.business_id, orgId: r.org_id,
    visitedAt: new Date(r.visited_at), visitedOn: r.visited_on, channel: r.channel, residentIds: r.residents.map((x) => x.id),
  };
}

function auditView(r: { visitedAt: string; channel: string; residentIds: string[]; notes: string; items: { category: string; description: string; urgency: string }[]; basis: string }) {
  return { visitedAt: r.visitedAt, channel: r.channel, residentIds: [...r.residentIds].sort(), notes: r.notes, items: r.items, basis: r.basis };
}

/** A correction: own visit within 48 h, later (or anyone's in the branch) the secretary; audited before → after. */
export async function correct(ctx: Ctx, id: string, patch: VisitPatch): Promise<Visit> {
  const { account } = ctx.auth;
  await ctx.db.transaction(async (tx) => {
    const old = await repo.visitById(tx, id, true);
    const t = { ...ctx, db: tx };
    if (!old || !(await canRead(t, old))) throw errors.notFound('未找到该走访记录或无权查看');
    if (!editable(t, old)) throw errors.forbidden(`走访记录超过 ${VISIT_CORRECTION_HOURS} 小时后，请由支部书记修改`);
    const at = patch.visitedAt ? new Date(patch.visitedAt) : new Date(old.visited_at);
    checkNotFuture(at);
    const day = shanghaiDay(at);
    const channel = patch.channel ?? old.channel;
    const residentIds = patch.residentIds ?? old.residents.map((x) => x.id);
    const items = patch.items ?? old.items.map((i) => ({ category: i.category, description: i.description, urgency: i.urgency as 'normal' }));
    if (patch.items && old.items.some((i) => i.status !== 'open')) throw errors.conflict('已转为事项的反映事项不能在走访记录中修改');
    const c = rowRef(old);
    const r = await repo.resolve(tx, { id, personId: old.person_id, constituent: c, day, residentIds, categories: patch.items?.map((i) => i.category) ?? [] });
    if (!r.constituent || !r.person) throw errors.notFound('未找到该走访对象');
    if (day < r.constituent.created_on) throw errors.validation(`走访日期早于该走访对象的登记日期（${r.constituent.created_on}）`);
    if (!r.link && r.person.kind !== 'helper' && !old.proxy && old.basis === 'link') {
      throw r.next_link_start
        ? errors.validation(`走访日期早于联户开始日期（${r.next_link_start}）`)
        : errors.conflict('该日期您未联系该户（联户关系未建立或已结束）');
    }
    const names = r.resident_names ?? {};
    if (residentIds.some((x) => !names[x])) throw errors.validation('参加走访的居民须是该户的居民');
    if (patch.items?.some((i) => !(r.categories ?? {})[i.category])) throw errors.validation('反映事项类别无效或已停用');
    const basis = r.link ? 'link' : 'helper';
    const notes = patch.notes ?? old.notes;
    await repo.updateVisit(tx, id, { visitedAt: at, day, channel, notes, linkId: r.link?.id ?? null, basis, updatedBy: account.id });
    if (patch.residentIds) await repo.replaceResidents(tx, id, residentIds);
    if (patch.items) await repo.replaceItems(tx, id, { householdId: old.household_id, businessId: old.business_id, orgId: old.org_id }, items);
    // Rollups: every key the old or the new version touches, recomputed from the visits.
    const oldDay = old.visited_on;
    const oldAway = REMOTE.has(old.channel) ? await repo.awayAmong(tx, old.residents.map((x) => x.id)) : [];
    const newAway = REMOTE.has(channel) ? (r.away_ids ?? []) : [];
    const periods: repo.RollupKeys['periods'] = [
      ...[periodOf('week', oldDay), periodOf('week', day)].map((p) => ({ kind: 'week' as const, ...p })),
      ...[periodOf('month', oldDay), periodOf('month', day)].map((p) => ({ kind: 'month' as const, ...p })),
    ];
    const months = [...new Set([monthStart(oldDay), monthStart(day)])];
    await repo.recomputeRollups(tx, {
      constituentIds: [...new Set([old.household_id ?? old.business_id!, ...oldAway, ...newAway])],
      periods: periods.filter((p, i) => periods.findIndex((q) => q.kind === p.kind && q.start === p.start) === i),
      villageMonths: months.map((month) => ({ orgId: old.org_id, month })),
      memberMonths: months.map((month) => ({ personId: old.person_id, month })),
    });
    await appendAudit(tx, ctx.req, {
      action: 'visit.update', entityType: 'visit', entityId: id,
      before: auditView({ visitedAt: new Date(old.visited_at).toISOString(), channel: old.channel, residentIds: old.residents.map((x) => x.id), notes: old.notes, items: old.items.map((i) => ({ category: i.category, description: i.description, urgency: i.urgency })), basis: old.basis }),
      after: auditView({ visitedAt: at.toISOString(), channel, residentIds, notes, items, basis }),
    });
    await enqueueVisitChange(tx, {
      before: factsOf(old),
      after: { ...factsOf(old), visitedAt: at, visitedOn: day, channel, residentIds },
    });
  });
  return get(ctx, id);
}

// ---- photos ----

/** The visit a photo is sent for: whoever entered it (an offline queue sends photos after the visit), or who may correct it. */
export async function visitForPhoto(ctx: Ctx, id: string, write: boolean): Promise<repo.VisitRow> {
  const row = await readable(ctx, id);
  if (write && row.entered_by !== ctx.auth.account.id && !editable(ctx, row)) throw errors.forbidden('不能为该走访记录添加照片');
  return row;
}

export async function addPhoto(ctx: Ctx, visitId: string, seq: number, photo: { mime: string; width: number; height: number; bytes: Buffer }):
  Promise<{ created: boolean; photo: { id: string; seq: number; width: number; height: number } }> {
  return ctx.db.transaction(async (tx) => {
    // The visit row's lock serializes two sends of the same photo: the second finds the first and answers it.
    await repo.visitById(tx, visitId, true);
    const existing = await repo.photoSeqs(tx, visitId);
    const same = existing.find((p) => p.seq === seq);
    if (same) return { created: false, photo: same };
    const id = await repo.insertPhoto(tx, { visitId, seq, ...photo });
    await appendAudit(tx, ctx.req, { action: 'visit.photo_add', entityType: 'visit', entityId: visitId, after: { seq, width: photo.width, height: photo.height } });
    return { created: true, photo: { id, seq, width: photo.width, height: photo.height } };
  });
}

/**
 * Removes a photo as part of a correction — by whoever may correct the visit (its member within 48 h, then the
 * secretary); audited with what was removed. Returns the visit as it now is.
 */
export async function removePhoto(ctx: Ctx, visitId: string, seq: number): Promise<Visit> {
  await ctx.db.transaction(async (tx) => {
    const row = await repo.visitById(tx, visitId, true);
    const t = { ...ctx, db: tx };
    if (!row || !(await canRead(t, row))) throw errors.notFound('未找到该走访记录或无权查看');
    if (!editable(t, row)) throw errors.forbidden(`走访记录超过 ${VISIT_CORRECTION_HOURS} 小时后，请由支部书记修改`);
    const removed = await repo.deletePhoto(tx, visitId, seq);
    if (!removed) throw errors.notFound('未找到该照片');
    await appendAudit(tx, ctx.req, { action: 'visit.photo_remove', entityType: 'visit', entityId: visitId, before: removed });
  });
  return get(ctx, visitId);
}

export async function photo(ctx: Ctx, visitId: string, seq: number): Promise<{ mime: string; bytes: Buffer }> {
  await readable(ctx, visitId);
  const p = await repo.photoBytes(ctx.db, visitId, seq);
  if (!p) throw errors.notFound('未找到该照片');
  return p;
}

// ---- categories ----

export async function categories(db: Db): Promise<ItemCategory[]> {
  return repo.listCategories(db);
}

/** The zone's one list: office (and admin, configuration) only. */
export async function putCategories(ctx: Ctx, body: ItemCategoriesPut): Promise<ItemCategory[]> {
  if (!ctx.auth.grants.some((g) => g.role === 'office' || g.role === 'admin')) throw errors.forbidden('只有连心办可以修改反映事项类别');
  const codes = body.categories.map((c) => c.code);
  if (new Set(codes).size !== codes.length) throw errors.validation('类别代码不能重复');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.listCategories(tx);
    await repo.putCategories(tx, body.categories.map((c) => ({ code: c.code, name: c.name, active: c.active })));
    const after = await repo.listCategories(tx);
    await appendAudit(tx, ctx.req, { action: 'item_category.update', entityType: 'setting', entityId: 'item_categories', before, after });
    return after;
  });
}

// ---- for other modules (rules, campaigns, 今天, handbook, home cards) ----

/** The last visit of each household or business (by id). */
export async function lastVisitsOf(db: Db, constituentIds: string[]): Promise<Map<string, { visitId: string; visitedAt: Date; channel: string; personId: string; personName: string }>> {
  const rows = await repo.lastVisits(db, constituentIds);
  return new Map(rows.map((r) => [r.constituent_id, { visitId: r.visit_id, visitedAt: new Date(r.visited_at), channel: r.channel, personId: r.person_id, personName: r.person_name }]));
}

/** Open raised items of each household or business (by id), newest first. */
export async function openItemsOf(db: Db, constituentIds: string[]): Promise<Map<string, RaisedItemWithVisit[]>> {
  const out = new Map<string, RaisedItemWithVisit[]>();
  for (const r of await repo.openItems(db, constituentIds)) {
    const key = r.household_id ?? r.business_id!;
    (out.get(key) ?? out.set(key, []).get(key)!).push(presentItem(r));
  }
  return out;
}

/** When each away resident was last reached (took part in a phone, WeChat or video visit). */
export async function lastReachedOf(db: Db, residentIds: string[]): Promise<Map<string, Date>> {
  const rows = await repo.lastReached(db, residentIds);
  return new Map(rows.map((r) => [r.resident_id, new Date(r.last_reached_at)]));
}

/** A person's visits with day in [from, to] (both inclusive), newest first — the handbook's timeline. */
export async function visitsOfPerson(db: Db, personId: string, from: string, to: string): Promise<Omit<Visit, 'editable'>[]> {
  const out: Omit<Visit, 'editable'>[] = [];
  let after: { visitedAt: string; id: string } | undefined;
  for (;;) {
    const rows = await repo.listVisits(db, { personId, from, to, after, limit: 500 });
    for (const r of rows) {
      const { editable: _e, ...v } = present({ db, auth: NO_AUTH, req: null }, r);
      out.push(v);
    }
    if (rows.length < 500) return out;
    const last = rows[rows.length - 1]!;
    after = { visitedAt: new Date(last.visited_at).toISOString(), id: last.id };
  }
}
// present() asks who may edit; for another module's read nobody is asking.
const NO_AUTH: AuthContext = {
  account: { id: '', username: '', displayName: '', demo: false, personId: null, mustChangePassword: false, totpEnabled: false, totpSetupRequired: false },
  grants: [], session: { id: '', csrfToken: '', expiresAt: new Date(0), idleExpiresAt: new Date(0) },
};

/** Visits per village × month (months as first days, YYYY-MM-01). */
export async function villageMonths(db: Db, orgIds: string[], months: string[]) {
  return repo.villageMonthRows(db, orgIds, months);
}

/** Visits per member × month. */
export async function memberMonths(db: Db, personIds: string[], months: string[]) {
  return repo.memberMonthRows(db, personIds, months);
}
