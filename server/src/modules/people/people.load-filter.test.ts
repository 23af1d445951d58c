import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import ExcelJS from '../../lib/exceljs.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string; // a village of 克井镇 with its own target (1–2)
let neighbour: string; // a village of 克井镇 inheriting the town's (2–4)
const KEJING = '419001100000';
type Row = { id: string; name: string; orgCode: string; load: number; loadStatus: 'under' | 'within' | 'over' };
const STATUSES = ['under', 'within', 'over'] as const;
/** Each test member's load, and their expected status in own (1–2) and in neighbour (2–4). */
const LOADS = [
  { load: 0, own: 'under', neighbour: 'under' },
  { load: 1, own: 'within', neighbour: 'under' },
  { load: 2, own: 'within', neighbour: 'within' },
  { load: 3, own: 'over', neighbour: 'within' },
  { load: 5, own: 'over', neighbour: 'over' },
] as const;
const created = new Map<string, { village: string; status: string }>();

function req(role: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}

let seq = 0;
async function memberWithLoad(village: string, load: number): Promise<string> {
  const n = seq++;
  const p = await req('office', 'POST', '/api/v1/people', {
    orgCode: village, kind: 'member', name: `联户测试${n}`, sex: 'M', birthYear: '1980', memberSince: '2008-07-01', phone: `1395555${String(1000 + n)}`,
  });
  expect(p.statusCode, p.body).toBe(201);
  const id = p.json().data.id as string;
  for (let i = 0; i < load; i++) {
    const hh = await req('office', 'POST', '/api/v1/households', householdBody(village, { address: `克井镇 联户测试 ${n}组 ${i + 1}号`, residents: [residentBody()] }));
    expect(hh.statusCode, hh.body).toBe(201);
    const link = await req('office', 'POST', '/api/v1/links', { personId: id, householdId: hh.json().data.id, role: 'primary' });
    expect(link.statusCode, link.body).toBe(201);
  }
  return id;
}

/** Every row of a filtered roster, page by page (small pages so the keyset crosses many page boundaries). */
async function all(role: string, query: string, limit = 3): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const res = await req(role, 'GET', `/api/v1/people?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    rows.push(...res.json().data);
    cursor = res.json().nextCursor;
  } while (cursor);
  return rows;
}

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'town', 'secretary']) s[r] = await login(t.app, r);
  ({ own, neighbour } = await scopeVillages(t));
  expect((await req('office', 'PUT', '/api/v1/settings/target-load', { orgCode: KEJING, value: { min: 2, max: 4 } })).statusCode).toBe(200);
  expect((await req('office', 'PUT', '/api/v1/settings/target-load', { orgCode: own, value: { min: 1, max: 2 } })).statusCode).toBe(200);
  for (const l of LOADS) {
    created.set(await memberWithLoad(own, l.load), { village: own, status: l.own });
    created.set(await memberWithLoad(neighbour, l.load), { village: neighbour, status: l.neighbour });
  }
});
afterAll(async () => { await t.close(); });

describe('GET /api/v1/people?load=… with targets set per town and per village', () => {
  for (const [role, org] of [['town', 'town'], ['office', 'zone'], ['secretary', 'village']] as const) {
    for (const sort of ['name', 'load'] as const) {
      it(`returns 200 to the ${role} for the ${org} (sort ${sort}) with exactly the people whose own village's status matches, across pages`, async () => {
        const scope = org === 'zone' ? `sort=${sort}` : `org=${org === 'town' ? KEJING : own}&sort=${sort}`;
        const limit = org === 'zone' ? 100 : 3;
        const everyone = await all(role, scope, limit);
        const seen = new Set<string>();
        for (const status of STATUSES) {
          const rows = await all(role, `${scope}&load=${status}`, limit);
          for (const r of rows) {
            expect(r.loadStatus, `${r.name} (${r.orgCode}, load ${r.load}) under ${status}`).toBe(status);
            expect(seen.has(r.id), `${r.name} listed twice`).toBe(false);
            seen.add(r.id);
          }
          const mine = [...created].filter(([, c]) => c.status === status && (org !== 'village' || c.village === own)).map(([id]) => id);
          expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(mine));
        }
        // The three filters partition the unfiltered roster.
        expect([...seen].sort()).toEqual(everyone.map((r) => r.id).sort());
      });
    }
  }

  it('returns a town export whose 联户情况 column agrees with the filter on every row', async () => {
    const label = { under: '偏少', within: '适中', over: '偏多' } as const;
    for (const status of STATUSES) {
      const res = await req('town', 'GET', `/api/v1/people/export?org=${KEJING}&load=${status}`);
      expect(res.statusCode, res.body).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.read(Readable.from(res.rawPayload));
      const rows: string[][] = [];
      wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
      const statusAt = rows[0]!.indexOf('联户情况');
      const body = rows.slice(1);
      expect(body.length).toBe((await all('town', `org=${KEJING}&load=${status}`)).length);
      for (const r of body) expect(r[statusAt], r.join(' ')).toBe(label[status]);
      const expectedTest = [...created.values()].filter((c) => c.status === status).length;
      expect(body.filter((r) => r[1]!.startsWith('联户测试')).length).toBe(expectedTest);
    }
  });
});
