import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  remoteChannels, type Campaign, type CampaignFigures, type CampaignList, type CampaignPending,
  type CampaignPendingItem, type CampaignProgress, type CampaignProgressRow, type campaignCreate, CAMPAIGN_MAX_DAYS, CAMPAIGN_REMINDER_DAYS,
} from '@lianxin/contracts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { addDays, daysBetween, todayInShanghai } from '../../lib/dates.ts';
import type { Grant } from '../auth/scope.ts';
import { notify } from '../notifications/notifications.service.ts';
import { drainBeforeReading, holdVisitChanges, takeInVisitChanges, visitChangesAsOf, type VisitChange, type VisitFacts } from '../visits/visits.service.ts';
import { assertManage, assertManageVisible, assertOrgVisible, assertVisible, canManage, manageRoots, readRoots } from './campaigns.policy.ts';
import * as repo from './campaigns.repo.ts';

export interface Ctx { db: Db; grants: Grant[]; req: FastifyRequest }

const pct = (n: number, d: number) => (d === 0 ? null : Math.round((n * 1000) / d) / 10);
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 10) / 10);

function figures(s: repo.Sums | undefined): CampaignFigures {
  const x = s ?? { total: 0, visited: 0, away_total: 0, away_reached: 0 };
  return {
    total: x.total, visited: x.visited, awayTotal: x.away_total, awayReached: x.away_reached,
    percent: pct(x.visited, x.total), awayPercent: pct(x.away_reached, x.away_total),
  };
}

async function present(ctx: Ctx, c: repo.CampaignRow, viewPath: string): Promise<Campaign> {
  const [totals, previous] = await Promise.all([repo.totalsUnder(ctx.db, [c.id], viewPath), repo.previousOf(ctx.db, c)]);
  return {
    id: c.id, name: c.name,
    org: { code: c.org_code, name: c.org_name, level: c.org_level },
    filter: { kinds: c.kinds as Campaign['filter']['kinds'], tag: c.tag, tagName: c.tag_name, awayOnly: c.away_only },
    startsOn: c.starts_on, endsOn: c.ends_on, deadline: c.deadline,
    status: c.closed_at ? 'closed' : 'open', closedAt: c.closed_at ? new Date(c.closed_at).toISOString() : null,
    createdAt: new Date(c.created_at).toISOString(), createdBy: c.created_by,
    figures: figures(totals.get(c.id)), previous,
    abilities: { manage: canManage(ctx.grants, c.org_path) },
  };
}

async function visibleCampaign(ctx: Ctx, id: string): Promise<{ c: repo.CampaignRow; viewPath: string }> {
  await drainBeforeReading(ctx.db);
  const c = z.uuid().safeParse(id).success ? await repo.campaignById(ctx.db, id) : null;
  if (!c) throw errors.notFound('走访活动不存在或无权查看');
  return { c, viewPath: assertVisible(ctx.grants, c.org_path) };
}

export async function list(ctx: Ctx, status: 'open' | 'closed' | 'all'): Promise<CampaignList> {
  const roots = readRoots(ctx.grants);
  if (roots.length === 0) throw errors.forbidden('当前角色无权查看走访活动');
  await drainBeforeReading(ctx.db);
  const rows = await repo.campaignsFor(ctx.db, roots, status);
  return {
    data: await Promise.all(rows.map((c) => present(ctx, c, assertVisible(ctx.grants, c.org_path)))),
    abilities: { create: manageRoots(ctx.grants).length > 0 },
  };
}

export async function get(ctx: Ctx, id: string): Promise<Campaign> {
  const { c, viewPath } = await visibleCampaign(ctx, id);
  return present(ctx, c, viewPath);
}

const field = (path: string, message: string) => errors.validation(message, [{ path, message }]);

/**
 * 发起集中走访: validates the window, snapshots the targets and counts the visits already in the window (a round may
 * start before the day it is entered). Visits keep being recorded meanwhile, and their changes drained: one the count
 * did not see is recounted either by the drain (if it comes after the commit) or, once committed, by a recount of
 * the targets reached by visits recorded since the creation began (if a drain took it in before) — both recount from
 * the visits, so a visit seen twice is still counted once. Audited with the filter and the number of targets.
 */
export async function create(ctx: Ctx, input: z.output<typeof campaignCreate>): Promise<Campaign> {
  const org = await repo.orgByCode(ctx.db, input.orgCode);
  if (!org) throw errors.notFound('组织不存在或无权查看');
  assertManage(ctx.grants, org.path);
  if (!['zone', 'town', 'village'].includes(org.level)) throw field('body/orgCode', '走访范围须为全区、镇（街道）或村（社区）');
  const deadline = input.deadline ?? input.endsOn;
  if (input.endsOn < input.startsOn) throw field('body/endsOn', '结束日期不能早于开始日期');
  if (daysBetween(input.startsOn, input.endsOn) > CAMPAIGN_MAX_DAYS) throw field('body/endsOn', `走访时间不能超过 ${CAMPAIGN_MAX_DAYS} 天`);
  if (deadline < input.startsOn || deadline > input.endsOn) throw field('body/deadline', '截止日期应在开始与结束日期之间');
  const today = todayInShanghai();
  if (input.endsOn < today) throw field('body/endsOn', '结束日期已过');
  const kinds = [...new Set(input.filter.kinds)];
  const tag = input.filter.tag;
  if (tag && !(await repo.tagExists(ctx.db, tag))) throw field('body/filter/tag', '标签不存在');
  const id = await ctx.db.transaction(async (tx) => {
    const id = await repo.insertCampaign(tx, {
      name: input.name, orgId: org.id, orgPath: org.path, kinds, tag, awayOnly: input.filter.awayOnly,
      startsOn: input.startsOn, endsOn: input.endsOn, deadline, createdBy: ctx.req.auth!.account.id, today,
    });
    await repo.buildRollups(tx, id);
    const totals = (await repo.totalsUnder(tx, [id], org.path)).get(id);
    await appendAudit(tx, ctx.req, {
      action: 'campaign.create', entityType: 'campaign', entityId: id,
      after: { name: input.name, org: org.code, kinds, tag, awayOnly: input.filter.awayOnly, startsOn: input.startsOn, endsOn: input.endsOn, deadline,
        targets: totals?.total ?? 0, awayTargets: totals?.away_total ?? 0 },
    });
    return id;
  });
  await ctx.db.transaction(async (tx) => {
    await holdVisitChanges(tx);
    await repo.recountSinceCreation(tx, id);
  });
  return get(ctx, id);
}

/** 结束: freezes the progress (later visits no longer move it); audited. Closing twice is a 409. */
export async function close(ctx: Ctx, id: string): Promise<Campaign> {
  const { c } = await visibleCampaign(ctx, id);
  assertManageVisible(ctx.grants, c.org_path);
  await ctx.db.transaction(async (tx) => {
    // Visits recorded before the close count, even if their changes are still queued: taken in before it freezes.
    await takeInVisitChanges(tx);
    const locked = (await repo.campaignById(tx, id, true))!;
    if (locked.closed_at) throw errors.conflict('该走访活动已结束');
    await repo.closeCampaign(tx, id, ctx.req.auth!.account.id);
    await appendAudit(tx, ctx.req, { action: 'campaign.close', entityType: 'campaign', entityId: id, before: { status: 'open' }, after: { status: 'closed' } });
  });
  return get(ctx, id);
}

/** The drill-down org: `code` (inside the campaign and the caller's scope) or the caller's view of the campaign. */
async function drillOrg(ctx: Ctx, c: repo.CampaignRow, viewPath: string, code: string | undefined): Promise<repo.OrgRef> {
  if (code === undefined) return (await repo.orgsByPaths(ctx.db, [viewPath]))[0]!;
  const org = await repo.orgByCode(ctx.db, code);
  if (!org) throw errors.notFound('该组织不在本次走访范围内或无权查看');
  assertOrgVisible(ctx.grants, c.org_path, org.path);
  return org;
}

function withPrevious(now: repo.Sums | undefined, before: repo.Sums | undefined, hasPrevious: boolean) {
  const f = figures(now);
  const p = hasPrevious && before ? figures(before) : null;
  return { figures: f, previous: p, change: diff(f.percent, p?.percent ?? null) };
}

/**
 * Progress of one level with the previous campaign of the same scope beside it: child orgs for the zone and a town,
 * members (plus 未联户) for a village. Reads the rollups only (O(villages shown)).
 */
export async function progress(ctx: Ctx, id: string, orgCode: string | undefined): Promise<CampaignProgress> {
  const { c, viewPath } = await visibleCampaign(ctx, id);
  const org = await drillOrg(ctx, c, viewPath, orgCode);
  const previous = await repo.previousOf(ctx.db, c);
  const ids = previous ? [c.id, previous.id] : [c.id];
  const totals = await repo.totalsUnder(ctx.db, ids, org.path);
  const total = withPrevious(totals.get(c.id), previous ? totals.get(previous.id) : undefined, previous !== null);
  let rows: CampaignProgressRow[];
  if (org.level === 'village') {
    const members = await repo.membersOf(ctx.db, ids, org.id);
    const byPerson = new Map<string, { name: string; now?: repo.Sums; before?: repo.Sums }>();
    for (const m of members) {
      const e = byPerson.get(m.person_id) ?? { name: m.name };
      if (m.campaign_id === c.id) e.now = m; else e.before = m;
      byPerson.set(m.person_id, e);
    }
    rows = [...byPerson.entries()].filter(([, e]) => e.now).map(([pid, e]) => ({
      org: null, person: { id: pid, name: e.name }, ...withPrevious(e.now, e.before, previous !== null),
    }));
    // Targets nobody held when the campaign was created: the village's figures less its members'.
    const rest = (cid: string, whole: repo.Sums | undefined): repo.Sums => {
      const ms = members.filter((m) => m.campaign_id === cid);
      const w = whole ?? { total: 0, visited: 0, away_total: 0, away_reached: 0 };
      return {
        total: w.total - ms.reduce((n, m) => n + m.total, 0), visited: w.visited - ms.reduce((n, m) => n + m.visited, 0),
        away_total: w.away_total - ms.reduce((n, m) => n + m.away_total, 0), away_reached: w.away_reached - ms.reduce((n, m) => n + m.away_reached, 0),
      };
    };
    const unlinked = rest(c.id, totals.get(c.id));
    if (unlinked.total + unlinked.away_total > 0) {
      rows.push({ org: null, person: null, ...withPrevious(unlinked, previous ? rest(previous.id, totals.get(previous.id)) : undefined, previous !== null) });
    }
  } else {
    const kids = await repo.childrenTotals(ctx.db, ids, org.id);
    const byCode = new Map<string, { org: { code: string; name: string; level: string }; now?: repo.Sums; before?: repo.Sums }>();
    for (const k of kids) {
      const e = byCode.get(k.code) ?? { org: { code: k.code, name: k.name, level: k.level } };
      if (k.campaign_id === c.id) e.now = k; else e.before = k;
      byCode.set(k.code, e);
    }
    rows = [...byCode.values()].filter((e) => e.now).map((e) => ({ org: e.org, person: null, ...withPrevious(e.now, e.before, previous !== null) }));
  }
  const trail = (await repo.orgsByPaths(ctx.db, ancestors(org.path, c.org_path))).map((o) => ({ code: o.code, name: o.name }));
  return {
    campaignId: c.id, org: { code: org.code, name: org.name, level: org.level }, trail,
    rowsAre: org.level === 'village' ? 'members' : 'orgs',
    totals: total.figures, previousTotals: total.previous, change: total.change, previous, rows,
    asOf: (await visitChangesAsOf(ctx.db)).toISOString(),
  };
}

/** Paths from the campaign's scope down to `path`'s parent. */
function ancestors(path: string, top: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = top.split('/').length; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/** The pending list's filter after the scope checks: an org of the campaign, or one member's targets. */
async function pendingFilter(ctx: Ctx, id: string, q: { org?: string; person?: string }): Promise<{ c: repo.CampaignRow; f: repo.PendingFilter; label: string }> {
  const { c, viewPath } = await visibleCampaign(ctx, id);
  if (q.org !== undefined && q.person !== undefined) throw field('querystring/person', 'org 与 person 只能选一个');
  if (q.person !== undefined) {
    const places = await repo.memberVillages(ctx.db, c.id, q.person);
    if (places.length === 0) throw errors.notFound('该党员在本次走访中没有对象或无权查看');
    for (const p of places) assertOrgVisible(ctx.grants, c.org_path, p.path);
    return { c, f: { campaignId: c.id, orgPath: null, personId: q.person }, label: places[0]!.name };
  }
  const org = await drillOrg(ctx, c, viewPath, q.org);
  return { c, f: { campaignId: c.id, orgPath: org.path, personId: null }, label: org.name };
}

const awayScopeLabels: Record<string, string> = { city: '省内市外', province: '省外', abroad: '国外' };

function pendingItem(r: repo.PendingRow): CampaignPendingItem {
  return {
    id: r.target_id, kind: r.kind as CampaignPendingItem['kind'], name: r.name, address: r.address,
    householdId: r.household_id,
    awayPlace: r.kind === 'away_resident' ? [r.away_scope ? awayScopeLabels[r.away_scope] ?? r.away_scope : null, r.away_place].filter(Boolean).join(' ') || null : null,
    village: { code: r.village_code, name: r.village_name },
    person: r.person_id ? { id: r.person_id, name: r.person_name ?? '' } : null,
  };
}

export async function pending(ctx: Ctx, id: string, q: { org?: string; person?: string; cursor?: string; limit: number }): Promise<CampaignPending> {
  const { f } = await pendingFilter(ctx, id, q);
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.int]))[0] : 0;
  const [rows, total] = await Promise.all([repo.pending(ctx.db, f, after, q.limit + 1), repo.pendingCount(ctx.db, f)]);
  const page = rows.slice(0, q.limit);
  return {
    data: page.map(pendingItem),
    nextCursor: rows.length > q.limit ? encodeCursor([page[page.length - 1]!.seq]) : null,
    total,
  };
}

/** The whole pending list for the xlsx export (batches of EXPORT_BATCH, in seq order); audited as an export of names. */
export async function pendingForExport(ctx: Ctx, id: string, q: { org?: string; person?: string }, batch: number) {
  const { c, f, label } = await pendingFilter(ctx, id, q);
  await appendAudit(ctx.db, ctx.req, {
    action: 'campaign.export_pending', entityType: 'campaign', entityId: c.id,
    after: { org: q.org ?? null, person: q.person ?? null },
  });
  return {
    filename: `${c.name}-${label}-未走访名单.xlsx`,
    async *rows(): AsyncGenerator<CampaignPendingItem[]> {
      let after = 0;
      for (;;) {
        const rows = await repo.pending(ctx.db, f, after, batch);
        if (rows.length === 0) return;
        yield rows.map(pendingItem);
        after = rows[rows.length - 1]!.seq;
        if (rows.length < batch) return;
      }
    },
  };
}

/** What one side of a visit change counts for: its constituent, and its residents when the channel reaches them remotely. */
function qualifiers(v: VisitFacts): repo.Qualifier[] {
  const out: repo.Qualifier[] = [];
  const constituent = v.householdId ?? v.businessId;
  if (constituent) out.push({ targetId: constituent, on: v.visitedOn, away: false });
  if ((remoteChannels as readonly string[]).includes(v.channel)) {
    for (const r of new Set(v.residentIds)) out.push({ targetId: r, on: v.visitedOn, away: true });
  }
  return out;
}

/**
 * The visits listener (registered by the routes plugin), once per drained batch: recounts the open campaigns' targets
 * the batch's visits touch — what a corrected visit touched before too — and moves their progress.
 */
export async function onVisits(tx: Db, changes: VisitChange[]): Promise<void> {
  await repo.recountTargets(tx, changes.flatMap((c) => [...(c.before ? qualifiers(c.before) : []), ...qualifiers(c.after)]));
}

/**
 * 截止提醒 (the daily campaign-reminder job): members with unvisited targets in an open campaign whose deadline is
 * CAMPAIGN_REMINDER_DAYS days away get one in-app notification per campaign (dedupe key: a rerun notifies once).
 */
export async function sendDeadlineReminders(db: Db, today = todayInShanghai()): Promise<{ notified: number; due: number }> {
  await drainBeforeReading(db);
  const rows = await repo.remindersDue(db, addDays(today, CAMPAIGN_REMINDER_DAYS));
  const notified = await notify(db, rows.map((r) => ({
    accountId: r.account_id, kind: 'campaign_deadline',
    title: `「${r.campaign_name}」${Number(r.deadline.slice(5, 7))}月${Number(r.deadline.slice(8))}日截止，还有 ${r.pending} 个对象未走访`,
    body: `离截止还有 ${CAMPAIGN_REMINDER_DAYS} 天，请抓紧走访。`,
    link: '/today',
    dedupeKey: `campaign-deadline:${r.campaign_id}:${r.account_id}`,
  })));
  return { notified, due: rows.length };
}
