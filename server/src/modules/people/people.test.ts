import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody } from '../../../test/factories.ts';
import ExcelJS from '../../lib/exceljs.ts';
import { decrypt, keyedHash } from '../../lib/crypto.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string; // the secretary's and the member's village (克井镇)
let neighbour: string; // another village of 克井镇
let otherTown: string; // a village of 五龙口镇
let phoneSeq = 0;

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of DEMO_ROLES) s[r] = await login(t.app, r);
  ({ own, neighbour, otherTown } = await scopeVillages(t));
});
afterAll(async () => { await t.close(); });

function req(role: string | Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const ses = typeof role === 'string' ? s[role]! : role;
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: ses.cookie, 'x-csrf-token': ses.csrf } });
}
/** A new mobile number per call (the roster refuses one number for two people). */
const nextPhone = () => `1391234${String(1000 + phoneSeq++).padStart(4, '0')}`;
async function create(role: string, org: string, overrides: Record<string, unknown> = {}) {
  const body = { orgCode: org, kind: 'member', name: '测试党员', sex: 'M', birthYear: '1980', memberSince: '2008-07-01', phone: nextPhone(), ...overrides };
  const res = await req(role, 'POST', '/api/v1/people', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string; name: string; phoneMasked: string | null };
}
const members = async (org: string) => (await req('office', 'GET', `/api/v1/orgs/${org}`)).json().data.counts.members as number;
const names = (res: { json(): { data: { name: string }[] } }) => res.json().data.map((p) => p.name);

describe('GET /api/v1/people', () => {
  it('returns 200 to the roster readers inside their scope and 403 to member, department and admin', async () => {
    for (const r of ['office', 'town', 'secretary', 'leader']) expect((await req(r, 'GET', `/api/v1/people?org=${own}`)).statusCode, r).toBe(200);
    for (const r of ['member', 'department', 'admin']) expect((await req(r, 'GET', `/api/v1/people?org=${own}`)).statusCode, r).toBe(403);
  });

  it('returns 404 for an org outside the caller\'s scope', async () => {
    expect((await req('secretary', 'GET', `/api/v1/people?org=${neighbour}`)).statusCode).toBe(404);
    expect((await req('town', 'GET', `/api/v1/people?org=${otherTown}`)).statusCode).toBe(404);
    expect((await req('office', 'GET', `/api/v1/people?org=${otherTown}`)).statusCode).toBe(200);
  });

  it('finds people by pinyin initials, by name and by the phone\'s last 4 digits, and never shows a full phone', async () => {
    const p = await create('secretary', own, { name: '聂刚宁', phone: '13788886543' });
    const byInitials = await req('secretary', 'GET', `/api/v1/people?org=${own}&q=ngn`);
    expect(names(byInitials)).toContain('聂刚宁');
    expect(names(await req('secretary', 'GET', `/api/v1/people?org=${own}&q=${encodeURIComponent('刚宁')}`))).toContain('聂刚宁');
    const byTail = await req('secretary', 'GET', `/api/v1/people?org=${own}&q=6543`);
    expect(byTail.json().data.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect(byTail.json().data[0]).toMatchObject({ phoneMasked: '137****6543', accountStatus: 'none', load: 0, loadStatus: 'under', abilities: { update: true, reveal: true } });
    expect(byTail.body).not.toContain('13788886543');
    expect(names(await req('secretary', 'GET', `/api/v1/people?org=${own}&q=zzzq`))).toEqual([]);
  });

  it('filters by flags, grid and account status, and shows the demo accounts\' people as having an account', async () => {
    const dual = await create('secretary', own, { name: '双报到党员', dualRegistered: true, mobile: true });
    const dualOnly = await req('secretary', 'GET', `/api/v1/people?org=${own}&dual=true&mobile=true`);
    expect(dualOnly.json().data.map((x: { id: string }) => x.id)).toContain(dual.id);
    expect(dualOnly.json().data.every((x: { dualRegistered: boolean; mobile: boolean }) => x.dualRegistered && x.mobile)).toBe(true);
    const withAccount = (await req('secretary', 'GET', `/api/v1/people?org=${own}&account=active`)).json().data;
    expect(withAccount.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['王建国', '李秀英']));
    const none = (await req('secretary', 'GET', `/api/v1/people?org=${own}&account=none`)).json().data;
    expect(none.map((x: { name: string }) => x.name)).not.toContain('王建国');
    expect((await req('secretary', 'GET', `/api/v1/people?org=${own}&grid=none&load=under`)).statusCode).toBe(200);
  });

  it('lists helpers by kind separately from members', async () => {
    const h = await create('secretary', own, { kind: 'helper', helperKind: '积极分子', name: '测试积极分子', memberSince: undefined });
    const helpers = (await req('secretary', 'GET', `/api/v1/people?org=${own}&kind=helper&helperKind=${encodeURIComponent('积极分子')}`)).json().data;
    expect(helpers.map((x: { id: string }) => x.id)).toContain(h.id);
    expect(helpers.every((x: { kind: string; helperKind: string }) => x.kind === 'helper' && x.helperKind === '积极分子')).toBe(true);
    expect(names(await req('secretary', 'GET', `/api/v1/people?org=${own}`))).not.toContain('测试积极分子');
  });

  it('pages with keyset cursors in every sort and direction, each row once, in order', async () => {
    for (const [i, y] of ['1950', '1990', '1970', '1960'].entries()) await create('secretary', own, { name: `分页党员${i}`, birthYear: y, memberSince: `${Number(y) + 20}-07-01` });
    for (const sort of ['name', 'age', 'memberSince', 'load']) {
      for (const dir of ['asc', 'desc']) {
        const all = (await req('secretary', 'GET', `/api/v1/people?org=${own}&sort=${sort}&dir=${dir}&limit=200`)).json().data.map((x: { id: string }) => x.id);
        const walked: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await req('secretary', 'GET', `/api/v1/people?org=${own}&sort=${sort}&dir=${dir}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
          expect(res.statusCode, res.body).toBe(200);
          walked.push(...res.json().data.map((x: { id: string }) => x.id));
          cursor = res.json().nextCursor;
        } while (cursor);
        expect(walked, `${sort} ${dir}`).toEqual(all);
      }
    }
    const byAge = (await req('secretary', 'GET', `/api/v1/people?org=${own}&sort=age&q=${encodeURIComponent('分页党员')}`)).json().data;
    expect(byAge.map((x: { birthYear: string }) => x.birthYear)).toEqual(['1990', '1970', '1960', '1950']);
    expect((await req('secretary', 'GET', `/api/v1/people?org=${own}&cursor=bad!`)).statusCode).toBe(400);
  });
});

describe('POST /api/v1/people and PATCH /api/v1/people/:id', () => {
  it('returns 201 and stores the phone encrypted with its keyed hash and tail; audits it masked; the village count +1', async () => {
    const before = await members(own);
    const phone = nextPhone();
    const p = await create('secretary', own, { name: '新登记党员', phone });
    expect(p.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const { rows } = await t.database.db.execute<{ phone_enc: string; phone_hash: string; phone_tail: string; name_initials: string }>(sql`
      SELECT phone_enc, phone_hash, phone_tail, name_initials FROM people WHERE id = ${p.id}`);
    expect(decrypt(t.config.keyring, rows[0]!.phone_enc)).toBe(phone);
    expect(rows[0]).toMatchObject({ phone_hash: keyedHash(t.config.keyring, phone), phone_tail: phone.slice(-4), name_initials: 'xdjdy' });
    const audit = await t.database.db.execute<{ after: unknown }>(sql`SELECT after FROM audit_events WHERE action = 'person.create' AND entity_id = ${p.id}`);
    expect(JSON.stringify(audit.rows[0]!.after)).not.toContain(phone);
    expect(await members(own)).toBe(before + 1);
  });

  it('returns 409 for a phone already on the roster and 400 for a member without 入党日期', async () => {
    const phone = nextPhone();
    await create('secretary', own, { phone });
    expect((await req('secretary', 'POST', '/api/v1/people', { orgCode: own, kind: 'member', name: '重复', sex: 'M', memberSince: '2000-01-01', phone })).statusCode).toBe(409);
    const noSince = await req('secretary', 'POST', '/api/v1/people', { orgCode: own, kind: 'member', name: '缺日期', sex: 'M' });
    expect(noSince.statusCode).toBe(400);
  });

  it('returns 404 when a secretary creates in or edits a member of another village, and 403 for a leader', async () => {
    expect((await req('secretary', 'POST', '/api/v1/people', { orgCode: neighbour, kind: 'member', name: '越权', sex: 'M', memberSince: '2000-01-01' })).statusCode).toBe(404);
    const other = await create('town', neighbour, { name: '邻村党员' });
    expect((await req('secretary', 'PATCH', `/api/v1/people/${other.id}`, { dualRegistered: true })).statusCode).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/people/${other.id}`)).statusCode).toBe(404);
    expect((await req('secretary', 'POST', `/api/v1/people/${other.id}/reveal`, { reason: '走访联系' })).statusCode).toBe(404);
    const mine = await create('secretary', own);
    expect((await req('leader', 'PATCH', `/api/v1/people/${mine.id}`, { dualRegistered: true })).statusCode).toBe(403);
    expect((await req('admin', 'GET', `/api/v1/people/${mine.id}`)).statusCode).toBe(403);
  });

  it('edits flags and the phone, recomputes initials, and audits before → after with phones masked', async () => {
    const oldPhone = nextPhone();
    const p = await create('secretary', own, { phone: oldPhone });
    const newPhone = nextPhone();
    const res = await req('secretary', 'PATCH', `/api/v1/people/${p.id}`, { name: '改名党员', dualRegistered: true, phone: newPhone });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ name: '改名党员', dualRegistered: true, phoneMasked: `${newPhone.slice(0, 3)}****${newPhone.slice(-4)}` });
    expect(names(await req('secretary', 'GET', `/api/v1/people?org=${own}&q=gmdy`))).toContain('改名党员');
    const audit = await t.database.db.execute<{ before: unknown; after: unknown }>(sql`SELECT before, after FROM audit_events WHERE action = 'person.update' AND entity_id = ${p.id}`);
    const text = JSON.stringify(audit.rows[0]);
    expect(text).not.toContain(oldPhone);
    expect(text).not.toContain(newPhone);
    expect(audit.rows[0]!.before).toMatchObject({ name: '测试党员', dualRegistered: false });
  });
});

describe('grids', () => {
  it('puts a person in a grid of their village, filters by it and clears it; refuses a grid of another village', async () => {
    const code = `${own}-G91`;
    await t.database.db.execute(sql`
      INSERT INTO orgs (code, name, short_name, level, parent_id, path, depth, pinyin_initials, pinyin, valid_from)
      SELECT ${code}, '九一网格', '九一网格', 'grid', id, path || '/' || ${code}, depth + 1, '', '', '2023-06-30' FROM orgs WHERE code = ${own}`);
    const p = await create('secretary', own, { name: '网格党员', gridCode: code });
    const inGrid = (await req('secretary', 'GET', `/api/v1/people?org=${own}&grid=${code}`)).json().data;
    expect(inGrid.map((x: { id: string; gridName: string }) => [x.id, x.gridName])).toEqual([[p.id, '九一网格']]);
    expect((await req('secretary', 'GET', `/api/v1/people?org=${own}&grid=none`)).json().data.map((x: { id: string }) => x.id)).not.toContain(p.id);
    const other = await req('town', 'PATCH', `/api/v1/people/${p.id}`, { gridCode: `${neighbour}-G91` });
    expect(other.statusCode).toBe(400);
    const cleared = await req('secretary', 'PATCH', `/api/v1/people/${p.id}`, { gridCode: null });
    expect(cleared.json().data.gridCode).toBeNull();
  });
});

describe('POST /api/v1/people/:id/reveal', () => {
  it('returns the full phone with a reason, audited; 403 for a leader; 400 without a reason', async () => {
    const phone = nextPhone();
    const p = await create('secretary', own, { phone });
    const res = await req('secretary', 'POST', `/api/v1/people/${p.id}/reveal`, { reason: '走访联系' });
    expect(res.json().data).toEqual({ field: 'phone', value: phone });
    const audit = await t.database.db.execute<{ after: { reason: string } }>(sql`SELECT after FROM audit_events WHERE action = 'person.reveal' AND entity_id = ${p.id}`);
    expect(audit.rows[0]!.after.reason).toBe('走访联系');
    expect((await req('leader', 'POST', `/api/v1/people/${p.id}/reveal`, { reason: '走访联系' })).statusCode).toBe(403);
    expect((await req('secretary', 'POST', `/api/v1/people/${p.id}/reveal`, { reason: '' })).statusCode).toBe(400);
  });
});

describe('POST /api/v1/people/:id/transfer', () => {
  async function household(role: string, org: string) {
    const res = await req(role, 'POST', '/api/v1/households', householdBody(org));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data.id as string;
  }

  it('moves a member to another branch; their links follow to the member picked; counts follow; audited', async () => {
    const a = await create('secretary', own, { name: '转出党员' });
    const b = await create('secretary', own, { name: '接替党员' });
    const hh = await household('secretary', own);
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: a.id, householdId: hh, role: 'primary' })).statusCode).toBe(201);
    const [ownBefore, nbBefore] = [await members(own), await members(neighbour)];
    // The secretary cannot reach the neighbour's branch: 404; the town can.
    expect((await req('secretary', 'POST', `/api/v1/people/${a.id}/transfer`, { orgCode: neighbour, linksTo: b.id })).statusCode).toBe(404);
    const res = await req('town', 'POST', `/api/v1/people/${a.id}/transfer`, { orgCode: neighbour, linksTo: b.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ orgCode: neighbour, gridCode: null, load: 0 });
    const links = (await req('secretary', 'GET', `/api/v1/links?household=${hh}`)).json().data;
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ personId: b.id, role: 'primary' });
    expect((await req('secretary', 'GET', `/api/v1/people/${b.id}`)).json().data.load).toBe(1);
    expect([await members(own), await members(neighbour)]).toEqual([ownBefore - 1, nbBefore + 1]);
    // Now outside the secretary's scope.
    expect((await req('secretary', 'GET', `/api/v1/people/${a.id}`)).statusCode).toBe(404);
    const audit = await t.database.db.execute<{ after: { orgCode: string; links: number } }>(sql`SELECT after FROM audit_events WHERE action = 'person.transfer' AND entity_id = ${a.id}`);
    expect(audit.rows[0]!.after).toMatchObject({ orgCode: neighbour, links: 1 });
  });

  it('ends the links when no successor is picked, and refuses a successor from another branch', async () => {
    const a = await create('town', own, { name: '转出党员二' });
    const hh = await household('town', own);
    expect((await req('town', 'POST', '/api/v1/links', { personId: a.id, householdId: hh, role: 'primary' })).statusCode).toBe(201);
    const stranger = await create('town', neighbour, { name: '他村党员' });
    expect((await req('town', 'POST', `/api/v1/people/${a.id}/transfer`, { orgCode: neighbour, linksTo: stranger.id })).statusCode).toBe(400);
    expect((await req('town', 'POST', `/api/v1/people/${a.id}/transfer`, { orgCode: otherTown })).statusCode).toBe(404);
    expect((await req('town', 'POST', `/api/v1/people/${a.id}/transfer`, { orgCode: neighbour })).statusCode).toBe(200);
    const history = (await req('town', 'GET', `/api/v1/links?household=${hh}&history=true`)).json().data;
    expect(history).toMatchObject([{ personId: a.id, endReason: 'transferred' }]);
  });
});

describe('GET /api/v1/people/export', () => {
  it('returns an xlsx of the caller\'s scope with phones masked, and audits it; 404 outside the scope', async () => {
    const phone = nextPhone();
    await create('secretary', own, { name: '导出党员', phone });
    const res = await req('secretary', 'GET', `/api/v1/people/export?org=${own}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.read(Readable.from(res.rawPayload));
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
    expect(rows[0]!.slice(0, 6)).toEqual(['村（社区）', '姓名', '性别', '年龄', '入党日期', '手机号码']);
    const row = rows.find((r) => r[1] === '导出党员')!;
    expect(row[5]).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(rows.some((r) => r[1] === '王建国')).toBe(true);
    expect(rows.some((r) => r[1] === '邻村党员')).toBe(false);
    expect(res.rawPayload.toString('latin1')).not.toContain(phone);
    const audit = await t.database.db.execute<{ after: { rows: number } }>(sql`SELECT after FROM audit_events WHERE action = 'person.export' ORDER BY at DESC LIMIT 1`);
    expect(audit.rows[0]!.after.rows).toBe(rows.length - 1);
    expect((await req('secretary', 'GET', `/api/v1/people/export?org=${neighbour}`)).statusCode).toBe(404);
    expect((await req('admin', 'GET', `/api/v1/people/export`)).statusCode).toBe(403);
  });
});

describe('POST /api/v1/people/:id/leave', () => {
  it('records 迁出: links end with that reason, the account is disabled and its live session gets 401 on its next request', async () => {
    const memberSession = await login(t.app, 'member');
    expect((await req(memberSession, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const { rows } = await t.database.db.execute<{ person_id: string }>(sql`SELECT person_id FROM accounts WHERE username = 'member'`);
    const id = rows[0]!.person_id;
    const hh = (await req('secretary', 'POST', '/api/v1/households', householdBody(own))).json().data.id;
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: id, householdId: hh, role: 'primary' })).statusCode).toBe(201);
    const before = await members(own);
    const coverageBefore = (await req('secretary', 'GET', `/api/v1/coverage?org=${own}`)).json().data.members.total;

    expect((await req('leader', 'POST', `/api/v1/people/${id}/leave`, { on: '2026-01-05', reason: 'transferred_out' })).statusCode).toBe(403);
    const res = await req('secretary', 'POST', `/api/v1/people/${id}/leave`, { on: '2026-01-05', reason: 'transferred_out', note: '迁往外省' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ leftOn: '2026-01-05', leftReason: 'transferred_out', linksEnded: 1, accountsDisabled: 1, accountStatus: 'disabled', abilities: { update: false } });

    expect((await req(memberSession, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const links = (await req('secretary', 'GET', `/api/v1/links?household=${hh}&history=true`)).json().data;
    expect(links[0]).toMatchObject({ personId: id, endReason: 'transferred' });
    expect(await members(own)).toBe(before - 1);
    expect((await req('secretary', 'GET', `/api/v1/coverage?org=${own}`)).json().data.members.total).toBe(coverageBefore - 1);
    expect(names(await req('secretary', 'GET', `/api/v1/people?org=${own}`))).not.toContain('李秀英');
    expect(names(await req('secretary', 'GET', `/api/v1/people?org=${own}&left=true`))).toContain('李秀英');
    // Gone from the members the links module offers, too.
    const offered = (await req('secretary', 'GET', `/api/v1/coverage/members?org=${own}`)).json().data ?? [];
    expect(offered.map((m: { id: string }) => m.id)).not.toContain(id);
    expect((await req('secretary', 'PATCH', `/api/v1/people/${id}`, { mobile: true })).statusCode).toBe(409);
    expect((await req('secretary', 'POST', `/api/v1/people/${id}/leave`, { on: '2026-01-05', reason: 'died' })).statusCode).toBe(409);
    const audit = await t.database.db.execute<{ after: { leftReason: string } }>(sql`SELECT after FROM audit_events WHERE action = 'person.leave' AND entity_id = ${id}`);
    expect(audit.rows[0]!.after.leftReason).toBe('transferred_out');
  });
});

describe('POST /api/v1/people/:id/leave — dates', () => {
  it('returns 400 and changes nothing for a date before 入党日期 or after today', async () => {
    const p = await create('secretary', own, { name: '日期党员', memberSince: '2015-07-01' });
    for (const on of ['2015-06-30', '2999-01-01']) {
      const res = await req('secretary', 'POST', `/api/v1/people/${p.id}/leave`, { on, reason: 'transferred_out' });
      expect(res.statusCode, res.body).toBe(400);
    }
    expect((await req('secretary', 'GET', `/api/v1/people/${p.id}`)).json().data).toMatchObject({ leftOn: null, leftReason: null });
  });
});

describe('POST /api/v1/people/:id/leave — the links\' end reason follows the way of leaving', () => {
  it('ends links with died for 去世 and other for 除名, and a helper leaves without touching the member count', async () => {
    for (const [reason, endReason, kind] of [['died', 'died', 'member'], ['removed', 'other', 'helper']] as const) {
      const p = await create('secretary', own, kind === 'helper' ? { kind, helperKind: '志愿者', memberSince: undefined, name: '离开志愿者' } : { name: '离开党员' });
      const hh = (await req('secretary', 'POST', '/api/v1/households', householdBody(own))).json().data.id;
      expect((await req('secretary', 'POST', '/api/v1/links', { personId: p.id, householdId: hh, role: 'primary' })).statusCode).toBe(201);
      const before = await members(own);
      const res = await req('secretary', 'POST', `/api/v1/people/${p.id}/leave`, { on: '2026-01-05', reason });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toMatchObject({ leftReason: reason, linksEnded: 1, accountsDisabled: 0, accountStatus: 'none' });
      const links = (await req('secretary', 'GET', `/api/v1/links?household=${hh}&history=true`)).json().data;
      expect(links[0]).toMatchObject({ personId: p.id, endReason });
      expect(await members(own)).toBe(kind === 'member' ? before - 1 : before);
    }
  });
});
