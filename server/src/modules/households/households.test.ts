import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, scopeVillages, login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { buildApp } from '../../app.ts';
import { decrypt } from '../../lib/crypto.ts';

let t: TestApp;
const s: Record<string, Session> = {};
const ROLES = DEMO_ROLES;
let own: string; // secretary's village in 克井镇
let neighbour: string; // another village of 克井镇
let otherTown: string; // a village of 五龙口镇

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ROLES) s[r] = await login(t.app, r);
  ({ own, neighbour, otherTown } = await scopeVillages(t));
});
afterAll(async () => { await t.close(); });

function req(role: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
async function count(table: 'households' | 'residents'): Promise<number> {
  return (await t.database.db.execute<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${table}`))).rows[0]!.n;
}
async function create(role: string, org: string, overrides: Record<string, unknown> = {}) {
  const body = householdBody(org, overrides);
  const res = await req(role, 'POST', '/api/v1/households', body);
  return { res, body };
}

describe('POST /api/v1/households', () => {
  it('returns 201 for a secretary in their village, with ID numbers and phones masked, and the village count +1', async () => {
    const before = (await req('office', 'GET', `/api/v1/orgs/${own}`)).json().data.counts.households;
    const { res, body } = await create('secretary', own);
    expect(res.statusCode).toBe(201);
    const h = res.json().data;
    expect(h).toMatchObject({ orgCode: own, headName: '测试居民', tags: ['低保'], residentCount: 2, abilities: { update: true, reveal: true, revealPhone: true, readLinks: true } });
    expect(h.residents[0].idNumberMasked).toBe(`${body.residents[0]!.idNumber.slice(0, 3)}***********${body.residents[0]!.idNumber.slice(-4)}`);
    expect(h.residents[0].phoneMasked).toBe('138****5678');
    expect(h.residents[1].phoneMasked).toBeNull();
    expect(res.body).not.toContain(body.residents[0]!.idNumber);
    expect(res.body).not.toContain('13812345678');
    const after = (await req('office', 'GET', `/api/v1/orgs/${own}`)).json().data.counts.households;
    expect(after).toBe(before + 1);
  });

  it('stores ID numbers and phones encrypted with a key id, and audits the creation without the full values', async () => {
    const { res, body } = await create('secretary', own);
    const id = res.json().data.id;
    const { rows } = await t.database.db.execute<{ id_number_enc: string; phone_enc: string | null }>(sql`
      SELECT id_number_enc, phone_enc FROM residents WHERE household_id = ${id} ORDER BY birth_date`);
    expect(rows[0]!.id_number_enc.startsWith('t1:')).toBe(true);
    expect(rows[0]!.id_number_enc).not.toContain(body.residents[0]!.idNumber);
    expect(decrypt(t.config.keyring, rows[0]!.id_number_enc)).toBe(body.residents[0]!.idNumber);
    const audit = await t.database.db.execute<{ after: unknown }>(sql`SELECT after FROM audit_events WHERE action = 'household.create' AND entity_id = ${id}`);
    expect(audit.rows).toHaveLength(1);
    const text = JSON.stringify(audit.rows[0]!.after);
    expect(text).not.toContain(body.residents[0]!.idNumber);
    expect(text).not.toContain('13812345678');
  });

  it('returns 400 with the row and field for a wrong check digit, a birth date or sex that contradicts the ID, and writes nothing', async () => {
    const good = residentBody();
    const badCheck = { ...good, idNumber: good.idNumber.slice(0, 17) + (good.idNumber[17] === '1' ? '2' : '1') };
    const before = [await count('households'), await count('residents')];
    const cases: [unknown[], string][] = [
      [[badCheck], 'residents/0/idNumber'],
      [[residentBody(), { ...residentBody({ relation: '子' }), birthDate: '1999-01-01' }], 'residents/1/birthDate'],
      [[{ ...residentBody(), sex: 'F' }], 'residents/0/sex'],
      [[residentBody({ relation: '子' })], 'residents'],
    ];
    for (const [residents, path] of cases) {
      const res = await req('secretary', 'POST', '/api/v1/households', householdBody(own, { residents }));
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect([await count('households'), await count('residents')]).toEqual(before);
  });

  it('returns 400 for unknown fields, an unknown tag, overlong text and a non-village org', async () => {
    const cases = [
      householdBody(own, { extra: 1 }),
      householdBody(own, { tags: ['不存在的标签'] }),
      householdBody(own, { address: 'x'.repeat(121) }),
      householdBody('419001100000'),
    ];
    for (const body of cases) {
      const res = await req('town', 'POST', '/api/v1/households', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
  });

  it('returns 409 conflict with a masked ID when the ID number is already registered, or twice in the same request (400)', async () => {
    const first = await create('secretary', own);
    const dup = first.body.residents[0]!;
    const before = await count('households');
    const res = await req('town', 'POST', '/api/v1/households', householdBody(neighbour, { residents: [dup] }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ id: 'conflict', details: [{ idNumberMasked: expect.stringContaining('***'), householdId: first.res.json().data.id }] });
    expect(res.body).not.toContain(dup.idNumber);
    const twice = residentBody();
    const res2 = await req('secretary', 'POST', '/api/v1/households', householdBody(own, { residents: [twice, { ...twice, relation: '子' }] }));
    expect(res2.statusCode).toBe(400);
    expect(await count('households')).toBe(before);
  });

  it('registers the same ID only once when two requests race (the database\'s unique index decides)', async () => {
    const r = residentBody();
    const [a, b] = await Promise.all([
      req('secretary', 'POST', '/api/v1/households', householdBody(own, { residents: [r] })),
      req('town', 'POST', '/api/v1/households', householdBody(neighbour, { residents: [r] })),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
  });

  it('authorizes by scope: secretary → neighbour 404; town → its villages 201, other town 404; leader 403; member, department, admin 403', async () => {
    expect((await create('secretary', neighbour)).res.statusCode).toBe(404);
    expect((await create('town', neighbour)).res.statusCode).toBe(201);
    expect((await create('town', otherTown)).res.statusCode).toBe(404);
    expect((await create('office', otherTown)).res.statusCode).toBe(201);
    expect((await create('leader', own)).res.statusCode).toBe(403);
    for (const role of ['member', 'department', 'admin']) expect((await create(role, own)).res.statusCode, role).toBe(403);
  });

  it('stores hostile text verbatim', async () => {
    const address = `<script>alert(1)</script>'; DROP TABLE households;--`;
    const { res } = await create('secretary', own, { address });
    expect(res.statusCode).toBe(201);
    const again = await req('secretary', 'GET', `/api/v1/households/${res.json().data.id}`);
    expect(again.json().data.address).toBe(address);
  });
});

describe('GET /api/v1/households and /:id', () => {
  let hid: string;
  beforeAll(async () => {
    const { res } = await create('secretary', own, {
      address: '克井镇 搜索测试 9组 1号',
      tags: ['独居老人', '残疾'],
      residents: [residentBody({ name: '欧阳建华', birthDate: '1950-02-03' })],
    });
    hid = res.json().data.id;
  });

  it('finds households by head name, pinyin initials, address and tag, within scope', async () => {
    for (const q of ['欧阳建华', 'oyjh', '搜索测试']) {
      const res = await req('secretary', 'GET', `/api/v1/households?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().data.map((h: { id: string }) => h.id), q).toContain(hid);
    }
    const tagged = await req('town', 'GET', `/api/v1/households?org=${own}&tag=${encodeURIComponent('独居老人')}`);
    expect(tagged.json().data.every((h: { tags: string[] }) => h.tags.includes('独居老人'))).toBe(true);
    expect(tagged.json().data.map((h: { id: string }) => h.id)).toContain(hid);
    const other = await req('town', 'GET', `/api/v1/households?org=${otherTown}`);
    expect(other.statusCode).toBe(404);
  });

  it('paginates with a cursor without gaps or repeats', async () => {
    const all = (await req('office', 'GET', `/api/v1/households?org=419001100000&limit=200`)).json().data.map((h: { id: string }) => h.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await req('office', 'GET', `/api/v1/households?org=419001100000&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.json().data.map((h: { id: string }) => h.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThan(5);
  });

  it('answers each role by scope: detail visible to office, town, secretary, leader; 404 for a neighbour\'s secretary and an unlinked member; 403 for the rest', async () => {
    const expected: Record<string, number> = { office: 200, town: 200, secretary: 200, leader: 200, member: 404, department: 403, admin: 403 };
    for (const role of ROLES) {
      const res = await req(role, 'GET', `/api/v1/households/${hid}`);
      expect(res.statusCode, role).toBe(expected[role]);
      if (res.statusCode === 200) {
        expect(res.body).not.toMatch(/\d{17}[\dX]/); // no full ID number in any field
        expect(res.body).not.toContain('_enc');
        expect(res.body).not.toContain('hash');
      }
    }
    const leader = (await req('leader', 'GET', `/api/v1/households/${hid}`)).json().data.abilities;
    expect(leader).toEqual({ update: false, reveal: false, revealPhone: false, readLinks: true });
    const { res } = await create('town', neighbour);
    expect((await req('secretary', 'GET', `/api/v1/households/${res.json().data.id}`)).statusCode).toBe(404);
  });

  it('shows a member exactly the households linked to them now, masked; they may reveal its phones (audited) but not ID numbers', async () => {
    const { rows } = await t.database.db.execute<{ person_id: string }>(sql`SELECT person_id FROM accounts WHERE username = 'member'`);
    const link = await req('secretary', 'POST', '/api/v1/links', { personId: rows[0]!.person_id, householdId: hid });
    expect(link.statusCode).toBe(201);
    const detail = await req('member', 'GET', `/api/v1/households/${hid}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().data.abilities).toEqual({ update: false, reveal: false, revealPhone: true, readLinks: false });
    // readLinks says what the links list answers, so the page shows its 联户党员 section exactly when it can load.
    expect((await req('member', 'GET', `/api/v1/links?household=${hid}&history=true`)).statusCode).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/households/${hid}`)).json().data.abilities.readLinks).toBe(true);
    expect((await req('secretary', 'GET', `/api/v1/links?household=${hid}&history=true`)).statusCode).toBe(200);
    expect(detail.body).not.toMatch(/\d{17}[\dX]/);
    const list = (await req('member', 'GET', '/api/v1/households?limit=200')).json().data.map((h: { id: string }) => h.id);
    expect(list).toEqual([hid]);
    const rid = detail.json().data.residents[0].id;
    const phone = await req('member', 'POST', `/api/v1/residents/${rid}/reveal`, { field: 'phone', reason: '走访联系' });
    expect(phone.statusCode, phone.body).toBe(200);
    expect(phone.json().data.value).toBe('13812345678');
    const { rows: audit } = await t.database.db.execute<{ after: { field: string; asLinkedMember?: boolean } }>(sql`
      SELECT after FROM audit_events WHERE action = 'resident.reveal' AND entity_id = ${rid} AND actor_username = 'member'`);
    expect(audit.map((a) => a.after)).toEqual([{ field: 'phone', reason: '走访联系', asLinkedMember: true }]);
    expect((await req('member', 'POST', `/api/v1/residents/${rid}/reveal`, { field: 'idNumber', reason: '走访联系' })).statusCode).toBe(403);
    await req('secretary', 'POST', `/api/v1/links/${link.json().data.id}/end`, { reason: 'other' });
    expect((await req('member', 'GET', `/api/v1/households/${hid}`)).statusCode).toBe(404);
    expect((await req('member', 'POST', `/api/v1/residents/${rid}/reveal`, { field: 'phone', reason: '走访联系' })).statusCode).toBe(404);
  });

  it('returns 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await req('office', 'GET', '/api/v1/households/not-a-uuid')).statusCode).toBe(400);
    expect((await req('office', 'GET', '/api/v1/households/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('residents: reveal, update, leave', () => {
  it('reveals a full ID number only with a reason, to office/town/secretary, and audits who, whom and why', async () => {
    const { res, body } = await create('secretary', own);
    const rid = res.json().data.residents[0].id;
    const noReason = await req('secretary', 'POST', `/api/v1/residents/${rid}/reveal`, { field: 'idNumber', reason: '' });
    expect(noReason.statusCode).toBe(400);
    const ok = await req('secretary', 'POST', `/api/v1/residents/${rid}/reveal`, { field: 'idNumber', reason: '办理低保复核' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.value).toBe(body.residents[0]!.idNumber);
    const phone = await req('town', 'POST', `/api/v1/residents/${rid}/reveal`, { field: 'phone', reason: '电话回访' });
    expect(phone.json().data.value).toBe('13812345678');
    expect((await req('leader', 'POST', `/api/v1/residents/${rid}/reveal`, { field: 'idNumber', reason: '查看' })).statusCode).toBe(403);
    expect((await req('department', 'POST', `/api/v1/residents/${rid}/reveal`, { field: 'idNumber', reason: '查看' })).statusCode).toBe(403);
    const { rows } = await t.database.db.execute<{ actor_username: string; after: { field: string; reason: string } }>(sql`
      SELECT actor_username, after FROM audit_events WHERE action = 'resident.reveal' AND entity_id = ${rid} ORDER BY id`);
    expect(rows.map((r) => [r.actor_username, r.after.field, r.after.reason])).toEqual([
      ['secretary', 'idNumber', '办理低保复核'], ['town', 'phone', '电话回访'],
    ]);
  });

  it('updates a resident, marks the household away when every adult is away, and keeps a left resident on record', async () => {
    const { res } = await create('secretary', own);
    const h = res.json().data;
    const [head, spouse] = h.residents;
    let r = await req('secretary', 'PATCH', `/api/v1/residents/${head.id}`, { awayScope: 'province', awayPlace: '广东深圳' });
    expect(r.statusCode).toBe(200);
    expect(r.json().data.away).toBe(false);
    r = await req('secretary', 'PATCH', `/api/v1/residents/${spouse.id}`, { awayScope: 'abroad', awayPlace: '日本' });
    expect(r.json().data.away).toBe(true);
    const bad = await req('secretary', 'PATCH', `/api/v1/residents/${spouse.id}`, { birthDate: '2001-01-01' });
    expect(bad.statusCode).toBe(400);
    r = await req('secretary', 'POST', `/api/v1/residents/${spouse.id}/leave`, { on: '2026-11-01', reason: '迁出' });
    expect(r.statusCode).toBe(200);
    expect(r.json().data.residents.map((x: { id: string }) => x.id)).toEqual([head.id]);
    const kept = await t.database.db.execute<{ left_reason: string }>(sql`SELECT left_reason FROM residents WHERE id = ${spouse.id}`);
    expect(kept.rows[0]!.left_reason).toBe('迁出');
  });

  it('PATCH /api/v1/households/:id changes tags and address with an audit trail; leader gets 403', async () => {
    const { res } = await create('secretary', own);
    const id = res.json().data.id;
    const r = await req('secretary', 'PATCH', `/api/v1/households/${id}`, { tags: ['特困', '重病'], address: '新地址 2组 3号' });
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toMatchObject({ tags: ['特困', '重病'], address: '新地址 2组 3号' });
    expect((await req('leader', 'PATCH', `/api/v1/households/${id}`, { tags: [] })).statusCode).toBe(403);
    const { rows } = await t.database.db.execute<{ before: { tags: string[] } }>(sql`SELECT before FROM audit_events WHERE action = 'household.update' AND entity_id = ${id}`);
    expect(rows[0]!.before.tags).toEqual(['低保']);
  });

  it('keeps old values readable after key rotation: a new current key encrypts, the old one still decrypts', async () => {
    const { res, body } = await create('secretary', own);
    const rid = res.json().data.residents[0].id;
    const rotated = { current: 't2', keys: { ...t.config.keyring.keys, t2: Buffer.alloc(32, 3).toString('base64') } };
    const app2 = await buildApp({ config: { ...t.config, keyring: rotated }, database: t.database });
    try {
      const sec = await app2.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'secretary', password: 'lianxin-demo-2026' } });
      const cookie = `lx_session=${sec.cookies.find((c) => c.name === 'lx_session')!.value}`;
      const csrf = sec.json().data.csrfToken;
      const shown = await app2.inject({ method: 'POST', url: `/api/v1/residents/${rid}/reveal`, headers: { cookie, 'x-csrf-token': csrf }, payload: { field: 'idNumber', reason: '轮换后核对' } });
      expect(shown.json().data.value).toBe(body.residents[0]!.idNumber);
      // A duplicate is still detected: the lookup hash does not depend on the current key.
      const dup = await app2.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie, 'x-csrf-token': csrf }, payload: householdBody(own, { residents: [body.residents[0]] }) });
      expect(dup.statusCode).toBe(409);
      const fresh = await app2.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie, 'x-csrf-token': csrf }, payload: householdBody(own) });
      const enc = await t.database.db.execute<{ e: string }>(sql`SELECT id_number_enc AS e FROM residents WHERE household_id = ${fresh.json().data.id} LIMIT 1`);
      expect(enc.rows[0]!.e.startsWith('t2:')).toBe(true);
    } finally {
      await app2.close();
    }
  });
});

describe('GET /api/v1/tags', () => {
  it('returns the configurable tag dictionary', async () => {
    const res = await req('secretary', 'GET', '/api/v1/tags');
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((x: { code: string }) => x.code)).toEqual(expect.arrayContaining(['低保', '特困', '残疾', '独居老人', '留守儿童', '重病']));
  });
});

describe('POST /api/v1/households/:id/remove (注销住户)', () => {
  it('returns 200: residents leave with the reason (their ID numbers free to register elsewhere), links end, the card is revoked, counts and coverage follow, audited; then 404', async () => {
    const { res, body } = await create('secretary', own);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().data.id;
    const { rows: [m] } = await t.database.db.execute<{ id: string }>(sql`
      INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', '注销测试党员', 'M' FROM orgs WHERE code = ${own} RETURNING id`);
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: m!.id, householdId: id })).statusCode).toBe(201);
    await t.database.db.execute(sql`INSERT INTO contact_cards (household_id) VALUES (${id})`);
    const before = { org: (await req('office', 'GET', `/api/v1/orgs/${own}`)).json().data.counts.households, cov: (await req('secretary', 'GET', `/api/v1/coverage?org=${own}`)).json().data };

    const gone = await req('secretary', 'POST', `/api/v1/households/${id}/remove`, { on: '2026-01-15', reason: '全户迁出（迁往郑州）' });
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json().data).toEqual({ id, residentsLeft: body.residents.length, linksEnded: 1 });
    expect((await req('secretary', 'GET', `/api/v1/households/${id}`)).statusCode).toBe(404);
    expect((await req('secretary', 'POST', `/api/v1/households/${id}/remove`, { reason: '再次注销' })).statusCode).toBe(404);
    const { rows: residents } = await t.database.db.execute<{ left_on: string; left_reason: string }>(sql`
      SELECT left_on::text, left_reason FROM residents WHERE household_id = ${id}`);
    expect(residents.every((r) => r.left_on === '2026-01-15' && r.left_reason === '全户迁出（迁往郑州）')).toBe(true);
    const { rows: [link] } = await t.database.db.execute<{ end_reason: string; ends_on: string | null }>(sql`
      SELECT end_reason, ends_on::text FROM links WHERE household_id = ${id}`);
    expect(link).toMatchObject({ end_reason: 'constituent_left' });
    expect(link!.ends_on).not.toBeNull();
    const { rows: cards } = await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM contact_cards WHERE household_id = ${id} AND revoked_at IS NULL`);
    expect(cards[0]!.n).toBe(0);
    expect((await req('office', 'GET', `/api/v1/orgs/${own}`)).json().data.counts.households).toBe(before.org - 1);
    const cov = (await req('secretary', 'GET', `/api/v1/coverage?org=${own}`)).json().data;
    expect(cov.households.linked).toBe(before.cov.households.linked - 1);
    // The family registers again in the town they moved to: their ID numbers are free.
    const again = await req('town', 'POST', '/api/v1/households', { ...body, orgCode: neighbour });
    expect(again.statusCode, again.body).toBe(201);
    const audit = await t.database.db.execute<{ after: { reason: string; residentsLeft: number } }>(sql`
      SELECT after FROM audit_events WHERE action = 'household.remove' AND entity_id = ${id}`);
    expect(audit.rows[0]!.after).toMatchObject({ reason: '全户迁出（迁往郑州）', residentsLeft: body.residents.length });
  });

  it('answers by scope and input: leader, member, department 403; neighbour village 404; no reason, a future or non-existent date 400; nothing changes', async () => {
    const { res } = await create('secretary', own);
    const id = res.json().data.id;
    for (const r of ['leader', 'member', 'department']) expect((await req(r, 'POST', `/api/v1/households/${id}/remove`, { reason: '全户迁出' })).statusCode, r).toBe(r === 'member' ? 404 : 403);
    const theirs = (await create('town', neighbour)).res.json().data.id;
    expect((await req('secretary', 'POST', `/api/v1/households/${theirs}/remove`, { reason: '全户迁出' })).statusCode).toBe(404);
    expect((await req('secretary', 'POST', `/api/v1/households/${id}/remove`, {})).statusCode).toBe(400);
    expect((await req('secretary', 'POST', `/api/v1/households/${id}/remove`, { reason: '全户迁出', on: '2999-01-01' })).statusCode).toBe(400);
    expect((await req('secretary', 'POST', `/api/v1/households/${id}/remove`, { reason: '全户迁出', on: '2025-02-30' })).statusCode).toBe(400);
    expect((await req('secretary', 'GET', `/api/v1/households/${id}`)).statusCode).toBe(200);
  });
});
