import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, scopeVillages, login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { decrypt } from '../../lib/crypto.ts';
import { creditCheckChar, isValidCreditCode, makeCreditCode } from '../../lib/credit-code.ts';

let t: TestApp;
const s: Record<string, Session> = {};
const ROLES = DEMO_ROLES;
let own: string; // secretary's village in 克井镇
let neighbour: string; // another village of 克井镇
let otherTown: string; // a village of 五龙口镇

let seq = 0;
/** A new valid credit code for every call: 91 (工商, 企业) + 419001 + a 9-character subject code + check. */
function code(): string {
  const n = (seq++ * 7919 + process.pid * 31) % 10_000_000;
  return makeCreditCode(`91419001MA${String(n).padStart(7, '0')}`);
}

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ROLES) s[r] = await login(t.app, r);
  ({ own, neighbour, otherTown } = await scopeVillages(t));
});
afterAll(async () => { await t?.close(); });

function req(role: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
function enterpriseBody(org: string, overrides: Record<string, unknown> = {}) {
  return {
    kind: 'enterprise', orgCode: org, name: '济源市测试机械有限公司', address: '克井镇 工业园区 8号', creditCode: code(),
    contactName: '王建国', contactPhone: '13903911234', employees: 120, ...overrides,
  };
}
async function post(role: string, body: Record<string, unknown>) {
  return req(role, 'POST', '/api/v1/businesses', body);
}
async function enterprise(org = own, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await post('secretary', enterpriseBody(org, overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.id;
}
async function count(): Promise<number> {
  return (await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM businesses`)).rows[0]!.n;
}

describe('credit codes (GB 32100)', () => {
  it('accepts published codes and rejects a wrong check character or a forbidden letter', () => {
    for (const c of ['91350100M000100Y43', '91110000600037341L', '91110108551385082Q']) expect(isValidCreditCode(c), c).toBe(true);
    expect(isValidCreditCode('91110000600037341K')).toBe(false);
    expect(isValidCreditCode('9111000060003734IL')).toBe(false);
    // 31 - sum % 31 with 31 → '0'
    expect(creditCheckChar('00000000000000000')).toBe('0');
  });
});

describe('POST /api/v1/businesses', () => {
  it('returns 201 for an enterprise, a shop and a team, with the contact phone masked and stored encrypted', async () => {
    const e = await post('secretary', enterpriseBody(own));
    expect(e.statusCode).toBe(201);
    expect(e.json().data).toMatchObject({
      kind: 'enterprise', orgCode: own, name: '济源市测试机械有限公司', contactName: '王建国', contactPhoneMasked: '139****1234',
      employees: 120, parentId: null, synthetic: false, abilities: { update: true, reveal: true, readLinks: true },
    });
    expect(e.body).not.toContain('13903911234');
    const eid = e.json().data.id;
    const shopCode = makeCreditCode('92419001MA0000001');
    const shopOk = await post('town', { kind: 'shop', orgCode: own, name: '老王超市', address: '克井镇 2组 5号', creditCode: shopCode });
    expect(shopOk.statusCode).toBe(201);
    expect(shopOk.json().data).toMatchObject({ kind: 'shop', creditCode: shopCode, contactPhoneMasked: null });
    const team = await post('secretary', { kind: 'team', orgCode: own, parentId: eid, name: '一车间甲班', address: '克井镇 工业园区 8号', employees: 12 });
    expect(team.statusCode).toBe(201);
    expect(team.json().data).toMatchObject({ kind: 'team', parentId: eid, parentName: '济源市测试机械有限公司', creditCode: null });
    const { rows } = await t.database.db.execute<{ contact_phone_enc: string }>(sql`SELECT contact_phone_enc FROM businesses WHERE id = ${eid}`);
    expect(rows[0]!.contact_phone_enc.startsWith('t1:')).toBe(true);
    expect(decrypt(t.config.keyring, rows[0]!.contact_phone_enc)).toBe('13903911234');
    const audit = await t.database.db.execute<{ after: unknown }>(sql`SELECT after FROM audit_events WHERE action = 'business.create' AND entity_id = ${eid}`);
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows[0]!.after)).not.toContain('13903911234');
    expect(JSON.stringify(audit.rows[0]!.after)).toContain('139****1234');
  });

  it('returns 400 when a team has no parent, a shop or neighbour-village enterprise as parent, or a non-team names a parent; writes nothing', async () => {
    const eid = await enterprise(own);
    const foreign = (await post('town', enterpriseBody(neighbour))).json().data.id;
    const shop = (await post('secretary', { kind: 'shop', orgCode: own, name: '小吃店', address: '克井镇 1组 1号' })).json().data.id;
    const before = await count();
    const team = { kind: 'team', orgCode: own, name: '二车间', address: '工业园区' };
    const cases: [Record<string, unknown>, string][] = [
      [team, 'parentId'],
      [{ ...team, parentId: null }, 'parentId'],
      [{ ...team, parentId: shop }, 'parentId'],
      [{ ...team, parentId: foreign }, 'parentId'],
      [{ ...team, parentId: '00000000-0000-4000-8000-000000000000' }, 'parentId'],
      [{ ...team, parentId: eid, creditCode: code() }, 'creditCode'],
      [{ kind: 'shop', orgCode: own, name: '理发店', address: '1组', parentId: eid }, 'parentId'],
    ];
    for (const [body, path] of cases) {
      const res = await post('secretary', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await count()).toBe(before);
  });

  it('returns 400 for a credit code with a wrong check character, forbidden letters, unknown fields, overlong text, negative employees and a non-village org', async () => {
    const good = code();
    const wrong = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const before = await count();
    const cases = [
      enterpriseBody(own, { creditCode: wrong }),
      enterpriseBody(own, { creditCode: good.slice(0, 16) + 'I' + good[17] }),
      enterpriseBody(own, { extra: 1 }),
      enterpriseBody(own, { name: '企'.repeat(81) }),
      enterpriseBody(own, { address: 'x'.repeat(121) }),
      enterpriseBody(own, { employees: -1 }),
      enterpriseBody(own, { employees: 1.5 }),
      enterpriseBody(own, { contactPhone: '12345' }),
      enterpriseBody(own, { kind: 'factory' }),
      enterpriseBody('419001100000'),
    ];
    for (const body of cases) {
      const res = await post('town', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
    const check = await post('town', enterpriseBody(own, { creditCode: wrong }));
    expect(check.json().error.details).toEqual([{ path: 'creditCode', message: expect.stringContaining('校验位') }]);
    expect(await count()).toBe(before);
  });

  it('returns 409 for a credit code already held by a live business (pointing to it only when visible), and 201 again once it is removed', async () => {
    const c = code();
    const first = await enterprise(own, { creditCode: c });
    const dupe = await post('town', enterpriseBody(neighbour, { creditCode: c.toLowerCase() }));
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json().error).toMatchObject({ id: 'conflict', details: [{ creditCode: c, businessId: first }] });
    const hidden = await post('office', enterpriseBody(otherTown, { creditCode: c }));
    expect(hidden.statusCode).toBe(409);
    const other = await enterprise(own);
    const patch = await req('secretary', 'PATCH', `/api/v1/businesses/${other}`, { creditCode: c });
    expect(patch.statusCode).toBe(409);
    expect((await req('secretary', 'POST', `/api/v1/businesses/${first}/remove`, { reason: '已注销' })).statusCode).toBe(200);
    expect((await post('town', enterpriseBody(neighbour, { creditCode: c }))).statusCode).toBe(201);
  });

  it('is refused by the database itself for a second live row with the same credit code (imports insert without the lock); removed rows do not count', async () => {
    const c = code();
    const first = await enterprise(own, { creditCode: c });
    const { rows: org } = await t.database.db.execute<{ id: string }>(sql`SELECT org_id AS id FROM businesses WHERE id = ${first}`);
    const insert = () => t.database.db.execute(sql`
      INSERT INTO businesses (kind, org_id, name, address, credit_code) VALUES ('enterprise', ${org[0]!.id}, '直接写入', '路', ${c})`);
    const err = await insert().then(() => null, (e: { cause?: { code?: string; constraint?: string } }) => e.cause ?? e);
    expect(err).toMatchObject({ code: '23505', constraint: 'businesses_credit_code_live_key' });
    expect((await req('secretary', 'POST', `/api/v1/businesses/${first}/remove`, { reason: '已注销' })).statusCode).toBe(200);
    await insert();
  });

  it('registers a credit code only once when two requests race (409 for the loser, one live row)', async () => {
    for (let i = 0; i < 3; i++) {
      const c = code();
      const results = await Promise.all([
        post('secretary', enterpriseBody(own, { creditCode: c })),
        post('town', enterpriseBody(neighbour, { creditCode: c })),
        post('office', enterpriseBody(otherTown, { creditCode: c })),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
      const { rows } = await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM businesses WHERE credit_code = ${c} AND removed_at IS NULL`);
      expect(rows[0]!.n).toBe(1);
    }
  });

  it('authorizes by scope: secretary → neighbour 404; town → its villages 201, other town 404; office 201; leader 403; member, department, admin 403', async () => {
    expect((await post('secretary', enterpriseBody(neighbour))).statusCode).toBe(404);
    expect((await post('town', enterpriseBody(neighbour))).statusCode).toBe(201);
    expect((await post('town', enterpriseBody(otherTown))).statusCode).toBe(404);
    expect((await post('office', enterpriseBody(otherTown))).statusCode).toBe(201);
    expect((await post('leader', enterpriseBody(own))).statusCode).toBe(403);
    for (const role of ['member', 'department', 'admin']) expect((await post(role, enterpriseBody(own))).statusCode, role).toBe(403);
  });

  it('stores hostile text verbatim', async () => {
    const name = `<img src=x onerror=alert(1)>'; DROP TABLE businesses;--`;
    const address = `"\u202e%_\\ 克井镇`;
    const id = await enterprise(own, { name, address, contactName: '<b>李</b>' });
    const again = (await req('secretary', 'GET', `/api/v1/businesses/${id}`)).json().data;
    expect(again).toMatchObject({ name, address, contactName: '<b>李</b>' });
    const found = await req('secretary', 'GET', `/api/v1/businesses?q=${encodeURIComponent('%_\\')}`);
    expect(found.json().data.map((b: { id: string }) => b.id)).toEqual([id]);
  });
});

describe('GET /api/v1/businesses and /:id', () => {
  let eid: string;
  let creditCode: string;
  beforeAll(async () => {
    creditCode = code();
    eid = await enterprise(own, { name: '济源市欧阳精密铸造有限公司', address: '克井镇 搜索测试路 9号', creditCode });
  });

  it('finds businesses by name, pinyin initials (anywhere in the name), address and credit code (full or prefix), within scope', async () => {
    for (const q of ['欧阳精密', 'oyjm', 'jysoyjmzzyxgs', 'OYJM', '搜索测试路', creditCode, creditCode.toLowerCase(), creditCode.slice(0, 12)]) {
      const res = await req('secretary', 'GET', `/api/v1/businesses?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      expect(res.json().data.map((b: { id: string }) => b.id), q).toContain(eid);
    }
    const none = await req('secretary', 'GET', `/api/v1/businesses?q=zzzzqqqq`);
    expect(none.json().data).toEqual([]);
    const kinds = await req('town', 'GET', `/api/v1/businesses?org=${own}&kind=team`);
    expect(kinds.json().data.every((b: { kind: string }) => b.kind === 'team')).toBe(true);
    expect((await req('town', 'GET', `/api/v1/businesses?org=${otherTown}`)).statusCode).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/businesses?org=${neighbour}`)).statusCode).toBe(404);
    expect((await req('office', 'GET', `/api/v1/businesses?kind=factory`)).statusCode).toBe(400);
    expect((await req('office', 'GET', `/api/v1/businesses?limit=201`)).statusCode).toBe(400);
    expect((await req('office', 'GET', `/api/v1/businesses?cursor=bogus`)).statusCode).toBe(400);
  });

  it('paginates with a cursor without gaps or repeats, also across equal names', async () => {
    for (let i = 0; i < 4; i++) await enterprise(own, { name: '同名商贸有限公司', creditCode: code() });
    const all = (await req('office', 'GET', `/api/v1/businesses?org=419001100000&limit=200`)).json();
    expect(all.nextCursor).toBeNull();
    const ids = all.data.map((b: { id: string }) => b.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await req('office', 'GET', `/api/v1/businesses?org=419001100000&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().data.map((b: { id: string }) => b.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
    expect(ids.length).toBeGreaterThan(8);
  });

  it('answers each role by scope: visible to office, town, secretary, leader (read-only abilities); 404 for a neighbour\'s secretary, another town and an unlinked member (whose list is theirs only); 403 for the rest', async () => {
    const expected: Record<string, number> = { office: 200, town: 200, secretary: 200, leader: 200, member: 404, department: 403, admin: 403 };
    for (const role of ROLES) {
      for (const url of [`/api/v1/businesses/${eid}`, '/api/v1/businesses']) {
        const res = await req(role, 'GET', url);
        expect(res.statusCode, `${role} ${url}`).toBe(role === 'member' && url === '/api/v1/businesses' ? 200 : expected[role]);
        if (role === 'member' && res.statusCode === 200) expect(res.json().data.map((b: { id: string }) => b.id)).not.toContain(eid);
        if (res.statusCode === 200) {
          expect(res.body).not.toContain('_enc');
          expect(res.body).not.toContain('Enc');
          expect(res.body).not.toContain('hash');
          expect(res.body).not.toContain('13903911234');
          expect(res.body).not.toMatch(/t1:[A-Za-z0-9+/=]/);
        }
      }
    }
    expect((await req('leader', 'GET', `/api/v1/businesses/${eid}`)).json().data.abilities).toEqual({ update: false, reveal: false, readLinks: true });
    const theirs = (await post('town', enterpriseBody(neighbour))).json().data.id;
    expect((await req('secretary', 'GET', `/api/v1/businesses/${theirs}`)).statusCode).toBe(404);
    expect((await req('secretary', 'GET', '/api/v1/businesses?limit=200')).json().data.map((b: { id: string }) => b.id)).not.toContain(theirs);
    const far = (await post('office', enterpriseBody(otherTown))).json().data.id;
    expect((await req('town', 'GET', `/api/v1/businesses/${far}`)).statusCode).toBe(404);
    expect((await req('town', 'PATCH', `/api/v1/businesses/${far}`, { employees: 1 })).statusCode).toBe(404);
    expect((await req('town', 'POST', `/api/v1/businesses/${far}/reveal`, { field: 'contactPhone', reason: '核实' })).statusCode).toBe(404);
    expect((await req('town', 'POST', `/api/v1/businesses/${far}/remove`, { reason: '核实' })).statusCode).toBe(404);
  });

  it('returns 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await req('office', 'GET', '/api/v1/businesses/not-a-uuid')).statusCode).toBe(400);
    expect((await req('office', 'GET', '/api/v1/businesses/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('a member (党员) and the businesses linked to them', () => {
  async function linkTo(personId: string, businessId: string, role: 'primary' | 'helper' = 'primary') {
    const res = await req('secretary', 'POST', '/api/v1/links', { personId, businessId, role });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data.id as string;
  }

  it('lists and shows exactly the enterprises, shops and teams linked to them now, masked; reveals the contact phone (audited); 我联系的 counts both kinds', async () => {
    const { rows } = await t.database.db.execute<{ person_id: string }>(sql`SELECT person_id FROM accounts WHERE username = 'member'`);
    const me = rows[0]!.person_id;
    const before = (await req('member', 'GET', '/api/v1/links/mine')).json().data;
    const ent = await enterprise(own, { name: '济源市联户测试机械有限公司' });
    const shop = (await post('secretary', { kind: 'shop', orgCode: own, name: '联户测试便利店', address: '村东 3号', contactPhone: '13703900001' })).json().data.id as string;
    const team = (await post('secretary', { kind: 'team', orgCode: own, parentId: ent, name: '联户测试班组', address: '园区' })).json().data.id as string;
    const notMine = await enterprise(own, { name: '济源市别人联系机械有限公司' });
    const other = (await t.database.db.execute<{ id: string }>(sql`
      INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', '另一党员', 'F' FROM orgs WHERE code = ${own} RETURNING id`)).rows[0]!.id;
    await linkTo(other, notMine);
    const entLink = await linkTo(me, ent);
    await linkTo(me, shop);
    await linkTo(me, team, 'helper');

    const list = await req('member', 'GET', `/api/v1/businesses?org=${own}&limit=200`);
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((b: { id: string }) => b.id).sort()).toEqual([ent, shop, team].sort());
    expect(list.body).not.toContain('13903911234');
    expect(list.body).not.toContain('13703900001');
    expect((await req('member', 'GET', `/api/v1/businesses?org=${neighbour}`)).statusCode).toBe(404);

    const detail = await req('member', 'GET', `/api/v1/businesses/${ent}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().data).toMatchObject({ contactPhoneMasked: '139****1234', abilities: { update: false, reveal: true } });
    expect((await req('member', 'GET', `/api/v1/businesses/${notMine}`)).statusCode).toBe(404);
    expect((await req('member', 'POST', `/api/v1/businesses/${notMine}/reveal`, { field: 'contactPhone', reason: '走访联系' })).statusCode).toBe(404);
    expect((await req('member', 'PATCH', `/api/v1/businesses/${ent}`, { employees: 3 })).statusCode).toBe(403);
    expect((await req('member', 'GET', `/api/v1/businesses/export?org=${own}`)).statusCode).toBe(403);

    const phone = await req('member', 'POST', `/api/v1/businesses/${ent}/reveal`, { field: 'contactPhone', reason: '走访联系' });
    expect(phone.statusCode, phone.body).toBe(200);
    expect(phone.json().data.value).toBe('13903911234');
    const { rows: audit } = await t.database.db.execute<{ after: unknown }>(sql`
      SELECT after FROM audit_events WHERE action = 'business.reveal' AND entity_id = ${ent} AND actor_username = 'member'`);
    expect(audit.map((a) => a.after)).toEqual([{ field: 'contactPhone', reason: '走访联系', asLinkedMember: true }]);

    const after = (await req('member', 'GET', '/api/v1/links/mine')).json().data;
    expect(after).toEqual({ ...before, enterprises: before.enterprises + 1, shops: before.shops + 1, teams: before.teams + 1, businesses: before.businesses + 3 });

    // The link ends: the enterprise is no longer theirs.
    await req('secretary', 'POST', `/api/v1/links/${entLink}/end`, { reason: 'other' });
    expect((await req('member', 'GET', `/api/v1/businesses/${ent}`)).statusCode).toBe(404);
    expect((await req('member', 'POST', `/api/v1/businesses/${ent}/reveal`, { field: 'contactPhone', reason: '走访联系' })).statusCode).toBe(404);
    expect((await req('member', 'GET', '/api/v1/links/mine')).json().data.enterprises).toBe(before.enterprises);
  });

  it('gives department and admin no businesses (403) and no links of their own (zero counts)', async () => {
    for (const role of ['department', 'admin']) {
      expect((await req(role, 'GET', '/api/v1/businesses')).statusCode, role).toBe(403);
      expect((await req(role, 'GET', '/api/v1/links/mine')).json().data, role).toEqual({ households: 0, enterprises: 0, shops: 0, teams: 0, businesses: 0 });
    }
  });
});

describe('PATCH, reveal and remove', () => {
  it('PATCH returns 200 with changed fields, recomputed initials and a masked audit trail; 400 for kind/orgCode or an unrelated parent; leader 403', async () => {
    const id = await enterprise(own);
    const r = await req('secretary', 'PATCH', `/api/v1/businesses/${id}`, { name: '济源市克井新材料有限公司', contactPhone: '13812345678', employees: 0 });
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toMatchObject({ name: '济源市克井新材料有限公司', contactPhoneMasked: '138****5678', employees: 0 });
    expect((await req('secretary', 'GET', '/api/v1/businesses?q=kjxcl')).json().data.map((b: { id: string }) => b.id)).toContain(id);
    const cleared = await req('secretary', 'PATCH', `/api/v1/businesses/${id}`, { contactPhone: null, creditCode: null });
    expect(cleared.json().data).toMatchObject({ contactPhoneMasked: null, creditCode: null });
    for (const body of [{ kind: 'shop' }, { orgCode: neighbour }, { parentId: id }, { creditCode: '91419001MA00000000' }]) {
      expect((await req('secretary', 'PATCH', `/api/v1/businesses/${id}`, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await req('leader', 'PATCH', `/api/v1/businesses/${id}`, { employees: 3 })).statusCode).toBe(403);
    expect((await req('member', 'PATCH', `/api/v1/businesses/${id}`, { employees: 3 })).statusCode).toBe(404);
    const { rows } = await t.database.db.execute<{ before: unknown; after: unknown }>(sql`
      SELECT before, after FROM audit_events WHERE action = 'business.update' AND entity_id = ${id} ORDER BY id`);
    expect(rows).toHaveLength(2);
    const text = JSON.stringify(rows);
    expect(text).not.toContain('13903911234');
    expect(text).not.toContain('13812345678');
    expect(text).toContain('139****1234');
  });

  it('moves a team to another enterprise of its village (200) but not to one elsewhere or to none (400)', async () => {
    const a = await enterprise(own);
    const b = await enterprise(own);
    const elsewhere = (await post('town', enterpriseBody(neighbour))).json().data.id;
    const team = (await post('secretary', { kind: 'team', orgCode: own, parentId: a, name: '包装班', address: '园区' })).json().data.id;
    expect((await req('secretary', 'PATCH', `/api/v1/businesses/${team}`, { parentId: b })).json().data.parentId).toBe(b);
    expect((await req('town', 'PATCH', `/api/v1/businesses/${team}`, { parentId: elsewhere })).statusCode).toBe(400);
    expect((await req('secretary', 'PATCH', `/api/v1/businesses/${team}`, { parentId: null })).statusCode).toBe(400);
  });

  it('reveals the full contact phone only with a reason, to office/town/secretary, and audits who, which and why', async () => {
    const id = await enterprise(own);
    const url = `/api/v1/businesses/${id}/reveal`;
    expect((await req('secretary', 'POST', url, { field: 'contactPhone', reason: '' })).statusCode).toBe(400);
    expect((await req('secretary', 'POST', url, { field: 'idNumber', reason: '核实联系人' })).statusCode).toBe(400);
    const ok = await req('secretary', 'POST', url, { field: 'contactPhone', reason: '安全生产检查联系' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toEqual({ field: 'contactPhone', value: '13903911234' });
    expect((await req('town', 'POST', url, { field: 'contactPhone', reason: '回访' })).statusCode).toBe(200);
    for (const role of ['leader', 'member', 'department', 'admin']) {
      expect((await req(role, 'POST', url, { field: 'contactPhone', reason: '查看' })).statusCode, role).toBe(role === 'member' ? 404 : 403);
    }
    const { rows } = await t.database.db.execute<{ actor_username: string; after: { field: string; reason: string } }>(sql`
      SELECT actor_username, after FROM audit_events WHERE action = 'business.reveal' AND entity_id = ${id} ORDER BY id`);
    expect(rows.map((r) => [r.actor_username, r.after.field, r.after.reason])).toEqual([
      ['secretary', 'contactPhone', '安全生产检查联系'], ['town', 'contactPhone', '回访'],
    ]);
  });

  it('keeps coverage current: a registered enterprise counts at once, and removing a linked one ends its link (constituent_left) and uncounts it', async () => {
    const enterprises = async () => (await req('secretary', 'GET', `/api/v1/coverage?org=${own}`)).json().data.enterprises as { total: number; linked: number };
    const before = await enterprises();
    const id = await enterprise(own, { name: '济源市覆盖测试机械有限公司' });
    expect((await enterprises()).total).toBe(before.total + 1);
    const { rows } = await t.database.db.execute<{ id: string }>(sql`
      INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', '覆盖党员', 'M' FROM orgs WHERE code = ${own} RETURNING id`);
    expect((await req('secretary', 'POST', '/api/v1/links', { personId: rows[0]!.id, businessId: id })).statusCode).toBe(201);
    expect((await enterprises()).linked).toBe(before.linked + 1);
    expect((await req('secretary', 'POST', `/api/v1/businesses/${id}/remove`, { reason: '企业注销' })).statusCode).toBe(200);
    expect(await enterprises()).toMatchObject({ total: before.total, linked: before.linked });
    const link = await t.database.db.execute<{ end_reason: string | null }>(sql`SELECT end_reason FROM links WHERE business_id = ${id}`);
    expect(link.rows).toEqual([{ end_reason: 'constituent_left' }]);
  });

  it('remove returns 200, soft-deletes the enterprise and cascades to its teams (each audited), then 404; leader 403', async () => {
    const id = await enterprise(own, { name: '济源市待注销化工有限公司' });
    const teams: string[] = [];
    for (const name of ['一车间甲班', '一车间乙班']) {
      teams.push((await post('secretary', { kind: 'team', orgCode: own, parentId: id, name, address: '园区' })).json().data.id);
    }
    const keep = await enterprise(own);
    const other = (await post('secretary', { kind: 'team', orgCode: own, parentId: keep, name: '维修班', address: '园区' })).json().data.id;
    await t.database.db.execute(sql`INSERT INTO contact_cards (business_id) VALUES (${id}), (${teams[0]}), (${other})`);
    expect((await req('leader', 'POST', `/api/v1/businesses/${id}/remove`, { reason: '企业注销' })).statusCode).toBe(403);
    expect((await req('secretary', 'POST', `/api/v1/businesses/${id}/remove`, { reason: '' })).statusCode).toBe(400);
    const res = await req('secretary', 'POST', `/api/v1/businesses/${id}/remove`, { reason: '企业注销' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.removedIds.sort()).toEqual([id, ...teams].sort());
    for (const x of [id, ...teams]) expect((await req('secretary', 'GET', `/api/v1/businesses/${x}`)).statusCode).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/businesses/${other}`)).statusCode).toBe(200);
    expect((await req('secretary', 'POST', `/api/v1/businesses/${id}/remove`, { reason: '再次' })).statusCode).toBe(404);
    const { rows } = await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM businesses WHERE id IN (${sql.join([id, ...teams].map((x) => sql`${x}`), sql`, `)}) AND removed_at IS NOT NULL`);
    expect(rows[0]!.n).toBe(3);
    // Their 联系卡 are void; the kept enterprise's team's card is not.
    const { rows: live } = await t.database.db.execute<{ business_id: string }>(sql`
      SELECT business_id FROM contact_cards WHERE revoked_at IS NULL AND business_id IN (${id}, ${teams[0]}, ${other})`);
    expect(live.map((r) => r.business_id)).toEqual([other]);
    const audit = await t.database.db.execute<{ entity_id: string; after: { reason: string } }>(sql`
      SELECT entity_id, after FROM audit_events WHERE action = 'business.remove' AND (entity_id = ${id} OR after->>'cascadeFrom' = ${id})`);
    expect(audit.rows.map((r) => r.entity_id).sort()).toEqual([id, ...teams].sort());
    expect(audit.rows.every((r) => r.after.reason === '企业注销')).toBe(true);
    // A removed enterprise takes no new teams.
    expect((await post('secretary', { kind: 'team', orgCode: own, parentId: id, name: '新班组', address: '园区' })).statusCode).toBe(400);
  });
});
