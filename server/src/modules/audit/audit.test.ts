import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import ExcelJS from '../../lib/exceljs.ts';
import { ACTION_LABELS } from './audit.presenter.ts';
import * as repo from './audit.repo.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string;
let otherTown: string;
let household: { id: string; residentIds: string[] };
let otherHousehold: string;

function req(role: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
const search = (role: string, query: string) => req(role, 'GET', `/api/v1/audit?${query}`);
type Ev = { id: string; at: string; action: string; actionLabel: string; actor: { username: string } | null; ip: string | null; reason: string | null;
  object: { type: string; id: string | null; label: string | null; link: string | null } | null; before: unknown; after: unknown; bodiesHidden: boolean };
const events = (res: { json(): unknown }) => (res.json() as { data: Ev[] }).data;

/** An event written as appendAudit would, at a chosen time and address (the trail accepts inserts, never changes). */
async function insertEvent(e: { action: string; at: string; ip?: string; entityType?: string; entityId?: string; after?: unknown; actor?: string }) {
  const { rows } = await t.database.db.execute<{ id: string }>(sql`
    INSERT INTO audit_events (at, action, ip, entity_type, entity_id, after, actor_account_id, actor_username)
    SELECT ${e.at}::timestamptz, ${e.action}, ${e.ip ?? null}, ${e.entityType ?? null}, ${e.entityId ?? null}, ${e.after === undefined ? null : JSON.stringify(e.after)}::jsonb,
           a.id, a.username FROM (SELECT 1) x LEFT JOIN accounts a ON a.username = ${e.actor ?? 'office'}
    RETURNING id::text`);
  return rows[0]!.id;
}

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of DEMO_ROLES) s[r] = await login(t.app, r);
  ({ own, otherTown } = await scopeVillages(t));
  const h = await req('secretary', 'POST', '/api/v1/households', householdBody(own, { address: '审计村 1组 1号' }));
  expect(h.statusCode, h.body).toBe(201);
  household = { id: h.json().data.id, residentIds: h.json().data.residents.map((r: { id: string }) => r.id) };
  const reveal = await req('secretary', 'POST', `/api/v1/residents/${household.residentIds[0]}/reveal`, { field: 'phone', reason: '入户走访前电话联系' });
  expect(reveal.statusCode, reveal.body).toBe(200);
  const o = await req('office', 'POST', '/api/v1/households', householdBody(otherTown, { residents: [residentBody()] }));
  expect(o.statusCode, o.body).toBe(201);
  otherHousehold = o.json().data.id;
});
afterAll(async () => { await t.close(); });

describe('GET /api/v1/audit — who may review', () => {
  it.each(['town', 'secretary', 'member', 'department', 'leader'])('returns 403 for %s', async (role) => {
    expect((await search(role, '')).statusCode).toBe(403);
    expect((await req(role, 'GET', '/api/v1/audit/catalogue')).statusCode).toBe(403);
    expect((await req(role, 'POST', '/api/v1/audit/export', {})).statusCode).toBe(403);
  });

  it('returns 200 for office and admin, newest first', async () => {
    for (const role of ['office', 'admin']) {
      const res = await search(role, 'limit=20');
      expect(res.statusCode, res.body).toBe(200);
      const at = events(res).map((e) => e.at);
      expect(at).toEqual([...at].sort().reverse());
    }
  });

  it('returns 401 without a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401);
  });
});

describe('GET /api/v1/audit — filters', () => {
  it('finds by actor username (any case) and by account id, and nothing for an unknown actor', async () => {
    const byName = events(await search('office', 'actor=SECRETARY&limit=200'));
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((e) => e.actor?.username === 'secretary')).toBe(true);
    expect(byName.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.login', 'household.create', 'resident.reveal']));
    const { rows } = await t.database.db.execute<{ id: string }>(sql`SELECT id FROM accounts WHERE username = 'secretary'`);
    expect(events(await search('office', `actor=${rows[0]!.id}&limit=200`)).map((e) => e.id)).toEqual(byName.map((e) => e.id));
    const none = await search('office', 'actor=nobody-here');
    expect(none.statusCode).toBe(200);
    expect(events(none)).toEqual([]);
  });

  it('finds reveals by the group 查看敏感信息, labelled in Chinese with the reason and a link to the household', async () => {
    const res = events(await search('office', 'group=reveal'));
    expect(res.every((e) => e.action.endsWith('.reveal'))).toBe(true);
    const mine = res.find((e) => e.object?.id === household.residentIds[0]);
    expect(mine).toMatchObject({ actionLabel: '查看居民完整号码', reason: '入户走访前电话联系', actor: { username: 'secretary' }, object: { type: 'resident', link: `/households/${household.id}` } });
    expect(mine!.object!.label).toContain('审计村 1组 1号');
  });

  it('finds full exports only (group 全量导出), not masked ones', async () => {
    await insertEvent({ action: 'household.export', at: '2025-02-10T10:00:00+08', after: { full: true, reason: '民政核对', households: 3 } });
    await insertEvent({ action: 'household.export', at: '2025-02-10T11:00:00+08', after: { full: false, reason: null, households: 3 } });
    const res = events(await search('office', 'group=full_export&from=2025-02-01&to=2025-02-28'));
    expect(res.map((e) => [e.action, e.reason])).toEqual([['household.export', '民政核对']]);
  });

  it('finds by login group, exact action and action prefix', async () => {
    expect(events(await search('office', 'group=login&limit=200')).every((e) => e.action.startsWith('auth.'))).toBe(true);
    const prefix = events(await search('office', 'action=household.&limit=200'));
    expect(prefix.length).toBeGreaterThan(0);
    expect(prefix.every((e) => e.action.startsWith('household.'))).toBe(true);
    const exact = events(await search('office', 'action=resident.reveal&limit=200'));
    expect(exact.length).toBeGreaterThan(0);
    expect(exact.every((e) => e.action === 'resident.reveal')).toBe(true);
    // An action outside the asked group finds nothing rather than widening the group.
    expect(events(await search('office', 'group=reveal&action=household.create'))).toEqual([]);
  });

  it('finds a household\'s events together with its residents\' reveals, and one object by type and id', async () => {
    const res = events(await search('office', `household=${household.id}`));
    expect(res.map((e) => e.action)).toEqual(['resident.reveal', 'household.create']);
    expect(res[1]!.object).toMatchObject({ type: 'household', label: '审计村 1组 1号 · 测试居民', link: `/households/${household.id}` });
    const one = events(await search('office', `entityType=household&entityId=${household.id}`));
    expect(one.map((e) => e.action)).toEqual(['household.create']);
  });

  it('limits by Asia/Shanghai calendar dates (both inclusive) and by address', async () => {
    // 00:30 on 03-02 in Shanghai is 16:30 UTC on 03-01: a day taken in UTC would wrongly count it in 03-01.
    const inside = await insertEvent({ action: 'auth.login', at: '2024-03-01T23:30:00+08', ip: '10.9.8.7' });
    const nextDay = await insertEvent({ action: 'auth.login', at: '2024-03-02T00:30:00+08', ip: '10.9.8.7' });
    await insertEvent({ action: 'auth.login', at: '2024-03-01T12:00:00+08', ip: '10.9.8.6' });
    const day = events(await search('office', 'from=2024-03-01&to=2024-03-01&ip=10.9.8.7'));
    expect(day.map((e) => e.id)).toEqual([inside]);
    const both = events(await search('office', 'from=2024-03-01&to=2024-03-02&ip=10.9.8.7'));
    expect(both.map((e) => e.id)).toEqual([nextDay, inside]);
    expect(both[0]!.ip).toBe('10.9.8.7');
  });

  it('masks anything that looks like an ID number or phone in before/after', async () => {
    await insertEvent({ action: 'resident.update', at: '2024-04-01T09:00:00+08', ip: '10.1.1.1', entityType: 'resident', entityId: '00000000-0000-4000-8000-000000000001',
      after: { note: '身份证 41900119700517001X 电话13812345678', nested: [{ phone: '13912345678' }] } });
    const [e] = events(await search('office', 'ip=10.1.1.1'));
    const text = JSON.stringify(e!.after);
    expect(text).not.toMatch(/41900119700517001X|13812345678|13912345678/);
    expect(text).toContain('419***********001X');
    expect(text).toContain('138****5678');
  });

  it('returns 400 for a bad filter value', async () => {
    expect((await search('office', 'from=2024-02-30')).statusCode).toBe(400);
    expect((await search('office', 'group=everything')).statusCode).toBe(400);
    expect((await search('office', 'action=DROP TABLE')).statusCode).toBe(400);
    expect((await search('office', `entityId=${household.id}`)).statusCode).toBe(400);
  });
});

describe('GET /api/v1/audit — paging', () => {
  it('pages newest first with a keyset cursor, without repeating or skipping, over events sharing a timestamp', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await insertEvent({ action: 'auth.login', at: '2023-05-05T08:00:00+08', ip: '10.2.2.2' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await search('office', `ip=10.2.2.2&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...events(res).map((e) => e.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('returns 400 for a tampered cursor', async () => {
    const first = await search('office', 'limit=1');
    const cursor = first.json().nextCursor as string;
    const [at] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, number];
    for (const bad of [[at, 'x'], ['2024-02-30T00:00:00.000000Z', 1], [at, 2 ** 60], [at], 'nope']) {
      const c = Buffer.from(JSON.stringify(bad)).toString('base64url');
      expect((await search('office', `cursor=${c}`)).statusCode).toBe(400);
    }
    expect((await search('office', 'cursor=%%%')).statusCode).toBe(400);
  });
});

describe('GET /api/v1/audit — the admin reads no personal data', () => {
  it('gives the admin registry events without before/after or names, and account events with them', async () => {
    const [e] = events(await search('admin', 'ip=10.1.1.1'));
    expect(e).toMatchObject({ action: 'resident.update', before: null, after: null, bodiesHidden: true, reason: null, object: { type: 'resident', label: null, link: null } });
    const reveal = events(await search('admin', `household=${household.id}`)).find((x) => x.action === 'resident.reveal')!;
    expect(reveal).toMatchObject({ after: null, reason: null, bodiesHidden: true });
    await insertEvent({ action: 'account.disable', at: '2024-04-02T09:00:00+08', ip: '10.3.3.3', entityType: 'account', after: { disabled: true, reason: '离职' } });
    const [acc] = events(await search('admin', 'group=account&ip=10.3.3.3'));
    expect(acc).toMatchObject({ after: { disabled: true, reason: '离职' }, bodiesHidden: false });
    const cat = await req('admin', 'GET', '/api/v1/audit/catalogue');
    expect(cat.json().data.registryBodiesHidden).toBe(true);
    expect((await req('office', 'GET', '/api/v1/audit/catalogue')).json().data.registryBodiesHidden).toBe(false);
  });
});

describe('GET /api/v1/audit/households/:id — access history', () => {
  it('returns 200 for the secretary of the village, listing the reveal with its reason', async () => {
    const res = await req('secretary', 'GET', `/api/v1/audit/households/${household.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const list = events(res);
    expect(list[0]).toMatchObject({ action: 'resident.reveal', actionLabel: '查看居民完整号码', reason: '入户走访前电话联系', actor: { username: 'secretary' }, after: { field: 'phone' } });
    expect(list.map((e) => e.action)).toContain('household.create');
  });

  it('returns 200 for town and office over the same household', async () => {
    for (const role of ['town', 'office']) expect((await req(role, 'GET', `/api/v1/audit/households/${household.id}`)).statusCode).toBe(200);
  });

  it('returns 404 for a household of another village, and for an unknown one', async () => {
    expect((await req('secretary', 'GET', `/api/v1/audit/households/${otherHousehold}`)).statusCode).toBe(404);
    expect((await req('town', 'GET', `/api/v1/audit/households/${otherHousehold}`)).statusCode).toBe(404);
    expect((await req('office', 'GET', '/api/v1/audit/households/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('returns 403 for roles that see no registry (admin, department)', async () => {
    for (const role of ['admin', 'department']) expect((await req(role, 'GET', `/api/v1/audit/households/${household.id}`)).statusCode).toBe(403);
  });
});

describe('POST /api/v1/audit/export', () => {
  async function workbook(body: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.read(Readable.from(body));
    return wb.worksheets[0]!;
  }

  it('returns the filtered events as xlsx and audits the export with its filters and row count', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/audit/export', headers: { cookie: s.office!.cookie, 'x-csrf-token': s.office!.csrf },
      payload: { household: household.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const ws = await workbook(res.rawPayload);
    const rows = ws.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
    expect(rows.map((r) => r[2])).toEqual(['resident.reveal', 'household.create']);
    expect(rows[0]).toEqual(expect.arrayContaining(['查看居民完整号码', 'secretary', '入户走访前电话联系']));
    expect(res.rawPayload.toString('latin1')).not.toContain('13812345678');
    const { rows: audit } = await t.database.db.execute<{ after: { household: string; rows: number }; actor_username: string }>(sql`
      SELECT after, actor_username FROM audit_events WHERE action = 'audit.export' ORDER BY id DESC LIMIT 1`);
    expect(audit[0]).toMatchObject({ actor_username: 'office', after: { household: household.id, rows: 2 } });
    const found = events(await search('office', 'action=audit.export'));
    expect(found[0]).toMatchObject({ actionLabel: '导出审计记录', object: { type: 'audit' } });
  });

  it('writes 无权查看 for bodies the admin may not read', async () => {
    const res = await req('admin', 'POST', '/api/v1/audit/export', { ip: '10.1.1.1' });
    expect(res.statusCode).toBe(200);
    const ws = await workbook(res.rawPayload);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(expect.arrayContaining(['（无权查看）']));
  });

  it('returns 403 without the CSRF header', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/audit/export', headers: { cookie: s.office!.cookie }, payload: {} });
    expect(res.statusCode).toBe(403);
  });
});

describe('the action catalogue', () => {
  it('has a Chinese label for every action the server writes', () => {
    const src = join(import.meta.dirname, '../..');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const actions = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(src, f), 'utf8');
      for (const m of text.matchAll(/(?:action|auditAction): (?:[^'\n,]*\? )?'([a-z_]+\.[a-z_]+)'(?: : '([a-z_]+\.[a-z_]+)')?/g)) {
        actions.add(m[1]!);
        if (m[2]) actions.add(m[2]);
      }
      // The seed writes its events in SQL.
      for (const m of text.matchAll(/INSERT INTO audit_events[^;]*?VALUES \('([a-z_]+\.[a-z_]+)'/g)) actions.add(m[1]!);
    }
    expect(actions.size).toBeGreaterThan(20);
    expect(actions).toContain('account.create');
    expect([...actions].filter((a) => !ACTION_LABELS[a])).toEqual([]);
  });
});

describe('indexes', () => {
  let secretaryId: string;
  beforeAll(async () => {
    // A trail with realistic spread (two years, 200 actors, 5,000 objects, several actions) and fresh statistics, so the
    // planner chooses as it would on a real zone's table rather than seq-scanning a tiny one.
    secretaryId = (await t.database.db.execute<{ id: string }>(sql`SELECT id FROM accounts WHERE username = 'secretary'`)).rows[0]!.id;
    await t.database.db.execute(sql`
      INSERT INTO audit_events (at, action, actor_account_id, actor_username, entity_type, entity_id, ip)
      SELECT now() - i * interval '30 minutes',
             (ARRAY['auth.login', 'household.update', 'resident.reveal', 'link.create', 'household.export', 'resident.update'])[1 + i % 6],
             CASE WHEN i % 200 = 0 THEN ${secretaryId}::uuid ELSE md5((i % 200)::text)::uuid END, 'bulk',
             'household', md5((i % 5000)::text)::uuid::text, '10.0.' || (i % 250) || '.1'
      FROM generate_series(1, 35000) i`);
    await t.database.db.execute(sql`ANALYZE audit_events`);
  });

  /** The plan of the repository's own query for a filter. */
  async function plan(f: Partial<repo.EventFilter>): Promise<string> {
    const explain = { execute: (q: SQL) => t.database.db.execute(sql`EXPLAIN ${q}`) } as unknown as Parameters<typeof repo.searchEvents>[0];
    const rows = (await repo.searchEvents(explain, { after: null, limit: 50, ...f })) as unknown as { 'QUERY PLAN': string }[];
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  it('serves each common search shape with an index, never a sequential scan', async () => {
    const month = { from: '2025-01-01', to: '2025-01-31' };
    const shapes: [Partial<repo.EventFilter>, RegExp][] = [
      [{}, /Index Scan Backward using audit_events_at_idx/],
      [{ ...month, after: { at: '2025-01-20T00:00:00.000000Z', id: 10 } }, /Index Scan Backward using audit_events_at_idx/],
      [{ actorAccountId: secretaryId, ...month }, /audit_events_actor_idx/],
      // A common action is found fastest walking the time index; a rare one through the action index.
      [{ actions: ['resident.reveal', 'business.reveal'], ...month }, /audit_events_(at|action)_idx/],
      [{ actions: ['household.export'], fullOnly: true, ...month }, /audit_events_(at|action)_idx/],
      [{ actions: ['org.merge'], ...month }, /audit_events_action_idx/],
      [{ actionPrefixes: ['account.'] }, /audit_events_action_idx/],
      [{ ip: '10.0.17.1', ...month }, /audit_events_ip_idx/],
      [{ entities: [{ type: 'household', ids: [household.id] }, { type: 'resident', ids: household.residentIds }] }, /audit_events_entity_idx/],
    ];
    for (const [f, index] of shapes) {
      const p = await plan(f);
      expect(p, JSON.stringify(f)).toMatch(index);
      expect(p, JSON.stringify(f)).not.toMatch(/Seq Scan/);
    }
  });
});
