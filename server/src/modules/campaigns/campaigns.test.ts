import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignProgress } from '@lianxin/contracts';
import { login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { addDays, startOfShanghaiDay, todayInShanghai } from '../../lib/dates.ts';
import { drainVisitChanges, enqueueVisitChange, type VisitFacts } from '../visits/visits.service.ts';
import { recountSinceCreation } from './campaigns.repo.ts';
import { sendDeadlineReminders } from './campaigns.service.ts';

/**
 * Campaign arithmetic on hand-computed fixtures. Households, residents, businesses and links are inserted with SQL
 * (the registry's rules are not what is tested here). Visits are written the way the visits module writes them: the
 * visit row (and its visit_residents) and its queued change in one transaction, then the queue drained — the campaign
 * listener registered by the routes plugin moves the progress there. A correction queues { before, after } likewise.
 */
let t: TestApp;
const s: Record<string, Session> = {};
let v: { own: string; neighbour: string; otherTown: string };
let kejing: string[] = [];
const today = todayInShanghai();
const d = (n: number) => addDays(today, n);
let n = 0;
let officeAccount = '';

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'town', 'secretary', 'member', 'leader', 'department']) s[r] = await login(t.app, r);
  v = await scopeVillages(t);
  const { rows } = await t.database.db.execute<{ code: string }>(sql`
    SELECT v.code FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE v.level = 'village' AND p.code = '419001100000' ORDER BY v.sort_key`);
  kejing = rows.map((r) => r.code);
  officeAccount = (await one<{ id: string }>(sql`SELECT id FROM accounts WHERE username = 'office'`)).id;
});
afterAll(async () => { await t.close(); });

async function one<T extends Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T> {
  const { rows } = await t.database.db.execute<T>(q);
  return rows[0] as T;
}
function req(role: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
async function ok<T = unknown>(role: string, method: 'GET' | 'POST', url: string, payload?: unknown, status = 200): Promise<T> {
  const res = await req(role, method, url, payload);
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

async function household(village: string, o: { tags?: string[]; away?: number } = {}): Promise<{ id: string; away: string[] }> {
  const h = await one<{ id: string }>(sql`
    INSERT INTO households (org_id, address, head_name, tags) SELECT id, ${`测试组 ${++n}号`}, ${`户主${n}`}, ${sql.param(o.tags ?? [])}::text[]
    FROM orgs WHERE code = ${village} RETURNING id`);
  const away: string[] = [];
  for (let i = 0; i < (o.away ?? 0); i++) {
    const r = await one<{ id: string }>(sql`
      INSERT INTO residents (household_id, name, sex, birth_date, relation, id_number_enc, id_number_hash, away_scope, away_place)
      VALUES (${h.id}, ${`在外${++n}`}, 'M', '1990-01-01', '子', 'x', ${`hash-${n}-${randomUUID()}`}, 'province', '广州') RETURNING id`);
    away.push(r.id);
  }
  return { id: h.id, away };
}
async function business(village: string, kind: 'enterprise' | 'shop'): Promise<string> {
  return (await one<{ id: string }>(sql`
    INSERT INTO businesses (kind, org_id, name, address) SELECT ${kind}, id, ${`商户${++n}`}, ${`街 ${n}号`} FROM orgs WHERE code = ${village} RETURNING id`)).id;
}
async function person(village: string, name: string): Promise<string> {
  return (await one<{ id: string }>(sql`INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', ${name}, 'M' FROM orgs WHERE code = ${village} RETURNING id`)).id;
}
async function link(personId: string, target: { household?: string; business?: string }, startsOn = d(-60)): Promise<string> {
  return (await one<{ id: string }>(sql`
    INSERT INTO links (person_id, household_id, business_id, role, org_id, starts_on)
    SELECT ${personId}, ${target.household ?? null}, ${target.business ?? null}, 'primary', org_id, ${startsOn}
    FROM ${target.household ? sql`households` : sql`businesses`} WHERE id = ${target.household ?? target.business} RETURNING id`)).id;
}
async function personOfAccount(username: string): Promise<string> {
  return (await one<{ person_id: string }>(sql`SELECT person_id FROM accounts WHERE username = ${username}`)).person_id;
}

/** Records a visit as the visits module does (rows and the queued change in one transaction), then drains. Returns its facts. */
async function visit(x: { person: string; household?: string; business?: string; on: string; channel: string; residents?: string[] }, drain = true): Promise<VisitFacts> {
  const org = await one<{ org_id: string }>(sql`SELECT org_id FROM ${x.household ? sql`households` : sql`businesses`} WHERE id = ${x.household ?? x.business}`);
  const facts: VisitFacts = {
    id: randomUUID(), personId: x.person, householdId: x.household ?? null, businessId: x.business ?? null, orgId: org.org_id,
    visitedAt: new Date(startOfShanghaiDay(x.on).getTime() + 10 * 3600_000), visitedOn: x.on, channel: x.channel, residentIds: x.residents ?? [],
  };
  await t.database.db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO visits (id, person_id, basis, household_id, business_id, org_id, visited_at, visited_on, channel, entered_by, content_hash)
      VALUES (${facts.id}, ${facts.personId}, 'link', ${facts.householdId}, ${facts.businessId}, ${facts.orgId}, ${facts.visitedAt.toISOString()},
              ${facts.visitedOn}, ${facts.channel}, ${officeAccount}, 'test')`);
    for (const r of facts.residentIds) await tx.execute(sql`INSERT INTO visit_residents (visit_id, resident_id) VALUES (${facts.id}, ${r})`);
    await enqueueVisitChange(tx, { after: facts, before: null });
  });
  if (drain) await drainVisitChanges(t.database.db);
  return facts;
}
/** A correction as the visits module writes it: the row updated and { before, after } queued in one transaction; then drained. */
async function correct(before: VisitFacts, change: Partial<Pick<VisitFacts, 'visitedOn' | 'channel' | 'residentIds'>>): Promise<VisitFacts> {
  const after: VisitFacts = { ...before, ...change };
  after.visitedAt = new Date(startOfShanghaiDay(after.visitedOn).getTime() + 10 * 3600_000);
  await t.database.db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE visits SET visited_on = ${after.visitedOn}, visited_at = ${after.visitedAt.toISOString()}, channel = ${after.channel} WHERE id = ${after.id}`);
    await tx.execute(sql`DELETE FROM visit_residents WHERE visit_id = ${after.id}`);
    for (const r of after.residentIds) await tx.execute(sql`INSERT INTO visit_residents (visit_id, resident_id) VALUES (${after.id}, ${r})`);
    await enqueueVisitChange(tx, { after, before });
  });
  await drainVisitChanges(t.database.db);
  return after;
}

interface Figures { total: number; visited: number; awayTotal: number; awayReached: number; percent: number | null }
const fig = (f: Figures) => [f.total, f.visited, f.awayTotal, f.awayReached];
async function create(role: string, body: Record<string, unknown>): Promise<{ id: string; figures: Figures }> {
  return (await ok<{ data: { id: string; figures: Figures } }>(role, 'POST', '/api/v1/campaigns', body, 201)).data;
}
async function progress(role: string, id: string, org?: string): Promise<CampaignProgress> {
  return (await ok<{ data: CampaignProgress }>(role, 'GET', `/api/v1/campaigns/${id}/progress${org ? `?org=${org}` : ''}`)).data;
}
async function figuresOf(id: string, role = 'office'): Promise<number[]> {
  return fig((await ok<{ data: { figures: Figures } }>(role, 'GET', `/api/v1/campaigns/${id}`)).data.figures);
}

describe('a zone campaign: drill-down, scope, pending list, reminders', () => {
  let zc = '';
  let m0 = ''; let sec = '';
  const f: Record<string, string> = {};
  let r1 = '';

  beforeAll(async () => {
    m0 = await personOfAccount('member');
    sec = await personOfAccount('secretary');
    const h1 = await household(v.own, { away: 1 }); f.h1 = h1.id; r1 = h1.away[0]!;
    f.h2 = (await household(v.own)).id;
    f.h3 = (await household(v.own)).id;
    f.s1 = await business(v.own, 'shop');
    f.h4 = (await household(v.neighbour)).id;
    f.h5 = (await household(v.otherTown)).id;
    await link(m0, { household: f.h1 }); await link(m0, { household: f.h2 }); await link(sec, { business: f.s1 });
    await link(await person(v.neighbour, '邻村党员'), { household: f.h4 });
    await link(await person(v.otherTown, '外镇党员'), { household: f.h5 });
    zc = (await create('office', { name: '七一前全部走访一遍', orgCode: '419001000000', startsOn: d(-10), endsOn: d(10), deadline: d(3) })).id;
    // H1 in person with its away resident present: the household counts, the resident is not reached (not contacted themselves).
    await visit({ person: m0, household: f.h1, on: d(-1), channel: 'in_person', residents: [r1] });
    await visit({ person: m0, household: f.h4, on: today, channel: 'phone' });
  });

  it('returns 201 with the targets snapshotted: 6 households/businesses and 1 away resident in the zone', async () => {
    expect(await figuresOf(zc)).toEqual([6, 2, 1, 0]);
  });

  it('returns 200 with towns for the zone, villages for a town, members and 未联户 for a village', async () => {
    const zone = await progress('office', zc);
    expect(zone.rowsAre).toBe('orgs');
    expect(fig(zone.totals)).toEqual([6, 2, 1, 0]);
    expect(zone.totals.percent).toBe(33.3);
    const rows = Object.fromEntries(zone.rows.map((r) => [r.org!.code, r.figures]));
    expect(fig(rows['419001100000']!)).toEqual([5, 2, 1, 0]);
    expect(rows['419001100000']!.percent).toBe(40);
    expect(fig(rows['419001101000']!)).toEqual([1, 0, 0, 0]);
    expect(zone.asOf).toMatch(/^\d{4}-/);

    const town = await progress('office', zc, '419001100000');
    expect(town.trail.map((o) => o.code)).toEqual(['419001000000']);
    const villages = Object.fromEntries(town.rows.map((r) => [r.org!.code, r.figures]));
    expect(fig(villages[v.own]!)).toEqual([4, 1, 1, 0]);
    expect(villages[v.own]!.percent).toBe(25);
    expect(fig(villages[v.neighbour]!)).toEqual([1, 1, 0, 0]);

    const village = await progress('office', zc, v.own);
    expect(village.rowsAre).toBe('members');
    const members = Object.fromEntries(village.rows.map((r) => [r.person?.id ?? 'none', r.figures]));
    expect(fig(members[m0]!)).toEqual([2, 1, 1, 0]);
    expect(fig(members[sec]!)).toEqual([1, 0, 0, 0]);
    expect(fig(members.none!)).toEqual([1, 0, 0, 0]);
    expect(village.previous).toBeNull();
  });

  it('returns the secretary their own village of the zone campaign, and 404 for a neighbour village or the town', async () => {
    expect(await figuresOf(zc, 'secretary')).toEqual([4, 1, 1, 0]);
    const mine = await progress('secretary', zc);
    expect(mine.org.code).toBe(v.own);
    expect(mine.rowsAre).toBe('members');
    expect((await req('secretary', 'GET', `/api/v1/campaigns/${zc}/progress?org=${v.neighbour}`)).statusCode).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/campaigns/${zc}/progress?org=419001100000`)).statusCode).toBe(404);
    const list = await ok<{ data: { id: string }[]; abilities: { create: boolean } }>('secretary', 'GET', '/api/v1/campaigns');
    expect(list.data.map((c) => c.id)).toContain(zc);
    expect(list.abilities.create).toBe(false);
  });

  it('returns 403 to roles without campaigns.read (member, department) and 200 to the leader', async () => {
    expect((await req('member', 'GET', '/api/v1/campaigns')).statusCode).toBe(403);
    expect((await req('department', 'GET', '/api/v1/campaigns')).statusCode).toBe(403);
    expect((await req('department', 'GET', `/api/v1/campaigns/${zc}`)).statusCode).toBe(404);
    expect(await figuresOf(zc, 'leader')).toEqual([6, 2, 1, 0]);
    expect((await req('office', 'GET', '/api/v1/campaigns/not-a-uuid')).statusCode).toBe(404);
    expect((await req('office', 'GET', `/api/v1/campaigns/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('returns the pending targets of a village in pages, of one member, and 400 for a bad cursor', async () => {
    type Page = { data: { id: string; kind: string; name: string; person: { id: string } | null; awayPlace: string | null }[]; nextCursor: string | null; total: number };
    const p1 = await ok<Page>('secretary', 'GET', `/api/v1/campaigns/${zc}/pending?org=${v.own}&limit=2`);
    expect(p1.total).toBe(4);
    expect(p1.data).toHaveLength(2);
    const p2 = await ok<Page>('secretary', 'GET', `/api/v1/campaigns/${zc}/pending?org=${v.own}&limit=2&cursor=${p1.nextCursor}`);
    expect(p2.nextCursor).toBeNull();
    const ids = [...p1.data, ...p2.data].map((x) => x.id);
    expect(new Set(ids)).toEqual(new Set([f.h2, f.h3, f.s1, r1]));
    const away = [...p1.data, ...p2.data].find((x) => x.id === r1)!;
    expect(away.kind).toBe('away_resident');
    expect(away.awayPlace).toBe('省外 广州');
    const mine = await ok<Page>('secretary', 'GET', `/api/v1/campaigns/${zc}/pending?person=${m0}`);
    expect(new Set(mine.data.map((x) => x.id))).toEqual(new Set([f.h2, r1]));
    expect((await req('secretary', 'GET', `/api/v1/campaigns/${zc}/pending?cursor=xyz`)).statusCode).toBe(400);
    expect((await req('secretary', 'GET', `/api/v1/campaigns/${zc}/pending?org=${v.neighbour}`)).statusCode).toBe(404);
  });

  it('returns 200 with an xlsx of the pending list and audits the export', async () => {
    const res = await req('secretary', 'GET', `/api/v1/campaigns/${zc}/pending/export?org=${v.own}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const a = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'campaign.export_pending' AND entity_id = ${zc}`);
    expect(a.n).toBe(1);
  });

  it('notifies each member with an account and unvisited targets 3 days before the deadline, once however often the job runs', async () => {
    const first = await sendDeadlineReminders(t.database.db, today);
    // The demo member (H2 and the away resident pending) and the secretary (S1 pending) have accounts; the others do not.
    expect(first).toEqual({ notified: 2, due: 2 });
    expect((await sendDeadlineReminders(t.database.db, today)).notified).toBe(0);
    const note = await one<{ title: string }>(sql`
      SELECT n.title FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.username = 'member' AND n.kind = 'campaign_deadline'`);
    expect(note.title).toContain('还有 2 个对象未走访');
    expect((await sendDeadlineReminders(t.database.db, d(1))).due).toBe(0);
  });

  it('returns 403 when a secretary tries to close it', async () => {
    expect((await req('secretary', 'POST', `/api/v1/campaigns/${zc}/close`)).statusCode).toBe(403);
  });
});

describe('window edges, away residents by phone vs in person, reassignment, corrections, close, previous campaign', () => {
  let village = '';
  let a = ''; let b = '';
  let ha: { id: string; away: string[] }; let hb = ''; let hc = '';
  let c2 = '';
  let haVisit: VisitFacts;
  let raPhone: VisitFacts;

  beforeAll(async () => {
    village = kejing[2]!;
    a = await person(village, '甲党员');
    b = await person(village, '乙党员');
    ha = await household(village, { away: 2 });
    hb = (await household(village)).id;
    hc = (await household(village)).id;
    await link(a, { household: ha.id });
    await link(a, { household: hb });
    // Recorded before the campaign is created: before the window (not counted) and on its first day (counted at creation).
    await visit({ person: a, household: ha.id, on: d(-7), channel: 'in_person' });
    await visit({ person: a, household: ha.id, on: d(-6), channel: 'phone', residents: [ha.away[0]!] });
  });

  it('returns 201 and counts visits already in the window at creation: the first day counts, the day before does not', async () => {
    const c = await create('town', { name: '春节走访', orgCode: village, startsOn: d(-6), endsOn: d(4) });
    c2 = c.id;
    // The phone call on the first day reached RA1 and also reached household HA (a visit to the household by phone).
    expect(fig(c.figures)).toEqual([3, 1, 2, 1]);
  });

  it('counts a visit on the last day, not the day after or before the first; an in-person visit does not reach an away resident', async () => {
    await visit({ person: a, household: hc, on: d(5), channel: 'in_person' });
    await visit({ person: a, household: hc, on: d(-7), channel: 'in_person' });
    expect(await figuresOf(c2)).toEqual([3, 1, 2, 1]);
    haVisit = await visit({ person: a, household: ha.id, on: d(4), channel: 'in_person', residents: [ha.away[1]!] });
    expect(await figuresOf(c2)).toEqual([3, 1, 2, 1]);
    raPhone = await visit({ person: a, household: ha.id, on: d(0), channel: 'video', residents: [ha.away[1]!] });
    expect(await figuresOf(c2)).toEqual([3, 1, 2, 2]);
  });

  it('keeps a target with the member who held it at creation when it is reassigned mid-window, and counts the new holder\'s visit', async () => {
    await t.database.db.execute(sql`UPDATE links SET ends_on = ${d(-2)}, end_reason = 'reassigned' WHERE household_id = ${hb} AND ends_on IS NULL`);
    await link(b, { household: hb }, d(-2));
    await visit({ person: b, household: hb, on: d(-1), channel: 'phone' });
    expect(await figuresOf(c2)).toEqual([3, 2, 2, 2]);
    const p = await progress('town', c2, village);
    const members = Object.fromEntries(p.rows.map((r) => [r.person?.id ?? 'none', fig(r.figures)]));
    expect(members[a]).toEqual([2, 2, 2, 2]);
    expect(members[b]).toBeUndefined();
    expect(members.none).toEqual([1, 0, 0, 0]);
  });

  it('takes back what a corrected visit no longer counts: moved out of the window, or video changed to in person', async () => {
    // HA still has the first-day phone call: moving the last-day visit out keeps HA visited.
    haVisit = await correct(haVisit, { visitedOn: d(-9) });
    expect(await figuresOf(c2)).toEqual([3, 2, 2, 2]);
    raPhone = await correct(raPhone, { channel: 'in_person' });
    expect(await figuresOf(c2)).toEqual([3, 2, 2, 1]);
    raPhone = await correct(raPhone, { channel: 'wechat' });
    expect(await figuresOf(c2)).toEqual([3, 2, 2, 2]);
  });

  it('counts once a visit recorded just before creation whose change is still queued (seen by the count and by the drain), and one recorded just before close', async () => {
    const other = kejing[4]!; // its own village: the previous-campaign comparison below must not meet this one
    const p0 = await person(other, '丙党员');
    const hd = (await household(other)).id;
    const he = (await household(other)).id;
    await link(p0, { household: hd });
    await link(p0, { household: he });
    // Not drained: unless a timer tick lands in these few milliseconds, creation counts it and the drain meets it again.
    await visit({ person: p0, household: hd, on: d(0), channel: 'in_person' }, false);
    const c = await create('town', { name: '排查走访', orgCode: other, startsOn: d(-1), endsOn: d(3) });
    expect(fig(c.figures)).toEqual([2, 1, 0, 0]);
    await drainVisitChanges(t.database.db);
    expect(await figuresOf(c.id)).toEqual([2, 1, 0, 0]);
    const row = await one<{ visits: number }>(sql`SELECT visits FROM campaign_targets WHERE campaign_id = ${c.id} AND target_id = ${hd}`);
    expect(row.visits).toBe(1);
    // Closing: a visit recorded just before, its change still queued, is counted before the progress freezes.
    await visit({ person: p0, household: he, on: d(1), channel: 'in_person' }, false);
    await ok('town', 'POST', `/api/v1/campaigns/${c.id}/close`);
    expect(await figuresOf(c.id)).toEqual([2, 2, 0, 0]);
    await visit({ person: p0, household: he, on: d(2), channel: 'in_person' });
    const frozen = await one<{ visits: number }>(sql`SELECT visits FROM campaign_targets WHERE campaign_id = ${c.id} AND target_id = ${he}`);
    expect(frozen.visits).toBe(1);
  });

  it('recounts after creation the targets reached by visits recorded meanwhile whose changes a drain took in before the campaign existed', async () => {
    const other = kejing[5]!;
    const p0 = await person(other, '丁党员');
    const hx = (await household(other)).id;
    await link(p0, { household: hx });
    const c = await create('town', { name: '补记走访', orgCode: other, startsOn: d(-1), endsOn: d(3) });
    // The visit row alone, its change already gone: as if drained while the campaign was still uncommitted.
    await t.database.db.execute(sql`
      INSERT INTO visits (id, person_id, basis, household_id, org_id, visited_at, visited_on, channel, entered_by, content_hash)
      SELECT ${randomUUID()}, ${p0}, 'link', ${hx}, org_id, now(), ${d(0)}, 'in_person', ${officeAccount}, 'test' FROM households WHERE id = ${hx}`);
    expect(await figuresOf(c.id)).toEqual([1, 0, 0, 0]);
    await recountSinceCreation(t.database.db, c.id);
    expect(await figuresOf(c.id)).toEqual([1, 1, 0, 0]);
    await ok('town', 'POST', `/api/v1/campaigns/${c.id}/close`);
  });

  it('counts two concurrent visits to one household once as visited and keeps both in its count', async () => {
    await Promise.all([
      visit({ person: a, household: hc, on: d(1), channel: 'in_person' }),
      visit({ person: a, household: hc, on: d(2), channel: 'evening' }),
    ]);
    expect(await figuresOf(c2)).toEqual([3, 3, 2, 2]);
    const row = await one<{ visits: number }>(sql`SELECT visits FROM campaign_targets WHERE campaign_id = ${c2} AND target_id = ${hc}`);
    expect(row.visits).toBe(2);
  });

  it('returns 200 on close (audited), 409 on a second close, and freezes the progress', async () => {
    const res = await ok<{ data: { status: string } }>('town', 'POST', `/api/v1/campaigns/${c2}/close`);
    expect(res.data.status).toBe('closed');
    expect((await req('town', 'POST', `/api/v1/campaigns/${c2}/close`)).statusCode).toBe(409);
    await correct(raPhone, { channel: 'in_person' });
    expect(await figuresOf(c2)).toEqual([3, 3, 2, 2]);
    const a2 = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'campaign.close' AND entity_id = ${c2}`);
    expect(a2.n).toBe(1);
  });

  it('compares with the previous campaign of the same scope: % and its change per level and per member', async () => {
    // Window [d(1), d(4)]: only HC (d(1), d(2)) visited — HA's visits are at d(-9), d(-7), d(-6), d(0), HB's at d(-1);
    // no away resident reached in it. C2 closed at [3, 3, 2, 2] = 100 %.
    const c3 = await create('town', { name: '七一走访', orgCode: village, startsOn: d(1), endsOn: d(4) });
    expect(fig(c3.figures)).toEqual([3, 1, 2, 0]);
    const p = await progress('town', c3.id, village);
    expect(p.previous?.id).toBe(c2);
    expect(p.totals.percent).toBe(33.3);
    expect(p.previousTotals?.percent).toBe(100);
    expect(p.change).toBe(-66.7);
    const members = Object.fromEntries(p.rows.map((r) => [r.person?.id ?? 'none', r]));
    // HB now belongs to B (reassigned before this campaign): B's row is new (no previous), A's compares with A's.
    expect(fig(members[b]!.figures)).toEqual([1, 0, 0, 0]);
    expect(members[b]!.previous).toBeNull();
    expect(fig(members[a]!.figures)).toEqual([1, 0, 2, 0]);
    expect(members[a]!.previous?.percent).toBe(100);
    expect(members[a]!.change).toBe(-100);
    expect(fig(members.none!.figures)).toEqual([1, 1, 0, 0]);
    expect(members.none!.change).toBe(0);
    const town = await progress('town', c3.id);
    expect(town.org.code).toBe(village);
  });
});

describe('creating: filters, bad input, scope', () => {
  let village = '';
  beforeAll(async () => {
    village = kejing[3]!;
    await household(village, { tags: ['低保'] });
    await household(village, { away: 1 });
    await household(village);
    await business(village, 'shop');
    await business(village, 'enterprise');
  });

  it('returns 201 with only the tagged households, only those with someone away, or only the chosen kinds', async () => {
    expect(fig((await create('office', { name: '低保户走访', orgCode: village, startsOn: today, endsOn: d(5), filter: { tag: '低保' } })).figures)).toEqual([1, 0, 0, 0]);
    expect(fig((await create('office', { name: '在外人员', orgCode: village, startsOn: today, endsOn: d(5), filter: { awayOnly: true } })).figures)).toEqual([1, 0, 1, 0]);
    expect(fig((await create('office', { name: '商户', orgCode: village, startsOn: d(1), endsOn: d(5), filter: { kinds: ['shop'] } })).figures)).toEqual([1, 0, 0, 0]);
    expect(fig((await create('office', { name: '全部', orgCode: village, startsOn: d(1), endsOn: d(5) })).figures)).toEqual([5, 0, 1, 0]);
  });

  it('returns 400 for a bad window, deadline, tag, scope level or body, with nothing written', async () => {
    const before = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM campaigns`);
    const base = { name: '走访', orgCode: village, startsOn: today, endsOn: d(5) };
    for (const body of [
      { ...base, endsOn: d(-1) },
      { ...base, startsOn: d(-20), endsOn: d(-2) },
      { ...base, deadline: d(6) },
      { ...base, endsOn: d(400) },
      { ...base, filter: { tag: '没有这个标签' } },
      { ...base, filter: { kinds: [] } },
      { ...base, startsOn: '2026-02-30' },
      { ...base, name: '' },
      { ...base, extra: 1 },
      { ...base, orgCode: '419001000000-D05' },
    ]) {
      const res = await req('office', 'POST', '/api/v1/campaigns', body);
      expect(res.statusCode, JSON.stringify(body) + res.body).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
    expect((await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM campaigns`)).n).toBe(before.n);
  });

  it('returns 403 to the secretary and the leader, 404 to a town outside its town, 404 for an unknown org', async () => {
    const body = { name: '走访', orgCode: v.own, startsOn: today, endsOn: d(5) };
    expect((await req('secretary', 'POST', '/api/v1/campaigns', body)).statusCode).toBe(403);
    expect((await req('leader', 'POST', '/api/v1/campaigns', body)).statusCode).toBe(403);
    expect((await req('town', 'POST', '/api/v1/campaigns', { ...body, orgCode: v.otherTown })).statusCode).toBe(404);
    expect((await req('office', 'POST', '/api/v1/campaigns', { ...body, orgCode: '419001999999' })).statusCode).toBe(404);
    const audit = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'campaign.create'`);
    expect(audit.n).toBeGreaterThan(0);
  });
});
