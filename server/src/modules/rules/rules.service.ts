import {
  ANY_VULNERABLE_TAG, ANY_VULNERABLE_TAG_LABEL, remoteChannels, ruleKinds,
  type CompletionFigures, type CompletionRow, type CompletionView, type DueStatus, type RuleKind, type TodayAwayResident, type TodayItem,
  type TodayView, type VisitChannel, type VisitRule, type VisitRulePut, type VisitRulesView,
} from '@lianxin/contracts';
import { sql, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { monthStart, nextMonthStart, periodOf, previousMonthStart, previousPeriod, todayInShanghai, addDays, weekStart } from '../../lib/dates.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { notify, type NewNotification } from '../notifications/notifications.service.ts';
import type { Grant } from '../auth/scope.ts';
import { isWithin, within } from '../auth/scope.ts';
import { drainBeforeReading, holdVisitChanges, visitChangesAsOf, type VisitChange } from '../visits/visits.service.ts';
import { mayReadTodayOf, readRoots, writeRoots } from './rules.policy.ts';
import * as repo from './rules.repo.ts';
import type { DuePeriods, PeriodSpec, RuleRow } from './rules.repo.ts';

export interface Ctx { db: Db; grants: Grant[]; req: FastifyRequest }

/** MISSION §2 defaults, the zone's rules on first start: the office edits them, towns and villages override them. */
export const DEFAULT_RULES: { kind: RuleKind; tag: string; period: 'week' | 'month'; minVisits: number; channels: VisitChannel[] | null }[] = [
  { kind: 'household', tag: '', period: 'month', minVisits: 2, channels: null },
  { kind: 'household', tag: ANY_VULNERABLE_TAG, period: 'week', minVisits: 1, channels: null },
  { kind: 'enterprise', tag: '', period: 'month', minVisits: 1, channels: null },
  { kind: 'shop', tag: '', period: 'month', minVisits: 1, channels: null },
  { kind: 'away_resident', tag: '', period: 'month', minVisits: 1, channels: [...remoteChannels] },
];

/** Seeds the zone's default rules when it has none (idempotent: a zone's edited rules are kept). */
export async function ensureDefaultRules(db: Pick<Db, 'execute'>): Promise<number> {
  return repo.seedDefaults(db, DEFAULT_RULES);
}

/**
 * Seeding happens on first use rather than at start: the zone may not exist yet at start (create-admin or the seed
 * makes it), and an app built without a database (the OpenAPI dump) must not touch one. Once the zone exists and has
 * its rules, this process stops asking (a process serves one database; each test file runs in its own).
 */
let seeded = false;
async function defaultsOnce(db: Pick<Db, 'execute'>): Promise<void> {
  if (seeded) return;
  await ensureDefaultRules(db);
  seeded = (await repo.zone(db)) !== null;
}

// ---------------------------------------------------------------------------------------------------------------
// Periods

/** The periods a month's completion covers: the month, and the weeks whose Monday falls in it and is not after `today`. */
export function monthPeriods(month: string, today: string): PeriodSpec[] {
  if (month > today) return [];
  const next = nextMonthStart(month);
  const out: PeriodSpec[] = [{ kind: 'month', start: month, end: next }];
  for (let w = weekStart(month) < month ? addDays(weekStart(month), 7) : month; w < next && w <= today; w = addDays(w, 7)) {
    out.push({ kind: 'week', start: w, end: addDays(w, 7) });
  }
  return out;
}

function duePeriods(day: string): DuePeriods {
  const spec = (kind: 'week' | 'month', p: { start: string; end: string }): PeriodSpec => ({ kind, ...p });
  return {
    week: spec('week', periodOf('week', day)), month: spec('month', periodOf('month', day)),
    prevWeek: spec('week', previousPeriod('week', day)), prevMonth: spec('month', previousPeriod('month', day)),
  };
}

/**
 * A constituent's state under its rule: done when this period's visits reach the minimum; overdue when not, and the
 * previous period's did not either while the link already held at that period's start (a link made since is not behind).
 */
export function dueStatusOf(min: number | null, nCur: number, nPrev: number, linkStart: string, prevStart: string): DueStatus | null {
  if (!min) return null;
  if (nCur >= min) return 'done';
  if (linkStart <= prevStart && nPrev < min) return 'overdue';
  return 'due';
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

function tagLabel(tag: string, names: Map<string, string>): string {
  if (tag === '') return '全部';
  if (tag === ANY_VULNERABLE_TAG) return ANY_VULNERABLE_TAG_LABEL;
  return names.get(tag) ?? tag;
}

function presentRule(r: RuleRow, orgId: string, names: Map<string, string>): VisitRule {
  return {
    id: r.id, kind: r.kind as RuleKind, tag: r.tag, tagName: tagLabel(r.tag, names), period: r.period, minVisits: r.min_visits,
    channels: (r.channels as VisitChannel[] | null) ?? null,
    source: { code: r.org_code, name: r.org_name, level: r.org_level as VisitRule['source']['level'] },
    inherited: r.org_id !== orgId, updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const tagRank = (t: string) => (t === '' ? 0 : t === ANY_VULNERABLE_TAG ? 1 : 2);

/** The rules in force at an org: per (kind, tag), the row of the most specific org on its path. */
async function effectiveRules(db: Db, org: repo.OrgRow): Promise<VisitRule[]> {
  const path = await repo.orgsOnPath(db, org.path);
  const rows = await repo.rulesOfOrgs(db, path.map((o) => o.id));
  const byKey = new Map<string, RuleRow>();
  for (const r of rows) byKey.set(`${r.kind}|${r.tag}`, r); // rows come most general first: the last one wins
  const names = await repo.tagNames(db);
  return [...byKey.values()]
    .sort((a, b) => ruleKinds.indexOf(a.kind as RuleKind) - ruleKinds.indexOf(b.kind as RuleKind) || tagRank(a.tag) - tagRank(b.tag) || a.tag.localeCompare(b.tag))
    .map((r) => presentRule(r, org.id, names));
}

const RULE_LEVELS = new Set(['zone', 'town', 'village']);

async function ruleOrg(ctx: Ctx, code: string | undefined, roots: string[]): Promise<repo.OrgRow> {
  const org = await repo.orgByCode(ctx.db, code ?? roots[0]!.split('/').pop()!);
  if (!org || !within(org.path, roots)) throw errors.notFound();
  if (!RULE_LEVELS.has(org.level)) throw errors.validation('走访规则按区、镇（街道）、村（社区）设置', [{ path: 'org', message: '请选择区、镇或村' }]);
  return org;
}

async function ancestorsOf(db: Db, org: repo.OrgRow, roots: string[]) {
  return (await repo.orgsOnPath(db, org.path)).filter((o) => o.id !== org.id && within(o.path, roots)).map((o) => ({ code: o.code, name: o.name }));
}

export async function rulesView(ctx: Ctx, code: string | undefined): Promise<VisitRulesView> {
  const roots = readRoots(ctx.grants, '走访规则');
  await defaultsOnce(ctx.db);
  const org = await ruleOrg(ctx, code, roots);
  return {
    org: { code: org.code, name: org.name, level: org.level as VisitRulesView['org']['level'] },
    ancestors: await ancestorsOf(ctx.db, org, roots),
    editable: within(org.path, writeRoots(ctx.grants)),
    rules: await effectiveRules(ctx.db, org),
  };
}

function editableOrg(ctx: Ctx): string[] {
  const roots = writeRoots(ctx.grants);
  if (!roots.length) throw errors.forbidden('当前角色无权修改走访规则');
  return roots;
}

/**
 * Recomputes the completion (due and met) of these villages for this month so far, in the caller's transaction: after a
 * rule change here; a links or registry write may call it for the villages it touched (else the hourly job catches up).
 */
export async function refreshCompletion(tx: Pick<Db, 'execute'>, villageIds: string[]): Promise<void> {
  const today = todayInShanghai();
  // Not beside a drain recounting the same villages from an older snapshot (the later commit would win).
  await holdVisitChanges(tx);
  await repo.recomputeCompletion(tx, villageIds, monthPeriods(monthStart(today), today));
}

async function recomputeUnder(tx: Db, path: string): Promise<void> {
  await refreshCompletion(tx, await repo.villagesUnder(tx, path));
}

const ruleAudit = (r: RuleRow | null) => (r ? { period: r.period, minVisits: r.min_visits, channels: r.channels } : null);

export async function putRule(ctx: Ctx, body: VisitRulePut): Promise<VisitRule> {
  const roots = editableOrg(ctx);
  const org = await ruleOrg(ctx, body.org, roots);
  await defaultsOnce(ctx.db);
  const issues: { path: string; message: string }[] = [];
  if (body.tag !== '' && body.kind !== 'household') issues.push({ path: 'tag', message: '只有住户规则可以按标签设置' });
  else if (body.tag !== '' && body.tag !== ANY_VULNERABLE_TAG && !(await repo.tagName(ctx.db, body.tag))) issues.push({ path: 'tag', message: '没有这个标签' });
  const channels = body.channels ? [...new Set(body.channels)] : null;
  if (body.kind === 'away_resident' && channels?.some((c) => !(remoteChannels as readonly string[]).includes(c))) {
    issues.push({ path: 'channels', message: '在外人员只能通过电话、微信或视频联系' });
  }
  if (issues.length) throw errors.validation('请检查走访规则', issues);
  return ctx.db.transaction(async (tx) => {
    await repo.lockRules(tx);
    const before = await repo.ownRule(tx, org.id, body.kind, body.tag);
    await repo.upsertRule(tx, { orgId: org.id, kind: body.kind, tag: body.tag, period: body.period, minVisits: body.minVisits, channels, by: ctx.req.auth!.account.id }, before?.id ?? null);
    await appendAudit(tx, ctx.req, {
      action: 'visit_rule.set', entityType: 'visit_rule', entityId: `${org.code}:${body.kind}:${body.tag}`,
      before: ruleAudit(before), after: { period: body.period, minVisits: body.minVisits, channels },
    });
    await recomputeUnder(tx, org.path);
    const rule = (await effectiveRules(tx, org)).find((r) => r.kind === body.kind && r.tag === body.tag);
    return rule!;
  });
}

export async function deleteRule(ctx: Ctx, id: string): Promise<VisitRule | null> {
  const roots = editableOrg(ctx);
  const rule = await repo.ruleById(ctx.db, id);
  if (!rule || !within(rule.org_path, roots)) throw errors.notFound();
  if (rule.org_level === 'zone' && rule.tag === '') throw errors.validation('全区的基本规则不能删除，只能修改', [{ path: 'id', message: '全区基本规则' }]);
  return ctx.db.transaction(async (tx) => {
    await repo.lockRules(tx);
    if (!(await repo.ruleById(tx, id))) throw errors.notFound();
    await repo.deleteRule(tx, id);
    await appendAudit(tx, ctx.req, {
      action: 'visit_rule.delete', entityType: 'visit_rule', entityId: `${rule.org_code}:${rule.kind}:${rule.tag}`, before: ruleAudit(rule), after: null,
    });
    await recomputeUnder(tx, rule.org_path);
    const org = (await repo.orgByCode(tx, rule.org_code))!;
    return (await effectiveRules(tx, org)).find((r) => r.kind === rule.kind && r.tag === rule.tag) ?? null;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 今天

const STATUS_RANK: Record<string, number> = { overdue: 0, due: 1, done: 2 };
const rank = (s: DueStatus | null) => (s ? STATUS_RANK[s]! : 3);

const zh = new Intl.Collator('zh-Hans-CN');

export async function today(ctx: Ctx, personParam: string | undefined): Promise<TodayView> {
  const own = ctx.req.auth!.account.personId;
  const personId = personParam ?? own;
  if (!personId) throw errors.notFound('当前账号没有对应的党员，无法查看今天的走访');
  await defaultsOnce(ctx.db);
  const day = todayInShanghai();
  const periods = duePeriods(day);
  const { person: p, rows, away, items, home } = await repo.todayBundle(ctx.db, personId, periods);
  if (!p || (personId !== own && !mayReadTodayOf(ctx.grants, p.org_path))) throw errors.notFound();
  const homeOf = new Map<string, { id: string; name: string; relation: string }[]>();
  for (const r of home) homeOf.set(r.household_id, [...(homeOf.get(r.household_id) ?? []), { id: r.id, name: r.name, relation: r.relation }]);
  const spec = (period: 'week' | 'month') => (period === 'week' ? periods.week : periods.month);
  const prevStart = (period: 'week' | 'month') => (period === 'week' ? periods.prevWeek.start : periods.prevMonth.start);
  const rule = (period: 'week' | 'month' | null, min: number | null, channels: string[] | null) =>
    (period && min ? { period, minVisits: min, channels: channels as VisitChannel[] | null, periodStart: spec(period).start, periodEnd: spec(period).end } : null);

  const awayOf = new Map<string, TodayAwayResident[]>();
  let awayTotal = 0;
  let awayReached = 0;
  for (const a of away) {
    const status = a.period ? dueStatusOf(a.min_visits, a.n_cur, a.n_prev, a.starts_on, prevStart(a.period)) : null;
    if (status) { awayTotal += 1; if (status === 'done') awayReached += 1; }
    const list = awayOf.get(a.household_id) ?? [];
    list.push({
      id: a.id, name: a.name, awayScope: a.away_scope, awayPlace: a.away_place,
      lastReachedAt: a.last_at ? new Date(a.last_at).toISOString() : null, lastReachedChannel: (a.last_channel as VisitChannel | null) ?? null,
      rule: rule(a.period, a.min_visits, a.channels), visitsThisPeriod: a.n_cur, status,
    });
    awayOf.set(a.household_id, list);
  }
  const out: TodayItem[] = rows.map((r) => {
    const mine = items.filter((i) => (r.household_id ? i.household_id === r.household_id : i.business_id === r.business_id));
    return {
      householdId: r.household_id, businessId: r.business_id, kind: r.ckind, name: r.name, address: r.address, orgCode: r.org_code, orgName: r.org_name,
      linkRole: r.role, vulnerable: r.vulnerable, tags: r.tags, rule: rule(r.period, r.min_visits, r.channels),
      visitsThisPeriod: r.n_cur,
      status: r.period ? dueStatusOf(r.min_visits, r.n_cur, r.n_prev, r.starts_on, prevStart(r.period)) : null,
      lastVisit: r.last_at ? { at: new Date(r.last_at).toISOString(), channel: r.last_channel as VisitChannel, personName: r.last_person ?? '' } : null,
      openItems: {
        count: mine.length,
        items: mine.slice(0, 3).map((i) => ({ id: i.id, category: i.category, categoryName: i.category_name, description: i.description, urgency: i.urgency, createdAt: new Date(i.created_at).toISOString() })),
      },
      awayResidents: r.household_id ? (awayOf.get(r.household_id) ?? []) : [],
      homeResidents: r.household_id ? (homeOf.get(r.household_id) ?? []) : [],
    };
  });
  out.sort((a, b) => rank(a.status) - rank(b.status) || Number(b.vulnerable) - Number(a.vulnerable) || zh.compare(a.name, b.name));
  const count = (s: DueStatus) => out.filter((i) => i.status === s).length;
  return {
    person: { id: p.id, name: p.name, orgCode: p.org_code, orgName: p.org_name },
    day, items: out,
    counts: { overdue: count('overdue'), due: count('due'), done: count('done'), total: out.filter((i) => i.status).length },
    away: { total: awayTotal, reached: awayReached },
    asOf: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Completion

function figures(v: { due: number; met: number } | undefined): CompletionFigures {
  const due = v?.due ?? 0;
  const met = v?.met ?? 0;
  return { due, met, percent: due ? Math.round((met / due) * 1000) / 10 : null };
}

function row(kind: 'org' | 'member', key: { code?: string; personId?: string }, name: string, cur: CompletionFigures, prev: CompletionFigures): CompletionRow {
  return {
    kind, code: key.code ?? null, personId: key.personId ?? null, name, current: cur, previous: prev,
    change: cur.percent !== null && prev.percent !== null ? Math.round((cur.percent - prev.percent) * 10) / 10 : null,
  };
}

export async function completion(ctx: Ctx, q: { org?: string; month?: string }): Promise<CompletionView> {
  const roots = readRoots(ctx.grants, '走访完成情况');
  await drainBeforeReading(ctx.db);
  const org = await ruleOrg(ctx, q.org, roots);
  const day = todayInShanghai();
  const month = q.month ? `${q.month}-01` : monthStart(day);
  const prev = previousMonthStart(month);
  const base = {
    org: { code: org.code, name: org.name, level: org.level as CompletionView['org']['level'] },
    ancestors: await ancestorsOf(ctx.db, org, roots),
    month: month.slice(0, 7), previousMonth: prev.slice(0, 7),
  };
  const children = org.level === 'village' ? [] : await repo.childOrgs(ctx.db, org.id);
  const paths = [org.path, ...children.map((c) => c.path)];
  const [cur, before] = await Promise.all([repo.completionOf(ctx.db, paths, month, nextMonthStart(month)), repo.completionOf(ctx.db, paths, prev, month)]);
  const self = row('org', { code: org.code }, org.name, figures(cur.sums.get(org.path)), figures(before.sums.get(org.path)));
  // The rows' latest update — or, if a drain was busy, the oldest visit change they do not hold yet.
  const pending = await visitChangesAsOf(ctx.db);
  const asOf = new Date(Math.min(pending.getTime(), (cur.asOf ?? pending).getTime())).toISOString();
  if (org.level !== 'village') {
    return {
      ...base, self, asOf,
      children: children.map((c) => row('org', { code: c.code }, c.name, figures(cur.sums.get(c.path)), figures(before.sums.get(c.path)))),
    };
  }
  // A village's members: computed live from the village's constituents (one village: hundreds of rows, not the zone).
  const [mCur, mPrev, members] = await Promise.all([
    repo.memberCompletion(ctx.db, org.id, monthPeriods(month, day)),
    repo.memberCompletion(ctx.db, org.id, monthPeriods(prev, day)),
    repo.membersOf(ctx.db, org.id),
  ]);
  const known = new Set(members.map((m) => m.id));
  const others = await repo.peopleWithPaths(ctx.db, [...new Set([...mCur.keys(), ...mPrev.keys()])].filter((id) => !known.has(id)));
  const people = [...members, ...others.map((o) => ({ id: o.id, name: o.name }))].filter((m) => mCur.has(m.id) || mPrev.has(m.id));
  return {
    ...base, self, asOf,
    children: people.map((m) => row('member', { personId: m.id }, m.name, figures(mCur.get(m.id)), figures(mPrev.get(m.id)))),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Keeping completion right as visits arrive

/**
 * The visits listener (registered by the routes plugin), once per drained batch of visit changes: recomputes the
 * completion (due and met) of the villages the batch's visits fall in — and, for a correction, fell in — for the week
 * and the month of each, from the visits themselves, so the batch's order or a change seen twice cannot skew it.
 * Villages with the same periods share one statement (a batch is usually a second of visits: one week, one month).
 */
export async function onVisits(tx: Db, changes: VisitChange[]): Promise<void> {
  await defaultsOnce(tx);
  const byVillage = new Map<string, Map<string, PeriodSpec>>();
  for (const f of changes.flatMap((c) => (c.before ? [c.before, c.after] : [c.after]))) {
    const periods = byVillage.get(f.orgId) ?? new Map<string, PeriodSpec>();
    byVillage.set(f.orgId, periods);
    for (const kind of ['week', 'month'] as const) {
      const p = periodOf(kind, f.visitedOn);
      periods.set(`${kind}:${p.start}`, { kind, ...p });
    }
  }
  const groups = new Map<string, { villages: string[]; periods: PeriodSpec[] }>();
  for (const [village, periods] of byVillage) {
    const key = [...periods.keys()].sort().join();
    const g = groups.get(key) ?? { villages: [], periods: [...periods.values()] };
    g.villages.push(village);
    groups.set(key, g);
  }
  for (const g of groups.values()) await repo.recomputeCompletion(tx, g.villages, g.periods);
}

// ---------------------------------------------------------------------------------------------------------------
// Jobs

/** The hourly recompute: this month so far (and, in a month's first week, the last month: its last week ends now). */
export async function recomputeAll(db: Db, day = todayInShanghai()): Promise<{ periods: number }> {
  await defaultsOnce(db);
  const periods = monthPeriods(monthStart(day), day);
  if (day < addDays(monthStart(day), 7)) periods.push(...monthPeriods(previousMonthStart(day), day));
  // A town at a time, each in its own short transaction holding the drain (so no drain commits fresher figures that
  // this would overwrite): the drain waits for one town's recount, not the whole zone's, and its lag stays short.
  for (const villages of await repo.villagesByParent(db)) {
    await db.transaction(async (tx) => {
      await holdVisitChanges(tx);
      await repo.recomputeCompletion(tx, villages, periods);
    });
  }
  return { periods: periods.length };
}

interface PersonDue { overdue: number; due: number; names: string[] }

async function dueByPerson(db: Db, personWhere: SQL, day: string): Promise<Map<string, PersonDue>> {
  await defaultsOnce(db);
  const periods = duePeriods(day);
  const prevStart = (period: 'week' | 'month') => (period === 'week' ? periods.prevWeek.start : periods.prevMonth.start);
  const [rows, away] = await Promise.all([repo.dueRows(db, personWhere, periods, false), repo.awayRows(db, personWhere, periods, false)]);
  const out = new Map<string, PersonDue>();
  const add = (person: string, status: DueStatus | null, name: string) => {
    if (status !== 'due' && status !== 'overdue') return;
    const d = out.get(person) ?? { overdue: 0, due: 0, names: [] };
    d[status] += 1;
    d.names.push(name);
    out.set(person, d);
  };
  for (const r of rows) if (r.period) add(r.person_id, dueStatusOf(r.min_visits, r.n_cur, r.n_prev, r.starts_on, prevStart(r.period)), r.name);
  for (const a of away) if (a.period) add(a.person_id, dueStatusOf(a.min_visits, a.n_cur, a.n_prev, a.starts_on, prevStart(a.period)), `${a.name}（在外）`);
  return out;
}

const listNames = (names: string[], max: number) => (names.length > max ? `${names.slice(0, max).join('、')} 等 ${names.length} 个` : names.join('、'));

/** Daily 08:00: each member with an account hears of their due and overdue visits, once per day (dedupe key). */
export async function runReminders(db: Db, day = todayInShanghai()): Promise<{ notified: number; people: number }> {
  const accounts = await repo.accountsOfPeople(db);
  const byPerson = await dueByPerson(db, sql`l.person_id IN (SELECT a.person_id FROM accounts a WHERE a.person_id IS NOT NULL AND NOT a.disabled)`, day);
  const items: NewNotification[] = [];
  const seen = new Set<string>();
  for (const a of accounts) {
    const d = byPerson.get(a.person_id);
    if (!d || seen.has(a.person_id)) continue;
    seen.add(a.person_id);
    items.push({
      accountId: a.account_id, kind: d.overdue ? 'visit_overdue' : 'visit_due',
      title: d.overdue ? `有 ${d.overdue} 个走访对象已逾期，${d.due} 个待走访` : `有 ${d.due} 个走访对象待走访`,
      body: listNames(d.names, 5), link: '/', dedupeKey: `visit-due:${a.person_id}:${day}`,
    });
  }
  return { notified: await notify(db, items), people: items.length };
}

/** Monday 08:00: each secretary hears which members of their branch have overdue visits, once per week. */
export async function runDigest(db: Db, day = todayInShanghai()): Promise<{ notified: number; behind: number }> {
  const byPerson = await dueByPerson(db, sql`true`, day);
  const behind = (await repo.peopleWithPaths(db, [...byPerson].filter(([, d]) => d.overdue > 0).map(([id]) => id)))
    .sort((a, b) => byPerson.get(b.id)!.overdue - byPerson.get(a.id)!.overdue || zh.compare(a.name, b.name));
  const items: NewNotification[] = [];
  for (const s of await repo.secretaries(db)) {
    const mine = behind.filter((p) => isWithin(p.org_path, s.org_path));
    if (!mine.length) continue;
    items.push({
      accountId: s.account_id, kind: 'weekly_digest',
      title: `本周走访情况：${s.org_name}有 ${mine.length} 名党员存在逾期未走访`,
      body: listNames(mine.map((p) => `${p.name}（逾期 ${byPerson.get(p.id)!.overdue} 个）`), 20),
      link: '/visit-completion', dedupeKey: `visit-digest:${s.account_id}:${weekStart(day)}`,
    });
  }
  return { notified: await notify(db, items), behind: behind.length };
}
