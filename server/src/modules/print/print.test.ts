import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { readPdf } from '../../../test/pdf.ts';

let t: TestApp;
const s: Record<string, Session> = {};
const KEJING = '419001100000';
let own: { code: string; id: string; name: string };
let neighbour: string;
let m1: string;
let m2: string;
const linked: string[] = [];
let unlinked: string;
let gA: string;
const ID_NUMBERS: string[] = [];
let gridSeq = 100;

beforeAll(async () => {
  t = await setupTestApp({ publicUrl: 'https://lianxin.example.cn' });
  for (const r of ['office', 'town', 'secretary', 'member', 'department']) s[r] = await login(t.app, r);
  const { rows } = await t.database.db.execute<{ code: string; id: string; name: string }>(sql`
    SELECT v.code, v.id, v.short_name AS name FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE p.code = ${KEJING} ORDER BY v.sort_key LIMIT 2`);
  own = rows[0]!;
  neighbour = rows[1]!.code;
  gA = await grid(own.code, '东片');
  const gB = await grid(own.code, '西片');
  m1 = await member(own.code, '甲党员', '0391-6661234');
  m2 = await member(own.code, '乙党员', null);
  for (const [name, g, m] of [['王大明', gA, m1], ['李小红', gA, m1], ['赵<b>刚</b>', gB, m2]] as const) {
    const r = residentBody({ name, phone: '13900001111' });
    ID_NUMBERS.push(r.idNumber);
    const h = await household(own.code, { gridCode: g, residents: [r], tags: ['低保'] });
    const l = await req('secretary', 'POST', '/api/v1/links', { personId: m, householdId: h });
    expect(l.statusCode, l.body).toBe(201);
    linked.push(h);
  }
  unlinked = await household(own.code, { gridCode: gB, residents: [residentBody({ name: '钱未联' })] });
});
afterAll(async () => { await t.close(); });

function req(role: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const headers = role ? { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } : {};
  return t.app.inject({ method, url, payload: payload as object, headers });
}
async function member(orgCode: string, name: string, workPhone: string | null): Promise<string> {
  const { rows } = await t.database.db.execute<{ id: string }>(sql`
    INSERT INTO people (org_id, kind, name, sex, work_phone) SELECT id, 'member', ${name}, 'M', ${workPhone} FROM orgs WHERE code = ${orgCode} RETURNING id`);
  return rows[0]!.id;
}
async function grid(villageCode: string, name: string): Promise<string> {
  const code = `${villageCode}-G${++gridSeq}`;
  await t.database.db.execute(sql`
    INSERT INTO orgs (code, name, short_name, level, parent_id, path, depth, pinyin_initials, pinyin, valid_from)
    SELECT ${code}, ${name}, ${name}, 'grid', id, path || '/' || ${code}, depth + 1, '', '', '2023-06-30' FROM orgs WHERE code = ${villageCode}`);
  return code;
}
async function household(org: string, extra: Record<string, unknown>): Promise<string> {
  const res = await req('secretary', 'POST', '/api/v1/households', householdBody(org, { address: `克井镇 ${own.name} 3组 ${linked.length + 10}号`, ...extra }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.id;
}
const tokenOf = (url: string) => url.split('/c/')[1]!;

describe('link map (联户示意图)', () => {
  it('returns an A4 PDF whose extractable text has the village, grids, members and households but no ID numbers, phones or tags', async () => {
    const res = await req('secretary', 'GET', `/api/v1/orgs/${own.code}/link-map.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent(`${own.name}联户示意图.pdf`));
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.pages).toHaveLength(1);
    expect(Math.round(pdf.pages[0]!.width)).toBe(595); // A4 portrait: a small village fits one page
    expect(pdf.title).toBe(`${own.name}党群连心工程联户示意图`);
    for (const want of [own.name, '东片', '西片', '甲党员', '0391-6661234', '乙党员', '王大明户', '李小红户', '3组', '未联系 1 户', '第 1 页 共 1 页']) {
      expect(pdf.text).toContain(want);
    }
    for (const secret of [...ID_NUMBERS, '13900001111', '低保', '钱未联']) expect(pdf.text).not.toContain(secret);
    expect(Math.min(...pdf.pages[0]!.sizes)).toBeGreaterThanOrEqual(10.5);
  });

  it('returns the same map as SVG with every name escaped as text', async () => {
    const res = await req('member', 'GET', `/api/v1/orgs/${own.code}/link-map.svg`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    expect(res.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(res.body).toContain('甲党员');
    expect(res.body).toContain('赵&#60;b&#62;刚&#60;/b&#62;户');
    expect(res.body).not.toContain('<b>');
    expect(res.body).not.toContain('13900001111');
  });

  it('returns the map\'s content as JSON (a list per member by grid, for phones): the sheet\'s names and work phones only, scoped like the sheet', async () => {
    const res = await req('member', 'GET', `/api/v1/orgs/${own.code}/link-map`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const map = res.json().data;
    expect(map).toMatchObject({ title: `${own.name}党群连心工程联户示意图`, synthetic: false });
    const byGrid = Object.fromEntries(map.grids.map((g: { name: string; members: { name: string; workPhone: string | null; items: string[] }[] }) => [g.name, g.members]));
    expect(byGrid['东片']).toEqual([{ name: '甲党员', workPhone: '0391-6661234', items: expect.arrayContaining([expect.stringMatching(/^王大明户　3组/), expect.stringMatching(/^李小红户　3组/)]) }]);
    expect(byGrid['西片'].map((m: { name: string }) => m.name)).toEqual(['乙党员']);
    expect(map.grids.find((g: { name: string }) => g.name === '西片').unlinked).toBe(1);
    for (const secret of [...ID_NUMBERS, '13900001111', '低保', '钱未联']) expect(res.body).not.toContain(secret);
    expect((await req('member', 'GET', `/api/v1/orgs/${neighbour}/link-map`)).statusCode).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/orgs/${own.code}/link-map?grid=${encodeURIComponent(gA)}`)).json().data.grids.map((g: { name: string }) => g.name)).toEqual(['东片']);
    expect((await req(null, 'GET', `/api/v1/orgs/${own.code}/link-map`)).statusCode).toBe(401);
  });

  it('prints one grid\'s poster with ?grid=, and answers 404 for a grid of another village', async () => {
    const res = await req('secretary', 'GET', `/api/v1/orgs/${own.code}/link-map.pdf?grid=${encodeURIComponent(gA)}`);
    expect(res.statusCode, res.body).toBe(200);
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.title).toBe(`${own.name}东片党群连心工程联户示意图`);
    expect(pdf.text).toContain('王大明户');
    expect(pdf.text).toContain('李小红户');
    expect(pdf.text).not.toContain('乙党员');
    expect(pdf.text).not.toContain('西片');
    const other = await grid(neighbour, '北片');
    expect((await req('town', 'GET', `/api/v1/orgs/${own.code}/link-map.svg?grid=${encodeURIComponent(other)}`)).statusCode).toBe(404);
  });

  it('returns 404 for a village outside the caller\'s scope, 400 for a town, 401 without a session', async () => {
    expect((await req('secretary', 'GET', `/api/v1/orgs/${neighbour}/link-map.pdf`)).statusCode).toBe(404);
    expect((await req('member', 'GET', `/api/v1/orgs/${neighbour}/link-map.svg`)).statusCode).toBe(404);
    expect((await req('town', 'GET', `/api/v1/orgs/${neighbour}/link-map.pdf`)).statusCode).toBe(200);
    const town = await req('town', 'GET', `/api/v1/orgs/${KEJING}/link-map.pdf`);
    expect(town.statusCode).toBe(400);
    expect(town.json().error.id).toBe('validation_error');
    expect((await req(null, 'GET', `/api/v1/orgs/${own.code}/link-map.pdf`)).statusCode).toBe(401);
  });

  it('lays a 1,500-household village on A3 landscape at ≥ 10.5 pt, each member box whole on one page and grids in order', async () => {
    const { rows } = await t.database.db.execute<{ id: string; code: string; name: string }>(sql`
      SELECT v.id, v.code, v.short_name AS name FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE p.code = ${KEJING} ORDER BY v.sort_key OFFSET 2 LIMIT 1`);
    const big = rows[0]!;
    const grids: string[] = [];
    for (let g = 1; g <= 6; g++) grids.push(await grid(big.code, `第${g}网格`));
    // 75 members × 20 households: the top of the 5–20 target, set-based so the test stays fast.
    await t.database.db.execute(sql`
      WITH m AS (
        INSERT INTO people (org_id, kind, name, sex, work_phone)
        SELECT ${big.id}, 'member', '党员' || lpad(i::text, 3, '0'), 'M', '0391-66' || lpad(i::text, 5, '0') FROM generate_series(1, 75) i
        RETURNING id, name),
      h AS (
        INSERT INTO households (org_id, grid_id, address, head_name, head_initials)
        SELECT ${big.id}, (SELECT id FROM orgs WHERE code = (${sql.raw(`ARRAY[${grids.map((g) => `'${g}'`).join(',')}]`)})[1 + (i - 1) / 250]),
               '克井镇 ' || ${big.name} || ' ' || (1 + (i - 1) / 250) || '组 ' || i || '号', '户主' || i, ''
        FROM generate_series(1, 1500) i
        RETURNING id, head_name)
      INSERT INTO links (person_id, household_id, role, org_id, starts_on)
      SELECT m.id, h.id, 'primary', ${big.id}, '2024-01-01'
      FROM h JOIN m ON m.name = '党员' || lpad((1 + (substr(h.head_name, 3)::int - 1) / 20)::text, 3, '0')`);
    const res = await req('town', 'GET', `/api/v1/orgs/${big.code}/link-map.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.pages.length).toBeGreaterThan(1);
    for (const p of pdf.pages) {
      expect(Math.round(p.width)).toBe(1191); // A3 landscape
      expect(Math.min(...p.sizes)).toBeGreaterThanOrEqual(10.5);
    }
    // A member's box header appears once per grid they serve (no box split across pages: 20 lines fit a page).
    const runs = pdf.text.split('\n');
    for (let i = 1; i <= 75; i++) {
      const name = `党员${String(i).padStart(3, '0')}`;
      const gridsServed = new Set([(i - 1) * 20 + 1, i * 20].map((h) => Math.ceil(h / 250))).size;
      expect(runs.filter((r) => r === name).length, name).toBe(gridsServed);
    }
    // Grids come in order, and a page only continues the grid the previous page ended with.
    const firstPage = pdf.pages.map((p) => Number(/第(\d)网格/.exec(p.text)?.[1]));
    expect([...firstPage].sort()).toEqual(firstPage);
    for (let g = 1; g <= 6; g++) expect(pdf.text).toContain(`第${g}网格`);
    expect(pdf.text).toContain('户主1500户');
  }, 60_000);
});

describe('contact cards (联系卡)', () => {
  it('prints a card whose QR link opens the member\'s contact without logging in, and audits the printing', async () => {
    const res = await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: [linked[0]] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.text).toContain('党群连心卡');
    expect(pdf.text).toContain('王大明户');
    expect(pdf.text).toContain('甲党员');
    expect(pdf.text).toContain('0391-6661234');
    expect(pdf.text).not.toContain('13900001111');
    const links = pdf.pages.flatMap((p) => p.links);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(/^https:\/\/lianxin\.example\.cn\/c\/[A-Za-z0-9_-]{38}$/);

    const open = await req(null, 'GET', `/api/v1/public/cards/${tokenOf(links[0]!)}`);
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().data).toMatchObject({ status: 'active', village: own.name, member: { name: '甲党员', workPhone: '0391-6661234' } });
    // The member's phone on a card that can be revoked: never kept in a browser's or proxy's cache.
    expect(open.headers['cache-control']).toBe('no-store');
    expect(open.body).not.toContain('王大明');

    const { rows } = await t.database.db.execute<{ after: { households: number } }>(sql`
      SELECT after FROM audit_events WHERE action = 'contact_cards.issue' AND actor_username = 'secretary' ORDER BY id DESC LIMIT 1`);
    expect(rows[0]?.after.households).toBe(1);
  });

  it('revokes the old card when the card is reprinted, and the QR follows a reassigned link', async () => {
    const first = await readPdf((await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: [linked[1]] })).rawPayload);
    const oldToken = tokenOf(first.pages[0]!.links[0]!);
    const again = await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: [linked[1]] });
    const newToken = tokenOf((await readPdf(again.rawPayload)).pages[0]!.links[0]!);
    expect(newToken).not.toBe(oldToken);
    await t.database.db.execute(sql`UPDATE orgs SET public_phone = '0391-6610001' WHERE code = ${own.code}`);
    const old = await req(null, 'GET', `/api/v1/public/cards/${oldToken}`);
    expect(old.statusCode).toBe(200);
    // A void card still says whom to call: the branch's published number, never a member's.
    expect(old.json().data).toMatchObject({ status: 'revoked', member: null, branchPhone: '0391-6610001' });
    expect((await req(null, 'GET', `/api/v1/public/cards/${newToken}`)).json().data).toMatchObject({ status: 'active', branchPhone: '0391-6610001' });
    // Without a number of its own, the village's town office line is shown; with none at all, nothing.
    await t.database.db.execute(sql`UPDATE orgs SET public_phone = NULL WHERE code = ${own.code}`);
    await t.database.db.execute(sql`UPDATE orgs SET public_phone = '0391-6620000' WHERE code = ${KEJING}`);
    expect((await req(null, 'GET', `/api/v1/public/cards/${oldToken}`)).json().data.branchPhone).toBe('0391-6620000');
    await t.database.db.execute(sql`UPDATE orgs SET public_phone = NULL WHERE code = ${KEJING}`);
    expect((await req(null, 'GET', `/api/v1/public/cards/${oldToken}`)).json().data.branchPhone).toBeNull();

    const reassign = await req('secretary', 'POST', '/api/v1/links', { personId: m2, householdId: linked[1], replaceReason: 'reassigned' });
    expect(reassign.statusCode, reassign.body).toBe(201);
    expect((await req(null, 'GET', `/api/v1/public/cards/${newToken}`)).json().data.member.name).toBe('乙党员');
  });

  it('prints every linked constituent of the village when none are named, eight cards per A4 page', async () => {
    const res = await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, {});
    expect(res.statusCode, res.body).toBe(200);
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.pages).toHaveLength(1);
    expect(Math.round(pdf.pages[0]!.height)).toBe(842);
    expect(pdf.pages[0]!.links).toHaveLength(3);
    expect(pdf.text).not.toContain('钱未联');
  });

  it('returns 404 for a forged token, 400 for a malformed one, and 409 naming a household that has no member', async () => {
    const res = await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: [linked[2]] });
    const token = tokenOf((await readPdf(res.rawPayload)).pages[0]!.links[0]!);
    const forged = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect((await req(null, 'GET', `/api/v1/public/cards/${forged}`)).statusCode).toBe(404);
    expect((await req(null, 'GET', '/api/v1/public/cards/not-a-token')).statusCode).toBe(400);
    const none = await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: [unlinked] });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.details.unlinked).toEqual(['钱未联户']);
  });

  it('returns 403 for a member, 404 for another village\'s household, and prints nothing or revokes nothing when refused', async () => {
    const before = await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM contact_cards WHERE revoked_at IS NULL`);
    expect((await req('member', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: [linked[0]] })).statusCode).toBe(403);
    expect((await req('secretary', 'POST', `/api/v1/orgs/${neighbour}/contact-cards`, {})).statusCode).toBe(404);
    expect((await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: [linked[0], crypto.randomUUID()] })).statusCode).toBe(404);
    expect((await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: ['x'] })).statusCode).toBe(400);
    const after = await t.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM contact_cards WHERE revoked_at IS NULL`);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});

describe('a helper (志愿者) holding a link', () => {
  it('is posted and printed as 联户志愿者, never as 联户党员: map box and summary, card, and the page its QR opens', async () => {
    const { rows: [helper] } = await t.database.db.execute<{ id: string }>(sql`
      INSERT INTO people (org_id, kind, name, sex, work_phone, helper_kind)
      SELECT id, 'helper', '丙志愿', 'F', '0391-6669999', '志愿者' FROM orgs WHERE code = ${neighbour} RETURNING id`);
    const hh = await req('town', 'POST', '/api/v1/households', householdBody(neighbour, { address: '邻村 1组 1号', residents: [residentBody({ name: '孙志联' })] }));
    expect(hh.statusCode, hh.body).toBe(201);
    const link = await req('town', 'POST', '/api/v1/links', { personId: helper!.id, householdId: hh.json().data.id });
    expect(link.statusCode, link.body).toBe(201);

    const map = await req('town', 'GET', `/api/v1/orgs/${neighbour}/link-map.pdf`);
    expect(map.statusCode, map.body).toBe(200);
    const mapText = (await readPdf(map.rawPayload)).text;
    expect(mapText).toContain('丙志愿（志愿者）');
    expect(mapText).toMatch(/联户党员 0 名\s*志愿者等 1 名/);

    const cards = await req('town', 'POST', `/api/v1/orgs/${neighbour}/contact-cards`, { households: [hh.json().data.id] });
    expect(cards.statusCode, cards.body).toBe(200);
    const pdf = await readPdf(cards.rawPayload);
    expect(pdf.text).toContain('联户志愿者');
    expect(pdf.text).not.toContain('联户党员');
    const open = await req(null, 'GET', `/api/v1/public/cards/${tokenOf(pdf.pages.flatMap((p) => p.links)[0]!)}`);
    expect(open.json().data.member).toEqual({ name: '丙志愿', workPhone: '0391-6669999', title: '联户志愿者' });
  });
});

describe('演示数据 on printed documents made from demo data', () => {
  it('marks every page of the map (PDF and SVG) and of the cards when a constituent or member is synthetic, and never real ones', async () => {
    // Real data (registered through the API): no mark anywhere.
    const realMap = await readPdf((await req('secretary', 'GET', `/api/v1/orgs/${own.code}/link-map.pdf`)).rawPayload);
    expect(realMap.text).not.toContain('演示数据');
    expect((await req('secretary', 'GET', `/api/v1/orgs/${own.code}/link-map.svg`)).body).not.toContain('演示数据');
    const realCards = await readPdf((await req('secretary', 'POST', `/api/v1/orgs/${own.code}/contact-cards`, { households: [linked[0]] })).rawPayload);
    expect(realCards.text).not.toContain('演示数据');
    expect(realCards.title).not.toContain('演示数据');

    // A village with demo data (as the demo generator writes it: synthetic households and members).
    const { rows: [v] } = await t.database.db.execute<{ id: string; code: string }>(sql`
      SELECT v.id, v.code FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE p.code = ${KEJING} ORDER BY v.sort_key OFFSET 3 LIMIT 1`);
    await t.database.db.execute(sql`
      WITH m AS (
        INSERT INTO people (org_id, kind, name, sex, work_phone, synthetic)
        SELECT ${v!.id}, 'member', '演示党员' || i, 'M', '0391-6670000', true FROM generate_series(1, 20) i RETURNING id, name),
      h AS (
        INSERT INTO households (org_id, address, head_name, head_initials, synthetic)
        SELECT ${v!.id}, '演示路 ' || i || '号', '演示户主' || i, '', true FROM generate_series(1, 400) i RETURNING id, head_name)
      INSERT INTO links (person_id, household_id, role, org_id, starts_on, synthetic)
      SELECT m.id, h.id, 'primary', ${v!.id}, '2024-01-01', true
      FROM h JOIN m ON m.name = '演示党员' || (1 + (substr(h.head_name, 5)::int - 1) / 20)`);
    const map = await readPdf((await req('town', 'GET', `/api/v1/orgs/${v!.code}/link-map.pdf`)).rawPayload);
    expect(map.pages.length).toBeGreaterThan(1);
    for (const p of map.pages) expect(p.text).toContain('演示数据');
    expect(map.title).toContain('演示数据');
    for (const p of map.pages) expect(Math.min(...p.sizes)).toBeGreaterThanOrEqual(10.5);
    expect((await req('town', 'GET', `/api/v1/orgs/${v!.code}/link-map.svg`)).body).toContain('演示数据');
    const cards = await req('town', 'POST', `/api/v1/orgs/${v!.code}/contact-cards`, {});
    expect(cards.statusCode, cards.body).toBe(200);
    const pdf = await readPdf(cards.rawPayload);
    expect(pdf.pages).toHaveLength(50);
    for (const p of pdf.pages) expect(p.text).toContain('演示数据');
  }, 60_000);
});
