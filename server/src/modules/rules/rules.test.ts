import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import type { Db } from '../../db/client.ts';
import { addDays, periodOf, previousPeriod, shanghaiDay, startOfShanghaiDay, todayInShanghai } from '../../lib/dates.ts';
import { drainVisitChanges, enqueueVisitChange, type VisitFacts } from '../visits/visits.service.ts';
import { recomputeCompletion } from './rules.repo.ts';
import { monthPeriods, recomputeAll, refreshCompletion, runDigest, runReminders } from './rules.service.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let v: { own: string; neighbour: string; otherTown: string };
const ZONE = '419001000000';
const KEJING = '419001100000';
const VILLAGE = '419001100291';

const day = todayInShanghai();
const month = periodOf('month', day);
const prevMonth = previousPeriod('month', day);
const prevWeek = previousPeriod('week', day);
/** An instant `seconds` after a Shanghai day starts (negative: before). */
const at = (d: string, seconds = 0) => new Date(startOfShanghaiDay(d).getTime() + seconds * 1000);

function req(role: string, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
const db = () => t.database.db;
async function one<T>(q: ReturnType<typeof sql>): Promise<T> {
  return (await db().execute(q)).rows[0] as T;
}

let enteredBy: string;
/**
 * Records a visit the way the visits module does (its rows, its rollups for week and month — an away resident's only
 * through phone/WeChat/video — and the queued change) in one transaction, then drains the queue as the app does: rule
 * completion listens to exactly that.
 */
async function visit(f: { personId: string; householdId?: string; businessId?: string; orgId: string; at: Date; channel: string; residentIds?: string[] }): Promise<VisitFacts> {
  const facts: VisitFacts = {
    id: randomUUID(), personId: f.personId, householdId: f.householdId ?? null, businessId: f.businessId ?? null, orgId: f.orgId,
    visitedAt: f.at, visitedOn: shanghaiDay(f.at), channel: f.channel, residentIds: f.residentIds ?? [],
  };
  await db().transaction(async (tx) => {
    await tx.execute(sql`INSERT INTO visits (id, person_id, basis, household_id, business_id, org_id, visited_at, visited_on, channel, entered_by, content_hash)
      VALUES (${facts.id}, ${facts.personId}, 'link', ${facts.householdId}, ${facts.businessId}, ${facts.orgId}, ${facts.visitedAt}, ${facts.visitedOn}, ${facts.channel}, ${enteredBy}, 'x')`);
    for (const r of facts.residentIds) await tx.execute(sql`INSERT INTO visit_residents (visit_id, resident_id) VALUES (${facts.id}, ${r})`);
    await periods(tx, facts, 1);
    await enqueueVisitChange(tx as unknown as Db, { after: facts, before: null });
  });
  await drainVisitChanges(db());
  return facts;
}

/** The visits module's constituent-period rollup moves for the constituent and the away residents reached. */
async function periods(tx: Pick<Db, 'execute'>, f: VisitFacts, delta: number) {
  const reached = ['phone', 'wechat', 'video'].includes(f.channel)
    ? (await tx.execute<{ id: string }>(sql`SELECT id FROM residents WHERE away_scope IS NOT NULL AND id = ANY(${`{${f.residentIds.join(',')}}`}::uuid[])`)).rows.map((r) => r.id)
    : [];
  for (const cid of [f.householdId ?? f.businessId!, ...reached]) {
    for (const kind of ['week', 'month'] as const) {
      await tx.execute(sql`INSERT INTO visit_constituent_periods (constituent_id, period_kind, period_start, visits, last_visited_at)
        VALUES (${cid}, ${kind}, ${periodOf(kind, f.visitedOn).start}, ${delta}, ${f.visitedAt})
        ON CONFLICT (constituent_id, period_kind, period_start) DO UPDATE SET visits = visit_constituent_periods.visits + ${delta}`);
    }
  }
}

/** A correction of the channel, as the visits module makes it: rows, rollups and the queued change (before → after); then drained. */
async function correctChannel(before: VisitFacts, channel: string): Promise<void> {
  const after = { ...before, channel };
  await db().transaction(async (tx) => {
    await tx.execute(sql`UPDATE visits SET channel = ${channel} WHERE id = ${before.id}`);
    await periods(tx, before, -1);
    await periods(tx, after, 1);
    await enqueueVisitChange(tx as unknown as Db, { after, before });
  });
  await drainVisitChanges(db());
}

const f: Record<string, string> = {};
async function insertId(q: ReturnType<typeof sql>): Promise<string> {
  return (await one<{ id: string }>(q)).id;
}
async function household(name: string, tags: string[] = []): Promise<string> {
  return insertId(sql`INSERT INTO households (org_id, address, head_name, tags) VALUES (${f.village}, ${`规则村 ${name}`}, ${name}, ${`{${tags.join(',')}}`}::text[]) RETURNING id`);
}
async function resident(householdId: string, name: string, awayScope: string | null): Promise<string> {
  return insertId(sql`INSERT INTO residents (household_id, name, sex, birth_date, relation, id_number_enc, id_number_hash, away_scope)
    VALUES (${householdId}, ${name}, 'M', '1990-01-01', '子', 'not-encrypted-test-value', ${randomUUID()}, ${awayScope}) RETURNING id`);
}
async function link(personId: string, c: { householdId?: string; businessId?: string }, startsOn: string, endsOn: string | null = null) {
  await db().execute(sql`INSERT INTO links (person_id, household_id, business_id, role, org_id, starts_on, ends_on)
    VALUES (${personId}, ${c.householdId ?? null}, ${c.businessId ?? null}, 'primary', ${f.village}, ${startsOn}, ${endsOn})`);
}

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'town', 'secretary', 'member', 'leader']) s[r] = await login(t.app, r);
  v = await scopeVillages(t);
  enteredBy = (await one<{ id: string }>(sql`SELECT id FROM accounts WHERE username = 'member'`)).id;
  f.member = (await one<{ person_id: string }>(sql`SELECT person_id FROM accounts WHERE username = 'member'`)).person_id;
  // The member's demo links end (never held), so 今天 lists this file's fixtures only.
  await db().execute(sql`UPDATE links SET ends_on = starts_on WHERE person_id = ${f.member} AND ends_on IS NULL`);
  await db().execute(sql`
    INSERT INTO orgs (code, name, short_name, level, parent_id, path, depth, pinyin_initials, pinyin, valid_from)
    SELECT ${VILLAGE}, '规则测试村', '规则测试村', 'village', id, path || '/' || ${VILLAGE}, depth + 1, 'gzcsc', 'guizeceshicun', '2020-01-01'
    FROM orgs WHERE code = ${KEJING}`);
  f.village = (await one<{ id: string }>(sql`SELECT id FROM orgs WHERE code = ${VILLAGE}`)).id;
  f.q = await insertId(sql`INSERT INTO people (org_id, kind, name, sex) VALUES (${f.village}, 'member', '规则党员乙', 'M') RETURNING id`);
  const long = addDays(prevMonth.start, -60);
  f.h1 = await household('甲一');
  f.r1 = await resident(f.h1, '在外甲', 'province');
  f.r2 = await resident(f.h1, '在外乙', 'city');
  f.r3 = await resident(f.h1, '在家丙', null);
  f.h2 = await household('乙二');
  f.h3 = await household('丙三', ['低保']);
  f.h4 = await household('丁四');
  f.h5 = await household('戊五');
  f.e1 = await insertId(sql`INSERT INTO businesses (kind, org_id, name, address) VALUES ('enterprise', ${f.village}, '规则企业', '规则村 企业') RETURNING id`);
  for (const h of [f.h1, f.h2, f.h3]) await link(f.member, { householdId: h }, long);
  await link(f.member, { householdId: f.h4 }, day);
  // 戊五 changes hands in the middle of last month: 乙 to 10th, the member from then on.
  await link(f.q, { householdId: f.h5 }, long, addDays(prevMonth.start, 10));
  await link(f.member, { householdId: f.h5 }, addDays(prevMonth.start, 10));
  await link(f.q, { businessId: f.e1 }, long);

  const base = { orgId: f.village };
  // 甲一: once last month, twice this month from its first second (window edge); its away residents: 甲 by phone, 乙 in person.
  await visit({ ...base, personId: f.member, householdId: f.h1, at: at(addDays(prevMonth.start, 5), 3600), channel: 'in_person' });
  await visit({ ...base, personId: f.member, householdId: f.h1, at: at(month.start), channel: 'in_person', residentIds: [f.r2] });
  await visit({ ...base, personId: f.member, householdId: f.h1, at: at(month.start, 600), channel: 'phone', residentIds: [f.r1] });
  // 乙二: once, in the last second of last month (counts for last month only): last month unmet → overdue.
  await visit({ ...base, personId: f.member, householdId: f.h2, at: at(month.start, -1), channel: 'evening' });
  // 丙三 (低保, weekly): in the last second of last week: last week met, this week not yet → due.
  await visit({ ...base, personId: f.member, householdId: f.h3, at: at(prevWeek.end, -1), channel: 'in_person' });
  // 戊五: 乙 on the 3rd and the member on the 16th of last month: last month met (2) under two holders.
  await visit({ ...base, personId: f.q, householdId: f.h5, at: at(addDays(prevMonth.start, 2), 3600), channel: 'in_person' });
  await visit({ ...base, personId: f.member, householdId: f.h5, at: at(addDays(prevMonth.start, 15), 3600), channel: 'in_person' });
  // 规则企业 (乙): once this month → met.
  await visit({ ...base, personId: f.q, businessId: f.e1, at: at(month.start, 7200), channel: 'in_person' });
  await db().execute(sql`INSERT INTO item_categories (code, name) VALUES ('rules_test', '规则测试') ON CONFLICT DO NOTHING`);
  await db().execute(sql`INSERT INTO raised_items (visit_id, seq, household_id, org_id, category, description, urgency)
    SELECT id, 1, household_id, org_id, 'rules_test', '路灯不亮', 'urgent' FROM visits WHERE household_id = ${f.h2}`);
});
afterAll(async () => { await t.close(); });

describe('visit rules: defaults, overrides, where each comes from', () => {
  const rulesOf = async (role: string, org?: string) => {
    const res = await req(role, 'GET', `/api/v1/visit-rules${org ? `?org=${org}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };
  const find = (view: { rules: { kind: string; tag: string }[] }, kind: string, tag = '') => view.rules.find((r) => r.kind === kind && r.tag === tag) as Record<string, unknown>;

  it('returns 200 with the MISSION defaults from the zone (households 2/month, vulnerable weekly, businesses monthly, away residents monthly by phone/WeChat/video)', async () => {
    const zone = await rulesOf('office');
    expect(zone.org).toMatchObject({ code: ZONE, level: 'zone' });
    expect(zone.editable).toBe(true);
    expect(find(zone, 'household')).toMatchObject({ period: 'month', minVisits: 2, channels: null, inherited: false, tagName: '全部' });
    expect(find(zone, 'household', '*')).toMatchObject({ period: 'week', minVisits: 1, tagName: '困难群体（任一困难标签）' });
    expect(find(zone, 'enterprise')).toMatchObject({ period: 'month', minVisits: 1 });
    expect(find(zone, 'shop')).toMatchObject({ period: 'month', minVisits: 1 });
    expect(find(zone, 'away_resident')).toMatchObject({ period: 'month', minVisits: 1, channels: ['phone', 'wechat', 'video'] });
    const village = await rulesOf('office', v.neighbour);
    expect(find(village, 'household')).toMatchObject({ inherited: true, source: { code: ZONE, level: 'zone' } });
    expect(village.ancestors.map((a: { code: string }) => a.code)).toEqual([ZONE, KEJING]);
  });

  it('returns 200 for a town override the village inherits, then the village own; DELETE reverts to the inherited one; both audited before → after', async () => {
    const put = await req('town', 'PUT', '/api/v1/visit-rules', { org: KEJING, kind: 'household', period: 'month', minVisits: 3 });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().data).toMatchObject({ minVisits: 3, source: { code: KEJING, level: 'town' }, inherited: false });
    expect(find(await rulesOf('secretary', v.own), 'household')).toMatchObject({ minVisits: 3, inherited: true, source: { code: KEJING } });
    const own = await req('office', 'PUT', '/api/v1/visit-rules', { org: v.neighbour, kind: 'household', period: 'week', minVisits: 1, channels: ['in_person', 'in_person'] });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().data).toMatchObject({ period: 'week', minVisits: 1, channels: ['in_person'], inherited: false, source: { code: v.neighbour } });
    const again = await req('office', 'PUT', '/api/v1/visit-rules', { org: v.neighbour, kind: 'household', period: 'week', minVisits: 2 });
    expect(again.json().data.id).toBe(own.json().data.id);
    const audit = await one<{ before: unknown; after: unknown }>(sql`
      SELECT before, after FROM audit_events WHERE action = 'visit_rule.set' AND entity_id = ${`${v.neighbour}:household:`} ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ before: { period: 'week', minVisits: 1, channels: ['in_person'] }, after: { period: 'week', minVisits: 2, channels: null } });

    const del = await req('office', 'DELETE', `/api/v1/visit-rules/${own.json().data.id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json().data.effective).toMatchObject({ minVisits: 3, source: { code: KEJING } });
    expect(await one(sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'visit_rule.delete'`)).toEqual({ n: 1 });
    const town = (await rulesOf('town', KEJING));
    const del2 = await req('town', 'DELETE', `/api/v1/visit-rules/${find(town, 'household').id}`);
    expect(del2.json().data.effective).toMatchObject({ minVisits: 2, source: { code: ZONE } });
  });

  it('returns 400 for a zone base rule delete, a tag on a business rule, an unknown tag, an away resident visited in person, and a grid', async () => {
    const zone = await rulesOf('office');
    expect((await req('office', 'DELETE', `/api/v1/visit-rules/${find(zone, 'household').id}`)).statusCode).toBe(400);
    expect((await req('office', 'PUT', '/api/v1/visit-rules', { org: ZONE, kind: 'shop', tag: '低保', period: 'month', minVisits: 1 })).statusCode).toBe(400);
    expect((await req('office', 'PUT', '/api/v1/visit-rules', { org: ZONE, kind: 'household', tag: '没有的标签', period: 'month', minVisits: 1 })).statusCode).toBe(400);
    expect((await req('office', 'PUT', '/api/v1/visit-rules', { org: ZONE, kind: 'away_resident', period: 'month', minVisits: 1, channels: ['in_person'] })).statusCode).toBe(400);
    expect((await req('office', 'PUT', '/api/v1/visit-rules', { org: ZONE, kind: 'household', period: 'day', minVisits: 1 })).statusCode).toBe(400);
    expect((await req('office', 'PUT', '/api/v1/visit-rules', { org: ZONE, kind: 'household', period: 'month', minVisits: 40 })).statusCode).toBe(400);
    expect(find(await rulesOf('office'), 'household')).toMatchObject({ minVisits: 2 });
  });

  it('returns 403 to a secretary writing and a member reading; 404 to a town for another town or the zone; a secretary reads, not editable', async () => {
    expect((await req('secretary', 'PUT', '/api/v1/visit-rules', { org: v.own, kind: 'household', period: 'month', minVisits: 1 })).statusCode).toBe(403);
    expect((await req('member', 'GET', '/api/v1/visit-rules')).statusCode).toBe(403);
    expect((await req('town', 'PUT', '/api/v1/visit-rules', { org: v.otherTown, kind: 'household', period: 'month', minVisits: 1 })).statusCode).toBe(404);
    expect((await req('town', 'PUT', '/api/v1/visit-rules', { org: ZONE, kind: 'household', period: 'month', minVisits: 1 })).statusCode).toBe(404);
    expect((await req('town', 'GET', `/api/v1/visit-rules?org=${v.otherTown}`)).statusCode).toBe(404);
    expect((await rulesOf('secretary')).editable).toBe(false);
    const zoneRule = find(await rulesOf('office'), 'enterprise');
    expect((await req('town', 'DELETE', `/api/v1/visit-rules/${zoneRule.id}`)).statusCode).toBe(404);
  });
});

describe('今天: the member\'s due list', () => {
  it('returns 200 with overdue first, vulnerable first among due, done last; last visit, open items and away residents\' last reached', async () => {
    const res = await req('member', 'GET', '/api/v1/today');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    expect(d.person.id).toBe(f.member);
    expect(d.items.map((i: { name: string; status: string }) => `${i.name}:${i.status}`)).toEqual(['乙二:overdue', '丙三:due', '丁四:due', '戊五:due', '甲一:done']);
    expect(d.counts).toEqual({ overdue: 1, due: 3, done: 1, total: 5 });
    const [h2, h3, h4, h5, h1] = d.items;
    expect(h2).toMatchObject({ visitsThisPeriod: 0, vulnerable: false, lastVisit: { channel: 'evening', at: at(month.start, -1).toISOString() }, rule: { period: 'month', minVisits: 2, periodStart: month.start } });
    expect(h2.openItems).toMatchObject({ count: 1, items: [{ description: '路灯不亮', urgency: 'urgent', categoryName: '规则测试' }] });
    expect(h3).toMatchObject({ vulnerable: true, tags: ['低保'], rule: { period: 'week', minVisits: 1 }, visitsThisPeriod: 0 });
    expect(h4.lastVisit).toBeNull();
    expect(h5.lastVisit).toMatchObject({ personName: expect.any(String) });
    expect(h1).toMatchObject({ visitsThisPeriod: 2, lastVisit: { channel: 'phone' } });
    const away = Object.fromEntries(h1.awayResidents.map((a: { name: string }) => [a.name, a]));
    expect(away['在外甲']).toMatchObject({ status: 'done', lastReachedChannel: 'phone', lastReachedAt: at(month.start, 600).toISOString(), visitsThisPeriod: 1 });
    // Took part in person: not reached (away residents count through phone, WeChat or video only).
    expect(away['在外乙']).toMatchObject({ status: 'overdue', lastReachedAt: null, visitsThisPeriod: 0 });
    expect(d.away).toEqual({ total: 2, reached: 1 });
    // Those at home, for the visit form with no network (the away ones are listed above, not here).
    expect(h1.homeResidents).toEqual([{ id: f.r3, name: '在家丙', relation: '子' }]);
    expect(h2.homeResidents).toEqual([]);
  });

  it('returns 200 to the secretary for a member of the branch (代录), 404 for a person elsewhere, 404 to a member asking for someone else', async () => {
    const res = await req('secretary', 'GET', `/api/v1/today?person=${f.member}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.items).toHaveLength(5);
    // 乙 belongs to another village of the town: not the secretary's branch.
    expect((await req('secretary', 'GET', `/api/v1/today?person=${f.q}`)).statusCode).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/today?person=${randomUUID()}`)).statusCode).toBe(404);
    expect((await req('member', 'GET', `/api/v1/today?person=${f.q}`)).statusCode).toBe(404);
    expect((await req('office', 'GET', '/api/v1/today')).statusCode).toBe(404);
  });
});

describe('rule completion per level', () => {
  const weeksIn = (m: { start: string; end: string }) => monthPeriods(m.start, day).filter((p) => p.kind === 'week');
  const lastWeekIn = (m: { start: string; end: string }) => Number(prevWeek.start >= m.start && prevWeek.start < m.end);
  const completion = async (role: string, org: string, monthParam?: string) => {
    const res = await req(role, 'GET', `/api/v1/visit-completion?org=${org}${monthParam ? `&month=${monthParam}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };

  it('returns the hand-computed village figures, the members\' split (link change mid-month goes to the last holder) and the change vs last month', async () => {
    await db().transaction(async (tx) => {
      await recomputeCompletion(tx, [f.village], monthPeriods(prevMonth.start, day));
      await recomputeCompletion(tx, [f.village], monthPeriods(month.start, day));
    });
    const w = weeksIn(month).length;
    const wp = weeksIn(prevMonth).length;
    // This month: 甲一 met, 在外甲 met, 在外乙, 乙二, 丁四, 戊五 not; 丙三 once per week (last week's met if it began this month); 企业 met.
    const cur = { due: 7 + w, met: 3 + lastWeekIn(month) };
    // Last month: 甲一 (1 of 2), 在外甲, 在外乙, 乙二 (1) not; 戊五 met (2, two holders); 企业 not; 丙三 weekly; 丁四 not linked yet.
    const prev = { due: 6 + wp, met: 1 + lastWeekIn(prevMonth) };
    const pct = (x: { due: number; met: number }) => Math.round((x.met / x.due) * 1000) / 10;

    const village = await completion('office', VILLAGE);
    expect(village.self.current).toEqual({ ...cur, percent: pct(cur) });
    expect(village.self.previous).toEqual({ ...prev, percent: pct(prev) });
    expect(village.self.change).toBe(Math.round((pct(cur) - pct(prev)) * 10) / 10);
    const members = Object.fromEntries(village.children.map((c: { personId: string }) => [c.personId, c]));
    expect(members[f.member]).toMatchObject({ kind: 'member', current: { due: 6 + w, met: 2 + lastWeekIn(month) }, previous: { due: 5 + wp, met: 1 + lastWeekIn(prevMonth) } });
    expect(members[f.q]).toMatchObject({ current: { due: 1, met: 1 }, previous: { due: 1, met: 0 } });

    const town = await completion('town', KEJING);
    const row = town.children.find((c: { code: string }) => c.code === VILLAGE);
    expect(row).toMatchObject({ kind: 'org', current: { ...cur } });
    expect(town.asOf).toEqual(expect.any(String));
  });

  it('moves met in the visit\'s transaction when a constituent reaches its minimum, and back on a correction, equal to a full recompute', async () => {
    const before = (await completion('town', VILLAGE)).self.current;
    const base = { orgId: f.village, personId: f.member };
    await visit({ ...base, householdId: f.h2, at: at(month.start, 60), channel: 'in_person' });
    expect((await completion('town', VILLAGE)).self.current.met).toBe(before.met);
    await visit({ ...base, householdId: f.h2, at: at(month.start, 120), channel: 'wechat' });
    expect((await completion('town', VILLAGE)).self.current.met).toBe(before.met + 1);
    const reach = await visit({ ...base, householdId: f.h1, at: at(month.start, 180), channel: 'video', residentIds: [f.r2] });
    expect((await completion('town', VILLAGE)).self.current.met).toBe(before.met + 2);
    await correctChannel(reach, 'in_person');
    const incremental = (await completion('town', VILLAGE)).self.current;
    expect(incremental.met).toBe(before.met + 1);
    await db().transaction(async (tx) => recomputeCompletion(tx, [f.village], monthPeriods(month.start, day)));
    expect((await completion('town', VILLAGE)).self.current).toEqual(incremental);
    await recomputeAll(db(), day);
    expect((await completion('town', VILLAGE)).self.current).toEqual(incremental);
  });

  it('counts a constituent once when its two reaching visits commit concurrently', async () => {
    const start = (await completion('town', VILLAGE)).self.current;
    const h6 = await household('己六');
    await link(f.member, { householdId: h6 }, addDays(prevMonth.start, -60));
    await db().transaction(async (tx) => refreshCompletion(tx, [f.village]));
    const before = (await completion('town', VILLAGE)).self.current;
    expect(before).toMatchObject({ due: start.due + 1, met: start.met });
    const base = { orgId: f.village, personId: f.member, householdId: h6, channel: 'in_person' };
    await Promise.all([visit({ ...base, at: at(month.start, 300) }), visit({ ...base, at: at(month.start, 360) })]);
    expect((await completion('town', VILLAGE)).self.current).toEqual({ ...before, met: before.met + 1, percent: Math.round(((before.met + 1) / before.due) * 1000) / 10 });
  });

  it('returns 404 out of scope and 403 to a member; 400 for a bad month', async () => {
    expect((await req('secretary', 'GET', `/api/v1/visit-completion?org=${v.otherTown}`)).statusCode).toBe(404);
    expect((await req('town', 'GET', `/api/v1/visit-completion?org=${v.otherTown}`)).statusCode).toBe(404);
    expect((await req('member', 'GET', '/api/v1/visit-completion')).statusCode).toBe(403);
    expect((await req('office', 'GET', '/api/v1/visit-completion?month=2026-13')).statusCode).toBe(400);
    const zone = await completion('office', ZONE);
    expect(zone.children.map((c: { code: string }) => c.code)).toContain(KEJING);
  });
});

describe('reminder and digest jobs', () => {
  it('notifies the member once a day of due and overdue visits, and the secretary once a week of members behind', async () => {
    const first = await runReminders(db(), day);
    expect(first.notified).toBeGreaterThan(0);
    const n = await one<{ kind: string; title: string; body: string }>(sql`
      SELECT kind, title, body FROM notifications WHERE dedupe_key = ${`visit-due:${f.member}:${day}`}`);
    expect(n.kind).toBe('visit_overdue');
    expect(n.title).toMatch(/已逾期/);
    expect(n.body).toContain('在外乙');
    expect((await runReminders(db(), day)).notified).toBe(0);

    const digest = await runDigest(db(), day);
    expect(digest.notified).toBeGreaterThan(0);
    const secretary = await one<{ id: string }>(sql`SELECT id FROM accounts WHERE username = 'secretary'`);
    const d = await one<{ title: string; body: string }>(sql`SELECT title, body FROM notifications WHERE account_id = ${secretary.id} AND kind = 'weekly_digest'`);
    expect(d.body).toContain((await one<{ name: string }>(sql`SELECT name FROM people WHERE id = ${f.member}`)).name);
    expect((await runDigest(db(), day)).notified).toBe(0);
  });
});
