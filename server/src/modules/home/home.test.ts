import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HomeBreakdownRow } from '@lianxin/contracts';
import { DEMO_ROLES, login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody } from '../../../test/factories.ts';
import { refreshCoverage } from '../links/links.service.ts';
import { worstFirst } from './home.service.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string; // the secretary's (and the member's) village in 克井镇
let neighbour: string; // another village of 克井镇
let otherTown: string; // a village of 五龙口镇
const KEJING = '419001100000';
const ZONE = '419001000000';

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of DEMO_ROLES) s[r] = await login(t.app, r);
  ({ own, neighbour, otherTown } = await scopeVillages(t));
});
afterAll(async () => { await t.close(); });

function get(role: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: s[role]!.cookie } });
}
function post(role: string, url: string, payload: object) {
  return t.app.inject({ method: 'POST', url, payload, headers: { cookie: s[role]!.cookie, 'x-csrf-token': s[role]!.csrf } });
}
async function addMember(org: string, name: string, opts: { left?: boolean } = {}): Promise<string> {
  const { rows } = await t.database.db.execute<{ id: string }>(sql`
    INSERT INTO people (org_id, kind, name, sex, left_on, left_reason)
    SELECT id, 'member', ${name}, 'M', ${opts.left ? sql`'2024-01-01'::date` : null}, ${opts.left ? 'moved' : null} FROM orgs WHERE code = ${org}
    RETURNING id`);
  // As the roster's writers do: the coverage rollups (member loads) follow in the same breath.
  const { rows: [o] } = await t.database.db.execute<{ id: string }>(sql`SELECT id FROM orgs WHERE code = ${org}`);
  await refreshCoverage(t.database.db, [o!.id]);
  return rows[0]!.id;
}
async function importJob(username: string, org: string, status: string, kind = 'households', createdAgo = '1 hour'): Promise<string> {
  const { rows } = await t.database.db.execute<{ id: string }>(sql`
    INSERT INTO import_jobs (kind, created_by, org_scope, status, file_name, created_at)
    SELECT ${kind}, a.id, ARRAY[o.path], ${status}, '测试导入.xlsx', now() - ${createdAgo}::interval
    FROM accounts a, orgs o WHERE a.username = ${username} AND o.code = ${org} RETURNING id`);
  return rows[0]!.id;
}

describe('GET /api/v1/home/unlinked', () => {
  it('returns 200 with the secretary\'s own village by default, the unlinked counts by kind summing to the total', async () => {
    const res = await get('secretary', '/api/v1/home/unlinked');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    expect(d.org).toMatchObject({ code: own, level: 'village' });
    expect(d.byKind.households + d.byKind.enterprises + d.byKind.shops + d.byKind.teams).toBe(d.unlinked);
    expect(d.unlinked).toBeLessThanOrEqual(d.total);
  });

  it('counts a newly registered household as unlinked at once (read from the rollups kept by every write)', async () => {
    const before = (await get('secretary', '/api/v1/home/unlinked')).json().data.byKind.households;
    expect((await post('secretary', '/api/v1/households', householdBody(own, { address: '工作台测试 1组 1号' }))).statusCode).toBe(201);
    expect((await get('secretary', '/api/v1/home/unlinked')).json().data.byKind.households).toBe(before + 1);
  });

  it('returns 200 for the town with a village of its town, and 404 for a village outside the caller\'s scope', async () => {
    expect((await get('town', `/api/v1/home/unlinked?org=${own}`)).json().data.org.code).toBe(own);
    expect((await get('town', `/api/v1/home/unlinked?org=${otherTown}`)).statusCode).toBe(404);
    expect((await get('secretary', `/api/v1/home/unlinked?org=${neighbour}`)).statusCode).toBe(404);
    expect((await get('secretary', `/api/v1/home/unlinked?org=${KEJING}`)).statusCode).toBe(404);
  });

  it('returns 403 for the member, the department and the admin (no registry figures)', async () => {
    for (const role of ['member', 'department', 'admin']) expect((await get(role, '/api/v1/home/unlinked')).statusCode, role).toBe(403);
  });

  it('returns 400 for an org parameter that is not an org code', async () => {
    expect((await get('office', '/api/v1/home/unlinked?org=nonsense')).statusCode).toBe(400);
  });
});

describe('GET /api/v1/home/member-loads', () => {
  it('returns 200 with members under and over the target, each list on its side of the target and most off first', async () => {
    await addMember(own, '工作台零户党员');
    const res = await get('secretary', '/api/v1/home/member-loads');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    expect(d.under).toBeGreaterThan(0);
    expect(d.underList.length).toBeGreaterThan(0);
    for (const m of d.underList) expect(m.load).toBeLessThan(d.target.min);
    for (const m of d.overList) expect(m.load).toBeGreaterThan(d.target.max);
    expect(d.underList.map((m: { load: number }) => m.load)).toEqual([...d.underList.map((m: { load: number }) => m.load)].sort((a, b) => a - b));
    expect(d.underList.length).toBeLessThanOrEqual(Math.min(8, d.under));
  });

  it('returns counts without names above the village (the town sees where to look through the rows per village)', async () => {
    const d = (await get('town', '/api/v1/home/member-loads')).json().data;
    expect(d.org.code).toBe(KEJING);
    expect([d.overList, d.underList]).toEqual([[], []]);
    expect(d.members).toBeGreaterThan(0);
  });

  it('returns 403 for the member, department and admin, 404 for another town\'s village', async () => {
    for (const role of ['member', 'department', 'admin']) expect((await get(role, '/api/v1/home/member-loads')).statusCode, role).toBe(403);
    expect((await get('town', `/api/v1/home/member-loads?org=${otherTown}`)).statusCode).toBe(404);
  });
});

describe('GET /api/v1/home/members-without-accounts', () => {
  it('returns 200 counting current members without an account: a new member counts, one who left or got an account does not', async () => {
    const counts = async () => {
      const d = (await get('secretary', '/api/v1/home/members-without-accounts')).json().data;
      return { members: d.members as number, without: d.withoutAccount as number };
    };
    const before = await counts();
    const fresh = await addMember(own, '工作台无账号党员');
    expect(await counts()).toEqual({ members: before.members + 1, without: before.without + 1 });
    await addMember(own, '工作台已迁出党员', { left: true });
    expect(await counts()).toEqual({ members: before.members + 1, without: before.without + 1 });
    await t.database.db.execute(sql`
      INSERT INTO accounts (username, display_name, password_hash, person_id) VALUES ('home-test-member', '工作台', 'x', ${fresh})`);
    expect(await counts()).toEqual({ members: before.members + 1, without: before.without });
    // A second account of the same member is still one member with an account.
    await t.database.db.execute(sql`
      INSERT INTO accounts (username, display_name, password_hash, person_id) VALUES ('home-test-member-2', '工作台', 'x', ${fresh})`);
    expect(await counts()).toEqual({ members: before.members + 1, without: before.without });
  });

  it('lists at most 8 names and never the secretary, who has an account', async () => {
    const d = (await get('secretary', '/api/v1/home/members-without-accounts')).json().data;
    expect(d.names.length).toBeLessThanOrEqual(8);
    expect(d.names).not.toContain('王建国');
    expect(d.withoutAccount).toBeLessThanOrEqual(d.members);
  });

  it('returns 403 for the member, department and admin', async () => {
    for (const role of ['member', 'department', 'admin']) expect((await get(role, '/api/v1/home/members-without-accounts')).statusCode, role).toBe(403);
  });
});

describe('GET /api/v1/home/imports', () => {
  it('returns 200 with a waiting and a failed import of the village, and the failed one drops once redone', async () => {
    const failed = await importJob('secretary', own, 'failed', 'members', '2 hours');
    const waiting = await importJob('secretary', own, 'queued', 'links');
    let d = (await get('secretary', '/api/v1/home/imports')).json().data;
    expect(d.failed).toBeGreaterThanOrEqual(1);
    expect(d.waiting).toBeGreaterThanOrEqual(1);
    expect(d.jobs.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining([failed, waiting]));
    expect(d.jobs.find((j: { id: string }) => j.id === failed)).toMatchObject({ status: 'failed', kind: 'members', orgCode: own });

    await importJob('secretary', own, 'done', 'members', '1 hour');
    d = (await get('secretary', '/api/v1/home/imports')).json().data;
    expect(d.jobs.map((j: { id: string }) => j.id)).not.toContain(failed);
  });

  it('counts a failed import older than 14 days no more', async () => {
    const old = await importJob('secretary', own, 'failed', 'businesses', '15 days');
    const d = (await get('secretary', '/api/v1/home/imports')).json().data;
    expect(d.jobs.map((j: { id: string }) => j.id)).not.toContain(old);
  });

  it('counts another uploader\'s job for the town but lists only the jobs the town may open', async () => {
    const job = await importJob('secretary', own, 'failed', 'households', '30 minutes');
    const d = (await get('town', `/api/v1/home/imports?org=${own}`)).json().data;
    expect(d.failed).toBeGreaterThanOrEqual(1);
    expect(d.jobs.map((j: { id: string }) => j.id)).not.toContain(job);
    const office = (await get('office', `/api/v1/home/imports?org=${own}`)).json().data;
    expect(office.jobs.map((j: { id: string }) => j.id)).toContain(job);
  });

  it('returns 403 for the leader (read-only), member, department and admin; 404 outside the scope', async () => {
    for (const role of ['leader', 'member', 'department', 'admin']) expect((await get(role, '/api/v1/home/imports')).statusCode, role).toBe(403);
    expect((await get('secretary', `/api/v1/home/imports?org=${neighbour}`)).statusCode).toBe(404);
  });
});

describe('GET /api/v1/home/breakdown', () => {
  const inOrder = (rows: HomeBreakdownRow[]) => rows.every((r, i) => i === 0 || worstFirst([rows[i - 1]!, r])[0] === rows[i - 1]);

  it('returns 200 with every village of the town, worst first', async () => {
    const res = await get('town', '/api/v1/home/breakdown');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    expect(d.org.code).toBe(KEJING);
    expect(d.rows.length).toBeGreaterThan(2);
    expect(d.rows.every((r: HomeBreakdownRow) => r.level === 'village')).toBe(true);
    expect(d.rows.map((r: HomeBreakdownRow) => r.code)).toEqual(expect.arrayContaining([own, neighbour]));
    expect(d.rows.map((r: HomeBreakdownRow) => r.code)).not.toContain(otherTown);
    expect(inOrder(d.rows)).toBe(true);
    const shares = d.rows.map((r: HomeBreakdownRow) => r.unlinkedShare);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
  });

  it('returns 200 with the towns of the zone for the office and the leader, worst first', async () => {
    for (const role of ['office', 'leader']) {
      const d = (await get(role, '/api/v1/home/breakdown')).json().data;
      expect(d.org.code, role).toBe(ZONE);
      expect(d.rows.map((r: HomeBreakdownRow) => r.code)).toContain(KEJING);
      expect(d.rows.every((r: HomeBreakdownRow) => r.level === 'town')).toBe(true);
      expect(inOrder(d.rows)).toBe(true);
    }
  });

  it('puts a village with a failed import first among villages that are otherwise equal', async () => {
    const rows = (await get('town', '/api/v1/home/breakdown')).json().data.rows as HomeBreakdownRow[];
    const row = rows.find((r) => r.code === own)!;
    expect(row.importsFailed).toBeGreaterThanOrEqual(1);
    const twin = { ...row, code: 'twin', importsFailed: 0 };
    expect(worstFirst([twin, row]).map((r) => r.code)).toEqual([own, 'twin']);
    expect(worstFirst([{ ...row, code: 'a', unlinkedShare: 0.1 }, { ...row, code: 'b', unlinkedShare: 0.5 }]).map((r) => r.code)).toEqual(['b', 'a']);
    expect(worstFirst([{ ...row, code: 'a', withoutAccount: 1 }, { ...row, code: 'b', withoutAccount: 9 }]).map((r) => r.code)).toEqual(['b', 'a']);
  });

  it('returns 404 for a town outside the caller\'s scope and 403 for the member, department and admin', async () => {
    expect((await get('town', `/api/v1/home/breakdown?org=${otherTown}`)).statusCode).toBe(404);
    expect((await get('secretary', `/api/v1/home/breakdown?org=${KEJING}`)).statusCode).toBe(404);
    for (const role of ['member', 'department', 'admin']) expect((await get(role, '/api/v1/home/breakdown')).statusCode, role).toBe(403);
  });
});

describe('GET /api/v1/home/my-links', () => {
  it('returns 200 with only the member\'s own links, primary ones counted as their load', async () => {
    const members = (await get('secretary', `/api/v1/coverage/members?org=${own}&q=${encodeURIComponent('李秀英')}`)).json().data;
    const me = members.find((m: { name: string }) => m.name === '李秀英');
    const other = await addMember(own, '工作台别人');
    const mine = (await post('secretary', '/api/v1/households', householdBody(own, { address: '工作台测试 2组 1号' }))).json().data.id;
    const theirs = (await post('secretary', '/api/v1/households', householdBody(own, { address: '工作台测试 2组 2号' }))).json().data.id;
    expect((await post('secretary', '/api/v1/links', { personId: me.id, householdId: mine })).statusCode).toBe(201);
    expect((await post('secretary', '/api/v1/links', { personId: other, householdId: theirs })).statusCode).toBe(201);

    const res = await get('member', '/api/v1/home/my-links');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    const ids = d.items.map((i: { householdId: string | null }) => i.householdId);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(d.counts.households).toBeGreaterThanOrEqual(1);
    expect(d.load).toBe(d.items.filter((i: { kind: string; role: string }) => i.kind === 'household' && i.role === 'primary').length);
    expect(d.branch.code).toBe(own);
    expect(d.target.min).toBeLessThanOrEqual(d.target.max);
  });

  it('returns 403 for accounts without a person (office, department, admin)', async () => {
    for (const role of ['office', 'department', 'admin']) expect((await get(role, '/api/v1/home/my-links')).statusCode, role).toBe(403);
  });
});

describe('GET /api/v1/home/department', () => {
  it('returns 200 with the department\'s own org and no personal data', async () => {
    const res = await get('department', '/api/v1/home/department');
    expect(res.statusCode, res.body).toBe(200);
    const [d] = res.json().data.departments;
    expect(d.code).toBe(`${ZONE}-D05`);
    expect(Object.keys(d).sort()).toEqual(['code', 'members', 'name', 'parentName', 'partyName', 'publicPhone']);
  });

  it('returns 403 for every other role', async () => {
    for (const role of ['office', 'secretary', 'member', 'admin']) expect((await get(role, '/api/v1/home/department')).statusCode, role).toBe(403);
  });
});

describe('GET /api/v1/home/accounts', () => {
  it('returns 200 for the admin with every account counted, by role', async () => {
    const res = await get('admin', '/api/v1/home/accounts');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    expect(d.total).toBeGreaterThanOrEqual(7);
    expect(d.byRole.map((r: { role: string }) => r.role)).toEqual(expect.arrayContaining(['admin', 'office', 'secretary', 'member']));
    expect(d.neverLoggedIn + d.disabled).toBeLessThanOrEqual(d.total);
  });

  it('counts a disabled account and one that must change its password', async () => {
    const before = (await get('admin', '/api/v1/home/accounts')).json().data;
    await t.database.db.execute(sql`
      INSERT INTO accounts (username, display_name, password_hash, disabled) VALUES ('home-test-disabled', '停用', 'x', true);
      INSERT INTO accounts (username, display_name, password_hash, must_change_password) VALUES ('home-test-otp', '待改密', 'x', true)`);
    const after = (await get('admin', '/api/v1/home/accounts')).json().data;
    expect([after.total - before.total, after.disabled - before.disabled, after.mustChangePassword - before.mustChangePassword]).toEqual([2, 1, 1]);
  });

  it('scopes a secretary to accounts with a role in their village', async () => {
    const d = (await get('secretary', '/api/v1/home/accounts')).json().data;
    expect(d.byRole.map((r: { role: string }) => r.role).sort()).toEqual(['member', 'secretary']);
  });

  it('returns 403 for roles that manage no accounts (member, department, leader)', async () => {
    for (const role of ['member', 'department', 'leader']) expect((await get(role, '/api/v1/home/accounts')).statusCode, role).toBe(403);
  });
});

describe('GET /api/v1/home/* without a session', () => {
  it('returns 401', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/home/unlinked' })).statusCode).toBe(401);
  });
});
