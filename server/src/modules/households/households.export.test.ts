import ExcelJS from '../../lib/exceljs.ts';
import { sql } from 'drizzle-orm';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string;
let idNumber: string;

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['secretary', 'leader', 'department', 'town']) s[r] = await login(t.app, r);
  const { rows } = await t.database.db.execute<{ code: string }>(sql`
    SELECT v.code FROM orgs v JOIN orgs p ON p.id = v.parent_id WHERE p.code = '419001100000' ORDER BY v.sort_key LIMIT 1`);
  own = rows[0]!.code;
  const head = residentBody({ name: '=HYPERLINK("http://x","点我")' });
  idNumber = head.idNumber;
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/households', headers: { cookie: s.secretary!.cookie, 'x-csrf-token': s.secretary!.csrf },
    payload: householdBody(own, { address: '@SUM(1+1) 村口', residents: [head, residentBody({ relation: '子', birthDate: '2001-06-01', phone: null })] }),
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => { await t.close(); });

async function sheet(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.read(Readable.from(body));
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
  return out;
}
const get = (role: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s[role]!.cookie } });
const full = (role: string, payload: object) => t.app.inject({
  method: 'POST', url: '/api/v1/households/export/full', headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf }, payload,
});

describe('GET /api/v1/households/export', () => {
  it('returns 200 with an xlsx of the caller\'s scope, one row per resident, masked, formula-like text escaped, and audits it', async () => {
    const res = await get('secretary', '/api/v1/households/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('attachment');
    const rows = await sheet(res.rawPayload);
    expect(rows[0]).toEqual(['村（社区）', '网格', '地址', '户主', '标签', '姓名', '性别', '出生日期', '年龄', '与户主关系', '身份证号', '联系电话', '在外']);
    expect(rows).toHaveLength(3);
    const head = rows.find((r) => r[9] === '户主')!;
    expect(head[5]).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(head[2]).toBe(`'@SUM(1+1) 村口`);
    expect(head[10]).toBe(`${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`);
    expect(head[11]).toBe('138****5678');
    expect(res.rawPayload.toString('latin1')).not.toContain(idNumber);
    const { rows: audit } = await t.database.db.execute<{ after: { residents: number; full: boolean } }>(sql`
      SELECT after FROM audit_events WHERE action = 'household.export' AND actor_username = 'secretary'`);
    expect(audit[0]!.after).toMatchObject({ residents: 2, full: false });
  });

  it('refuses a full export by GET alone (a cross-site navigation): 400 for full=true&reason=…, 403 for a made-up token, no audit', async () => {
    const crossSite = await get('secretary', `/api/v1/households/export?full=true&reason=${encodeURIComponent('攻击者的原因')}`);
    expect(crossSite.statusCode).toBe(400);
    expect(crossSite.json().error.id).toBe('validation_error');
    const forged = await get('secretary', `/api/v1/households/export?token=${'A'.repeat(43)}`);
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.id).toBe('forbidden');
    const { rows } = await t.database.db.execute(sql`SELECT 1 FROM audit_events WHERE action = 'household.export' AND after->>'reason' = '攻击者的原因'`);
    expect(rows).toHaveLength(0);
  });

  it('answers 403 for POST …/export/full without the CSRF header, and issues no token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/households/export/full', headers: { cookie: s.secretary!.cookie }, payload: { reason: '低保年审' } });
    expect(res.statusCode).toBe(403);
  });

  it('issues a full-export token only with a reason and the reveal permission (400 without, 403 for a leader); the token downloads full ID numbers once, audited with the reason once', async () => {
    expect((await full('secretary', {})).statusCode).toBe(400);
    expect((await full('leader', { reason: '核对名单' })).statusCode).toBe(403);
    const issued = await full('secretary', { reason: '低保年审' });
    expect(issued.statusCode).toBe(200);
    const { token } = issued.json().data as { token: string };
    const res = await get('secretary', `/api/v1/households/export?token=${token}`);
    expect(res.statusCode).toBe(200);
    const rows = await sheet(res.rawPayload);
    expect(rows.some((r) => r[10] === idNumber)).toBe(true);
    // Single use: the same token again is refused.
    expect((await get('secretary', `/api/v1/households/export?token=${token}`)).statusCode).toBe(403);
    const { rows: audit } = await t.database.db.execute<{ after: Record<string, unknown> }>(sql`
      SELECT after FROM audit_events WHERE action = 'household.export' AND after->>'reason' = '低保年审'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ full: true, reason: '低保年审', residents: 2 });
  });

  it('refuses a token after its 60 seconds (403)', async () => {
    const { token } = (await full('secretary', { reason: '低保年审' })).json().data as { token: string };
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect((await get('secretary', `/api/v1/households/export?token=${token}`)).statusCode).toBe(403);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a token in another session (403, and the owner can still use it) and a token with extra filters (400)', async () => {
    const { token } = (await full('secretary', { reason: '低保年审' })).json().data as { token: string };
    const other = await login(t.app, 'secretary');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/households/export?token=${token}`, headers: { cookie: other.cookie } })).statusCode).toBe(403);
    expect((await get('secretary', `/api/v1/households/export?token=${token}&org=${own}`)).statusCode).toBe(400);
    expect((await get('secretary', `/api/v1/households/export?token=${token}`)).statusCode).toBe(200);
  });

  it('answers 403 for a department and 404 for an org outside the scope', async () => {
    expect((await get('department', '/api/v1/households/export')).statusCode).toBe(403);
    expect((await get('secretary', '/api/v1/households/export?org=419001101000')).statusCode).toBe(404);
  });

  it('streams a town\'s export across several batches without losing rows', async () => {
    const { rows } = await t.database.db.execute<{ id: string }>(sql`SELECT id FROM orgs WHERE code = ${own}`);
    // 1,200 households (more than two batches of 500) inserted directly; residents are not needed for the count check.
    await t.database.db.execute(sql`
      INSERT INTO households (org_id, address, head_name) SELECT ${rows[0]!.id}, '批量 ' || lpad(g::text, 5, '0'), '批量户主' FROM generate_series(1, 1200) g`);
    await t.database.db.execute(sql`
      INSERT INTO residents (household_id, name, sex, birth_date, relation, id_number_enc, id_number_hash)
      SELECT h.id, '批量户主', 'M', '1980-01-01', '户主', r.id_number_enc, 'h' || h.id FROM households h,
        (SELECT id_number_enc FROM residents LIMIT 1) r WHERE h.head_name = '批量户主'`);
    const res = await get('town', '/api/v1/households/export?q=' + encodeURIComponent('批量'));
    expect(res.statusCode).toBe(200);
    const out = await sheet(res.rawPayload);
    expect(out.length - 1).toBe(1200);
    expect(new Set(out.slice(1).map((r) => r[2])).size).toBe(1200);
  });
});
