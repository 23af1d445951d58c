import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { readPdf } from '../../../test/pdf.ts';
import { addDays, monthStart, nextMonthStart, todayInShanghai } from '../../lib/dates.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string;
let neighbour: string;
let otherTown: string;
let member: string; // 李秀英, the demo member's person (village `own`)
let secretaryPerson: string; // 王建国, the demo secretary's person (same village)
let neighbourPerson: string; // a member of the neighbouring village
let otherTownPerson: string; // a member in 五龙口镇
let secretaryAccount: string;
let branch: string; // the village's 党组织 name as the roster shows it
const hh: Record<'a' | 'b' | 'c', { id: string; residents: { id: string; name: string }[] }> = {} as never;

function req(role: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const ses = s[role]!;
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: ses.cookie, 'x-csrf-token': ses.csrf } });
}
const q = (sql: string, params: unknown[] = []) => t.database.pool.query(sql, params);

async function household(head: string, address: string) {
  const res = await req('secretary', 'POST', '/api/v1/households', householdBody(own, {
    address, residents: [residentBody({ name: head, phone: null }), residentBody({ name: `${head}妻`, relation: '配偶', sex: 'F', phone: null })],
  }));
  expect(res.statusCode, res.body).toBe(201);
  const d = res.json().data as { id: string; residents: { id: string; name: string }[] };
  return { id: d.id, residents: d.residents.map((r) => ({ id: r.id, name: r.name })) };
}

async function person(org: string, name: string): Promise<string> {
  const res = await req('office', 'POST', '/api/v1/people', { orgCode: org, kind: 'member', name, sex: 'M', birthYear: '1975', memberSince: '2001-07-01' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.id as string;
}

/** A link from 2026-01-01, written as the links module keeps them (the handbook only reads links). */
async function link(personId: string, householdId: string, role: 'primary' | 'helper' = 'primary'): Promise<string> {
  const { rows } = await q(`INSERT INTO links (person_id, household_id, role, org_id, starts_on)
    SELECT $1, h.id, $3, h.org_id, '2026-01-01' FROM households h WHERE h.id = $2 RETURNING id`, [personId, householdId, role]);
  return rows[0].id as string;
}

/**
 * A visit as the visits module stores it (lane 1 writes them through POST /api/v1/visits; the handbook reads them).
 * `at` is a Shanghai local time "YYYY-MM-DD HH:mm".
 */
async function visit(v: {
  personId?: string; household: string; at: string; channel?: string; notes?: string; proxy?: boolean; basis?: 'link' | 'helper';
  residents?: string[]; items?: { description: string; urgency?: string; status?: string }[]; photos?: number;
}): Promise<string> {
  const id = randomUUID();
  const personId = v.personId ?? member;
  const { rows } = await q(`SELECT l.id FROM links l WHERE l.person_id = $1 AND l.household_id = $2 LIMIT 1`, [personId, v.household]);
  await q(`INSERT INTO visits (id, person_id, link_id, basis, household_id, org_id, visited_at, visited_on, channel, notes, proxy, entered_by, content_hash)
    SELECT $1, $2, $3, $4, h.id, h.org_id, ($5 || ':00+08:00')::timestamptz, substr($5, 1, 10)::date, $6, $7, $8, $9, 'test'
    FROM households h WHERE h.id = $10`,
  [id, personId, rows[0]?.id ?? null, v.basis ?? 'link', v.at, v.channel ?? 'in_person', v.notes ?? '', v.proxy ?? false, secretaryAccount, v.household]);
  for (const r of v.residents ?? []) await q('INSERT INTO visit_residents (visit_id, resident_id) VALUES ($1, $2)', [id, r]);
  for (const [i, it] of (v.items ?? []).entries()) {
    await q(`INSERT INTO raised_items (visit_id, seq, household_id, org_id, category, description, urgency, status)
      SELECT $1, $2, h.id, h.org_id, 'hb_jobs', $3, $4, $5 FROM households h WHERE h.id = $6`,
    [id, i + 1, it.description, it.urgency ?? 'normal', it.status ?? 'open', v.household]);
  }
  for (let i = 0; i < (v.photos ?? 0); i++) {
    await q(`INSERT INTO visit_photos (visit_id, seq, mime, width, height, bytes) VALUES ($1, $2, 'image/jpeg', 10, 10, '\\x00')`, [id, i + 1]);
  }
  return id;
}

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of DEMO_ROLES) s[r] = await login(t.app, r);
  ({ own, neighbour, otherTown } = await scopeVillages(t));
  const accounts = await q(`SELECT username, id, person_id FROM accounts WHERE username IN ('member', 'secretary')`);
  const by = Object.fromEntries(accounts.rows.map((r) => [r.username, r]));
  member = by.member.person_id;
  secretaryPerson = by.secretary.person_id;
  secretaryAccount = by.secretary.id;
  branch = (await q(`SELECT coalesce(party_name, short_name || '党支部') AS b FROM orgs WHERE code = $1`, [own])).rows[0].b;
  neighbourPerson = await person(neighbour, '邻村党员');
  otherTownPerson = await person(otherTown, '外镇党员');
  await q(`INSERT INTO item_categories (code, name, sort_key) VALUES ('hb_jobs', '就业', 1) ON CONFLICT (code) DO NOTHING`);

  hh.a = await household('张守田', '克井镇 测试村 1组 1号');
  hh.b = await household('刘红梅', '克井镇 测试村 1组 2号');
  hh.c = await household('赵长河', '克井镇 测试村 2组 9号');
  for (const h of [hh.a, hh.b, hh.c]) await link(member, h.id);
  // October 2026: four visits to 张守田 and 刘红梅 (one 代录, one by phone with an item), none to 赵长河.
  await visit({ household: hh.a.id, at: '2026-10-01 00:00', residents: [hh.a.residents[0]!.id], notes: '了解秋收情况', photos: 2 });
  await visit({ household: hh.a.id, at: '2026-10-15 20:30', channel: 'evening', residents: hh.a.residents.map((r) => r.id),
    items: [{ description: '儿子想找县城的工作', urgency: 'urgent' }, { description: '屋顶漏雨', status: 'closed' }] });
  await visit({ household: hh.b.id, at: '2026-10-20 09:00', channel: 'phone', proxy: true, notes: '本人笔记本代录' });
  await visit({ household: hh.b.id, at: '2026-10-31 23:59', channel: 'wechat' });
  // Outside October: the last minute of September and the first of November (Shanghai days).
  await visit({ household: hh.a.id, at: '2026-09-30 23:59' });
  await visit({ household: hh.c.id, at: '2026-11-01 00:00', notes: '十一月走访' });
  // The secretary's own visit to 张守田 (as a helper): not the member's.
  await link(secretaryPerson, hh.a.id, 'helper');
  await visit({ personId: secretaryPerson, household: hh.a.id, at: '2026-10-10 10:00', notes: '书记走访' });
});
afterAll(async () => { await t.close(); });

const url = (id: string, query = '') => `/api/v1/people/${id}/handbook${query}`;

describe('GET /api/v1/people/:id/handbook', () => {
  it('returns 200 with the member\'s October: summary by channel, links with visits, items, and the timeline newest first', async () => {
    const res = await req('member', 'GET', url(member, '?from=2026-10-01&to=2026-10-31'));
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    expect(d.person).toMatchObject({ id: member, name: '李秀英', kind: 'member', orgCode: own });
    expect(d.person.branch).toBe(branch);
    expect(d.person.town).toBe('克井镇');
    expect(d.summary).toEqual({
      visits: 4, byChannel: { in_person: 1, evening: 1, phone: 1, wechat: 1, video: 0 }, constituents: 2, proxy: 1, items: 2, openItems: 1, notVisited: 1,
    });
    expect(d.links.map((l: { name: string; visits: number; lastVisitedOn: string | null }) => [l.name, l.visits, l.lastVisitedOn])).toEqual([
      ['张守田户', 2, '2026-10-15'], ['刘红梅户', 2, '2026-10-31'], ['赵长河户', 0, '2026-11-01'],
    ]);
    expect(d.timeline.map((e: { visitedOn: string; channel: string }) => `${e.visitedOn} ${e.channel}`)).toEqual([
      '2026-10-31 wechat', '2026-10-20 phone', '2026-10-15 evening', '2026-10-01 in_person',
    ]);
    const evening = d.timeline[2];
    expect(evening).toMatchObject({ constituentName: '张守田户', basis: 'link', proxy: false, photos: 0 });
    expect(evening.residents.sort()).toEqual(['张守田', '张守田妻'].sort());
    expect(evening.items.map((i: { categoryName: string; description: string; urgency: string; status: string }) => [i.categoryName, i.description, i.urgency, i.status]))
      .toEqual([['就业', '儿子想找县城的工作', 'urgent', 'open'], ['就业', '屋顶漏雨', 'normal', 'closed']]);
    expect(d.timeline[1]).toMatchObject({ proxy: true, enteredByName: '村党支部 王书记', notes: '本人笔记本代录' });
    expect(d.timeline[3]).toMatchObject({ photos: 2, notes: '了解秋收情况', visitedAt: '2026-09-30T16:00:00.000Z' });
    expect(d.nextCursor).toBeNull();
  });

  it('returns 200 for this month when from and to are omitted, and to the end of from\'s month when only from is given', async () => {
    const today = todayInShanghai();
    const d = (await req('member', 'GET', url(member))).json().data;
    expect([d.from, d.to]).toEqual([monthStart(today), addDays(nextMonthStart(today), -1)]);
    const only = (await req('member', 'GET', url(member, '?from=2026-09-15'))).json().data;
    expect([only.from, only.to, only.summary.visits]).toEqual(['2026-09-15', '2026-09-30', 1]);
  });

  it('returns 200 pages of the timeline by cursor without repeats, the summary on every page the whole period\'s', async () => {
    const first = (await req('member', 'GET', url(member, '?from=2026-09-01&to=2026-11-30&limit=4'))).json().data;
    expect(first.timeline).toHaveLength(4);
    expect(first.nextCursor).toBeTruthy();
    const second = (await req('member', 'GET', url(member, `?from=2026-09-01&to=2026-11-30&limit=4&cursor=${first.nextCursor}`))).json().data;
    expect(second.summary.visits).toBe(6);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.timeline, ...second.timeline].map((e: { visitId: string }) => e.visitId);
    expect(new Set(ids).size).toBe(6);
    expect(second.timeline.map((e: { visitedOn: string }) => e.visitedOn)).toEqual(['2026-10-01', '2026-09-30']);
  });

  it('returns 400 for a bad period or cursor', async () => {
    for (const qs of ['?from=2026-10-31&to=2026-10-01', '?from=2025-01-01&to=2026-01-02', '?from=2026-02-30', '?limit=0', '?cursor=abc', '?x=1']) {
      const res = await req('member', 'GET', url(member, qs));
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error.id, qs).toBe('validation_error');
    }
    expect((await req('member', 'GET', url(member, '?from=2025-10-01&to=2026-10-01'))).statusCode).toBe(200);
  });

  it('returns 200 to the branch secretary, the town and the office, and 404 outside their scope', async () => {
    for (const r of ['secretary', 'town', 'office']) expect((await req(r, 'GET', url(member))).statusCode, r).toBe(200);
    expect((await req('secretary', 'GET', url(neighbourPerson))).statusCode).toBe(404);
    expect((await req('town', 'GET', url(neighbourPerson))).statusCode).toBe(200);
    expect((await req('town', 'GET', url(otherTownPerson))).statusCode).toBe(404);
    expect((await req('office', 'GET', url(otherTownPerson))).statusCode).toBe(200);
    expect((await req('office', 'GET', url(randomUUID()))).statusCode).toBe(404);
  });

  it('returns 200 with the caller\'s own handbook at /people/me/handbook, and 404 when the account has no person', async () => {
    const res = await req('member', 'GET', url('me', '?from=2026-10-01&to=2026-10-31'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.person.id).toBe(member);
    expect(res.json().data.summary.visits).toBe(4);
    expect((await req('office', 'GET', url('me'))).statusCode).toBe(404);
    expect((await req('member', 'GET', `${url('me')}.pdf?month=2026-10`)).statusCode).toBe(200);
    expect((await req('member', 'GET', url('not-a-uuid'))).statusCode).toBe(400);
  });

  it('returns 404 to a member asking for another member\'s handbook, and 403 to leader, department and admin', async () => {
    const other = await req('member', 'GET', url(secretaryPerson));
    expect(other.statusCode).toBe(404);
    expect(other.json().error.id).toBe('not_found');
    for (const r of ['leader', 'department', 'admin']) {
      const res = await req(r, 'GET', url(member));
      expect(res.statusCode, r).toBe(403);
      expect(res.json().error.id, r).toBe('forbidden');
    }
  });

  it('audits a read by someone else (handbook.view) and not the member reading their own', async () => {
    const count = async () => Number((await q(`SELECT count(*) FROM audit_events WHERE action = 'handbook.view' AND entity_id = $1`, [member])).rows[0].count);
    const before = await count();
    await req('member', 'GET', url(member));
    expect(await count()).toBe(before);
    await req('secretary', 'GET', url(member, '?from=2026-10-01&to=2026-10-31'));
    expect(await count()).toBe(before + 1);
    const { rows } = await q(`SELECT actor_username, after FROM audit_events WHERE action = 'handbook.view' ORDER BY at DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({ actor_username: 'secretary', after: { from: '2026-10-01', to: '2026-10-31' } });
  });
});

describe('GET /api/v1/people/:id/handbook.pdf', () => {
  it('returns 200 with an A4 PDF for the month: title block, summary, links, not visited, every visit, page numbers, text extractable', async () => {
    const res = await req('member', 'GET', `${url(member)}.pdf?month=2026-10`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/pdf/);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('工作手册-李秀英-2026-10.pdf');
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.title).toContain('李秀英党员联户工作手册（2026年10月）');
    for (const p of pdf.pages) expect([Math.round(p.width), Math.round(p.height)]).toEqual([595, 842]);
    const text = pdf.text.replace(/\n/g, '');
    for (const want of ['党员联户工作手册', '2026年10月', '李秀英', branch, '克井镇', '2026-10-01 至 2026-10-31', '本期走访 4 次', '入户 1 次', '夜访 1 次',
      '张守田户', '刘红梅户', '赵长河户', '未走访', '了解秋收情况', '儿子想找县城的工作', '紧急', '屋顶漏雨', '已办结', '代录（村党支部 王书记录入）', '照片 2 张',
      '10月1日（周四） 00:00', '10月31日（周六） 23:59']) {
      expect(text, want).toContain(want);
    }
    expect(text).not.toContain('十一月走访');
    expect(text).not.toContain('书记走访');
    pdf.pages.forEach((p, i) => expect(p.text.replace(/\n/g, '')).toContain(`第 ${i + 1} 页 共 ${pdf.pages.length} 页`));
  });

  it('returns 200 with the year\'s handbook over several pages when a year holds many visits', async () => {
    for (let d = 1; d <= 28; d++) {
      await visit({ household: hh.c.id, at: `2026-02-${String(d).padStart(2, '0')} 10:00`, notes: `二月第${d}次走访，询问春耕准备和家中老人的身体情况，记录在册。` });
      await visit({ household: hh.b.id, at: `2026-03-${String(d).padStart(2, '0')} 19:30`, channel: 'evening', notes: `三月夜访第${d}次` });
    }
    const res = await req('office', 'GET', `${url(member)}.pdf?year=2026`);
    expect(res.statusCode, res.body).toBe(200);
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.pages.length).toBeGreaterThan(2);
    const text = pdf.text.replace(/\n/g, '');
    expect(text).toContain('2026年度');
    expect(text).toContain('本期走访 62 次');
    for (const want of ['二月第1次走访', '二月第28次走访', '三月夜访第28次', '十一月走访']) expect(text, want).toContain(want);
    pdf.pages.forEach((p, i) => expect(p.text.replace(/\n/g, '')).toContain(`第 ${i + 1} 页 共 ${pdf.pages.length} 页`));
  });

  it('audits every print (handbook.print), the member\'s own included', async () => {
    const { rows: before } = await q(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'handbook.print' AND entity_id = $1`, [member]);
    expect((await req('member', 'GET', `${url(member)}.pdf?month=2026-10`)).statusCode).toBe(200);
    const { rows } = await q(`SELECT actor_username, after FROM audit_events WHERE action = 'handbook.print' AND entity_id = $1 ORDER BY at DESC`, [member]);
    expect(rows.length).toBe(before[0].n + 1);
    expect(rows[0]).toMatchObject({ actor_username: 'member', after: { from: '2026-10-01', to: '2026-10-31', visits: 4 } });
  });

  it('returns 400 without exactly one of month and year, and 404/403 outside the caller\'s reach', async () => {
    for (const qs of ['', '?month=2026-10&year=2026', '?month=2026-13', '?year=26']) {
      const res = await req('member', 'GET', `${url(member)}.pdf${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
    expect((await req('secretary', 'GET', `${url(neighbourPerson)}.pdf?month=2026-10`)).statusCode).toBe(404);
    expect((await req('member', 'GET', `${url(secretaryPerson)}.pdf?month=2026-10`)).statusCode).toBe(404);
    expect((await req('leader', 'GET', `${url(member)}.pdf?month=2026-10`)).statusCode).toBe(403);
  });
});
