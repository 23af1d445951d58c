import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { readPdf } from '../../../test/pdf.ts';
import { encrypt, keyedHash } from '../../lib/crypto.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string; // the secretary's village (first of 克井镇)
let neighbour: string; // another village of 克井镇
let otherTown: string; // a village of 五龙口镇
const KEJING_TOWN = '419001100000';
const OFFICE_ORG = '419001000000-O01';

beforeAll(async () => {
  // Many logins in a minute (each role, then the accounts made here): the per-address login rate limit is auth's test.
  t = await setupTestApp({ publicUrl: 'https://lianxin.example.cn', loginRatePerMinute: 1000 }, { logger: { level: 'error' } });
  for (const r of DEMO_ROLES) s[r] = await login(t.app, r);
  ({ own, neighbour, otherTown } = await scopeVillages(t));
});
afterAll(async () => { await t?.close(); });

function req(who: Session | string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const x = typeof who === 'string' ? s[who]! : who;
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie: x.cookie, 'x-csrf-token': x.csrf } });
}

let seq = 0;
/** A member (or helper) on the roster of `village`, optionally with a mobile; returns the person id. */
async function person(village: string, opts: { name?: string; kind?: 'member' | 'helper'; phone?: string } = {}): Promise<string> {
  const phone = opts.phone ?? null;
  const { rows } = await t.database.pool.query<{ id: string }>(
    `INSERT INTO people (org_id, kind, name, sex, phone_enc, phone_hash, phone_tail, synthetic)
     SELECT id, $2, $3, 'M', $4, $5, $6, true FROM orgs WHERE code = $1 RETURNING id`,
    [village, opts.kind ?? 'member', opts.name ?? `测试党员${++seq}`, phone && encrypt(t.config.keyring, phone),
      phone && keyedHash(t.config.keyring, phone), phone?.slice(-4) ?? null]);
  return rows[0]!.id;
}
function uname(): string {
  return `acct-${process.pid}-${++seq}`;
}
async function createMember(by: string, village: string, extra: Record<string, unknown> = {}) {
  const pid = await person(village);
  return req(by, 'POST', '/api/v1/accounts', { username: uname(), personId: pid, roles: [{ role: 'member', orgCode: village }], ...extra });
}
async function audits(entityId: string): Promise<{ action: string; before: unknown; after: unknown }[]> {
  const { rows } = await t.database.pool.query(`SELECT action, before, after FROM audit_events WHERE entity_id = $1 ORDER BY at, id`, [entityId]);
  return rows;
}

describe('phone numbers as usernames', () => {
  it('shows the admin a mobile-number username masked (list, one account, its own audit actor) while the office sees it whole', async () => {
    const mobile = `139${String(process.pid % 100000).padStart(5, '0')}${String(++seq % 1000).padStart(3, '0')}`;
    const pid = await person(own, { name: '手机号用户' });
    const created = await req('secretary', 'POST', '/api/v1/accounts', { username: mobile, personId: pid, roles: [{ role: 'member', orgCode: own }] });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().data.account.id as string;
    const masked = `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
    const adminList = await req('admin', 'GET', `/api/v1/accounts?q=${mobile}`);
    expect(adminList.json().data.map((a: { username: string }) => a.username)).toEqual([masked]);
    expect((await req('admin', 'GET', `/api/v1/accounts/${id}`)).json().data.username).toBe(masked);
    expect(adminList.body).not.toContain(mobile);
    const officeList = await req('office', 'GET', `/api/v1/accounts?q=${mobile}`);
    expect(officeList.json().data.map((a: { username: string }) => a.username)).toEqual([mobile]);
    // The member logs in: the audit's actor is their username, masked for the admin only.
    await login(t.app, mobile, created.json().data.oneTimePassword);
    const adminAudit = await req('admin', 'GET', `/api/v1/audit?group=login&entityType=account&entityId=${id}`);
    expect(adminAudit.statusCode, adminAudit.body).toBe(200);
    expect(adminAudit.body).not.toContain(mobile);
    expect(adminAudit.json().data.map((e: { actor: { username: string } }) => e.actor.username)).toContain(masked);
    const officeAudit = await req('office', 'GET', `/api/v1/audit?group=login&entityType=account&entityId=${id}`);
    expect(officeAudit.json().data.map((e: { actor: { username: string } }) => e.actor.username)).toContain(mobile);
  });
});

describe('who may administer accounts', () => {
  it.each(['member', 'leader', 'department'])('returns 403 to %s for the list, the grantable roles and a create', async (role) => {
    expect((await req(role, 'GET', '/api/v1/accounts')).statusCode).toBe(403);
    expect((await req(role, 'GET', '/api/v1/accounts/grantable')).statusCode).toBe(403);
    expect((await createMember(role, own)).statusCode).toBe(403);
  });

  it('offers a secretary only the member role at their own branch, and a town only town, secretary and member inside its town', async () => {
    const sec = (await req('secretary', 'GET', '/api/v1/accounts/grantable')).json().data;
    expect(sec).toEqual([{ role: 'member', orgs: [expect.objectContaining({ code: own })] }]);
    const town = (await req('town', 'GET', '/api/v1/accounts/grantable')).json().data as { role: string; orgs: { code: string }[] }[];
    expect(town.map((x) => x.role).sort()).toEqual(['member', 'secretary', 'town']);
    expect(town.find((x) => x.role === 'secretary')!.orgs.map((o) => o.code)).toContain(neighbour);
    expect(town.flatMap((x) => x.orgs.map((o) => o.code))).not.toContain(otherTown);
    const office = (await req('office', 'GET', '/api/v1/accounts/grantable')).json().data as { role: string }[];
    expect(office.map((x) => x.role)).not.toContain('admin');
    expect(office.map((x) => x.role)).toEqual(expect.arrayContaining(['office', 'leader', 'department', 'town', 'secretary', 'member']));
  });
});

describe('POST /api/v1/accounts', () => {
  it('returns 201 when a secretary creates a member account for a person of their branch, with a one-time password to change at first login', async () => {
    const pid = await person(own, { name: '赵红梅' });
    const username = uname();
    const res = await req('secretary', 'POST', '/api/v1/accounts', { username, personId: pid, roles: [{ role: 'member', orgCode: own }] });
    expect(res.statusCode, res.body).toBe(201);
    const { account, oneTimePassword } = res.json().data;
    expect(account).toMatchObject({ username, displayName: '赵红梅', person: { id: pid, name: '赵红梅' }, mustChangePassword: true, disabled: false, lastLoginAt: null });
    expect(account.roles).toEqual([expect.objectContaining({ role: 'member', orgCode: own })]);
    expect(oneTimePassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const stored = await t.database.pool.query(`SELECT password_hash, must_change_password FROM accounts WHERE id = $1`, [account.id]);
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.rows[0].must_change_password).toBe(true);
    await login(t.app, username, oneTimePassword);
    const events = await audits(account.id);
    expect(events.map((e) => e.action)).toContain('account.create');
    expect(JSON.stringify(events)).not.toContain(oneTimePassword);
    expect(JSON.stringify(events)).not.toContain('argon2');
  });

  it('returns 403 when a secretary grants the secretary role', async () => {
    const pid = await person(own);
    const res = await req('secretary', 'POST', '/api/v1/accounts', { username: uname(), personId: pid, roles: [{ role: 'secretary', orgCode: own }] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('无权授予');
  });

  it('returns 404 when a secretary creates an account for a person of another village, and 403 for a role bound there', async () => {
    const pid = await person(neighbour);
    expect((await req('secretary', 'POST', '/api/v1/accounts', { username: uname(), personId: pid, roles: [{ role: 'member', orgCode: own }] })).statusCode).toBe(404);
    const mine = await person(own);
    const res = await req('secretary', 'POST', '/api/v1/accounts', { username: uname(), personId: mine, roles: [{ role: 'member', orgCode: neighbour }] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('超出您的管理范围');
  });

  it('returns 403 when a secretary creates a staff account (no person)', async () => {
    const res = await req('secretary', 'POST', '/api/v1/accounts', { username: uname(), displayName: '村会计', roles: [{ role: 'member', orgCode: own }] });
    expect(res.statusCode).toBe(403);
  });

  it('returns 403 when a town account creates an office account', async () => {
    const res = await req('town', 'POST', '/api/v1/accounts', { username: uname(), displayName: '连心办 新同志', roles: [{ role: 'office', orgCode: OFFICE_ORG }] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.id).toBe('forbidden');
  });

  it('returns 201 when a town creates a secretary for one of its villages, and 403 for a village of another town', async () => {
    const pid = await person(neighbour, { name: '钱卫东' });
    const ok = await req('town', 'POST', '/api/v1/accounts', { username: uname(), personId: pid, roles: [{ role: 'secretary', orgCode: neighbour }] });
    expect(ok.statusCode, ok.body).toBe(201);
    const staff = await req('town', 'POST', '/api/v1/accounts', { username: uname(), displayName: '五龙口 书记', roles: [{ role: 'secretary', orgCode: otherTown }] });
    expect(staff.statusCode).toBe(403);
  });

  it('returns 201 when the office creates a secretary for 克井村 and the admin creates an office account; 403 when the office grants admin', async () => {
    const { rows } = await t.database.pool.query<{ code: string }>(`SELECT code FROM orgs WHERE short_name = '克井村' AND level = 'village'`);
    const kejing = rows[0]!.code;
    const sec = await req('office', 'POST', '/api/v1/accounts', { username: uname(), displayName: '克井村 李书记', roles: [{ role: 'secretary', orgCode: kejing }] });
    expect(sec.statusCode, sec.body).toBe(201);
    const office = await req('admin', 'POST', '/api/v1/accounts', { username: uname(), displayName: '连心办 周干事', roles: [{ role: 'office', orgCode: OFFICE_ORG }] });
    expect(office.statusCode, office.body).toBe(201);
    const admin = await req('office', 'POST', '/api/v1/accounts', { username: uname(), displayName: '另一个管理员', roles: [{ role: 'admin', orgCode: '419001000000' }] });
    expect(admin.statusCode).toBe(403);
  });

  it('returns 409 for a username taken in another case, and for a person who already has an account', async () => {
    const name = `Case-${process.pid}-${++seq}`;
    expect((await createMember('secretary', own, { username: name })).statusCode).toBe(201);
    const dup = await createMember('secretary', own, { username: name.toLowerCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toContain('已被使用');
    const pid = await person(own);
    expect((await req('secretary', 'POST', '/api/v1/accounts', { username: uname(), personId: pid, roles: [{ role: 'member', orgCode: own }] })).statusCode).toBe(201);
    expect((await req('secretary', 'POST', '/api/v1/accounts', { username: uname(), personId: pid, roles: [{ role: 'member', orgCode: own }] })).statusCode).toBe(409);
  });

  it('returns 400 for a staff account without a display name and for a username with spaces', async () => {
    expect((await req('office', 'POST', '/api/v1/accounts', { username: uname(), roles: [{ role: 'town', orgCode: KEJING_TOWN }] })).statusCode).toBe(400);
    expect((await req('office', 'POST', '/api/v1/accounts', { username: 'a b c', displayName: 'x', roles: [{ role: 'town', orgCode: KEJING_TOWN }] })).statusCode).toBe(400);
  });
});

describe('scope of the account routes', () => {
  it('returns 404 when a secretary reads, edits, disables or resets a member account of another village', async () => {
    const res = await createMember('town', neighbour);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().data.account.id;
    expect((await req('secretary', 'GET', `/api/v1/accounts/${id}`)).statusCode).toBe(404);
    expect((await req('secretary', 'PATCH', `/api/v1/accounts/${id}`, { displayName: 'x' })).statusCode).toBe(404);
    expect((await req('secretary', 'POST', `/api/v1/accounts/${id}/disable`, {})).statusCode).toBe(404);
    expect((await req('secretary', 'POST', `/api/v1/accounts/${id}/reset-password`, {})).statusCode).toBe(404);
    // Its own town may, and a town elsewhere may not.
    expect((await req('town', 'GET', `/api/v1/accounts/${id}`)).statusCode).toBe(200);
    const other = await createMember('office', otherTown);
    expect((await req('town', 'GET', `/api/v1/accounts/${other.json().data.account.id}`)).statusCode).toBe(404);
  });

  it('returns 404 when a town reads an account that also holds an office role, and when a secretary reads the town account', async () => {
    const both = await req('office', 'POST', '/api/v1/accounts', {
      username: uname(), displayName: '兼职', roles: [{ role: 'secretary', orgCode: own }, { role: 'office', orgCode: OFFICE_ORG }],
    });
    expect(both.statusCode, both.body).toBe(201);
    expect((await req('town', 'GET', `/api/v1/accounts/${both.json().data.account.id}`)).statusCode).toBe(404);
    const townId = s.town!.res.json().data.account.id;
    expect((await req('secretary', 'GET', `/api/v1/accounts/${townId}`)).statusCode).toBe(404);
  });

  it('lists for a secretary only the member accounts of their branch, paged with cursors; a tampered cursor is a 400', async () => {
    for (let i = 0; i < 3; i++) expect((await createMember('secretary', own)).statusCode).toBe(201);
    await createMember('town', neighbour);
    const seen: { roles: { role: string; orgCode: string }[]; username: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await req('secretary', 'GET', `/api/v1/accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().data);
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(4); // the demo member and the three above
    expect(seen.every((a) => a.roles.every((r) => r.role === 'member' && r.orgCode === own))).toBe(true);
    expect(seen.map((a) => a.username)).toContain('member');
    expect(seen.map((a) => a.username)).not.toContain('secretary');
    expect(new Set(seen.map((a) => a.username)).size).toBe(seen.length);
    expect((await req('secretary', 'GET', `/api/v1/accounts?cursor=${Buffer.from('[1,2]').toString('base64url')}`)).statusCode).toBe(400);
  });

  it('filters by org subtree, role, status and text', async () => {
    const res = await createMember('town', neighbour, { username: `filter-${process.pid}` });
    const id = res.json().data.account.id;
    const list = async (qs: string) => ((await req('town', 'GET', `/api/v1/accounts?${qs}`)).json().data as { id: string }[]).map((a) => a.id);
    expect(await list(`org=${neighbour}&q=filter-${process.pid}`)).toEqual([id]);
    expect(await list(`org=${own}&q=filter-${process.pid}`)).toEqual([]);
    expect(await list(`role=member&status=never_logged_in&q=filter-${process.pid}`)).toEqual([id]);
    expect(await list(`status=must_change&q=filter-${process.pid}`)).toEqual([id]);
    expect(await list(`status=disabled&q=filter-${process.pid}`)).toEqual([]);
    expect(await list(`role=secretary&q=filter-${process.pid}`)).toEqual([]);
    expect((await req('secretary', 'GET', `/api/v1/accounts?org=${otherTown}`)).statusCode).toBe(404);
  });
});

describe('changing an account', () => {
  it('returns 200 when a town edits the roles of a member account to secretary, audited before → after; 403 for a role above its level', async () => {
    const res = await createMember('town', neighbour);
    const id = res.json().data.account.id;
    const up = await req('town', 'PATCH', `/api/v1/accounts/${id}`, { displayName: '新名字', roles: [{ role: 'secretary', orgCode: neighbour }] });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().data).toMatchObject({ displayName: '新名字', roles: [expect.objectContaining({ role: 'secretary' })] });
    const ev = (await audits(id)).find((e) => e.action === 'account.update')!;
    expect(ev.before).toMatchObject({ roles: [`member@${neighbour}`] });
    expect(ev.after).toMatchObject({ roles: [`secretary@${neighbour}`], displayName: '新名字' });
    expect((await req('town', 'PATCH', `/api/v1/accounts/${id}`, { roles: [{ role: 'office', orgCode: OFFICE_ORG }] })).statusCode).toBe(403);
  });

  it('disables an account: its live session stops working at once; enabling lets it log in again', async () => {
    const res = await createMember('secretary', own);
    const { account, oneTimePassword } = res.json().data;
    const session = await login(t.app, account.username, oneTimePassword);
    expect((await req(session, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const off = await req('secretary', 'POST', `/api/v1/accounts/${account.id}/disable`, { reason: '外出务工' });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().data).toMatchObject({ disabled: true, disabledReason: '外出务工' });
    expect((await req(session, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    await expect(login(t.app, account.username, oneTimePassword)).rejects.toThrow(/401/);
    expect((await req('secretary', 'POST', `/api/v1/accounts/${account.id}/enable`, {})).json().data.disabled).toBe(false);
    await login(t.app, account.username, oneTimePassword);
    const actions = (await audits(account.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['account.disable', 'account.enable']));
  });

  it('resets a password: a new one-time password, the old one and the old sessions stop working, nothing of it in the audit', async () => {
    const { account, oneTimePassword } = (await createMember('secretary', own)).json().data;
    const session = await login(t.app, account.username, oneTimePassword);
    const res = await req('secretary', 'POST', `/api/v1/accounts/${account.id}/reset-password`, {});
    expect(res.statusCode, res.body).toBe(200);
    const fresh = res.json().data.oneTimePassword;
    expect(fresh).not.toBe(oneTimePassword);
    expect((await req(session, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    await expect(login(t.app, account.username, oneTimePassword)).rejects.toThrow(/401/);
    await login(t.app, account.username, fresh);
    expect(JSON.stringify(await audits(account.id))).not.toContain(fresh);
  });

  it('ends all sessions of an account and unlocks it (its login throttle rows are deleted)', async () => {
    const { account, oneTimePassword } = (await createMember('secretary', own)).json().data;
    const a = await login(t.app, account.username, oneTimePassword);
    const b = await login(t.app, account.username, oneTimePassword);
    const end = await req('secretary', 'POST', `/api/v1/accounts/${account.id}/end-sessions`, {});
    expect(end.statusCode).toBe(200);
    expect(end.json().data.endedSessions).toBe(2);
    expect((await req(a, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await req(b, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: account.username.toUpperCase(), password: 'wrong-password-1' } });
    const count = async () => (await t.database.pool.query(`SELECT count(*)::int AS n FROM login_throttles WHERE username = lower($1)`, [account.username])).rows[0].n;
    expect(await count()).toBeGreaterThan(0);
    expect((await req('secretary', 'POST', `/api/v1/accounts/${account.id}/unlock`, {})).statusCode).toBe(200);
    expect(await count()).toBe(0);
  });

  it('returns 403 when a town account manages itself here', async () => {
    const townId = s.town!.res.json().data.account.id;
    expect((await req('town', 'POST', `/api/v1/accounts/${townId}/disable`, {})).statusCode).toBe(403);
  });
});

describe('bulk opening and the 开通通知单', () => {
  it('opens accounts for every member of the branch without one (mobile as username when present), and the slips download once', async () => {
    const withPhone = await person(own, { name: '孙志强', phone: `139${String(process.pid % 100_000_000).padStart(8, '0')}` });
    const plain = await person(own, { name: '周丽' });
    const left = await person(own, { name: '吴离开' });
    await t.database.pool.query(`UPDATE people SET left_on = '2025-01-01', left_reason = 'died' WHERE id = $1`, [left]);
    const helper = await person(own, { name: '郑志愿', kind: 'helper' });
    const res = await req('secretary', 'POST', '/api/v1/accounts/bulk-open', { orgCode: own });
    expect(res.statusCode, res.body).toBe(200);
    const { batchId, created, download } = res.json().data;
    expect(created).toBeGreaterThanOrEqual(2);
    const { rows } = await t.database.pool.query<{ person_id: string; username: string; must_change_password: boolean }>(
      `SELECT person_id, username, must_change_password FROM accounts WHERE person_id = ANY($1::uuid[])`, [[withPhone, plain, left, helper]]);
    const by = new Map(rows.map((r) => [r.person_id, r]));
    expect(by.get(withPhone)!.username).toMatch(/^139\d{8}$/);
    expect(by.get(plain)!.username).toMatch(/^zhouli\d+$/);
    expect(by.get(plain)!.must_change_password).toBe(true);
    expect(by.has(left)).toBe(false);
    expect(by.has(helper)).toBe(false);
    const summary = await t.database.pool.query(`SELECT after FROM audit_events WHERE action = 'account.bulk_open' AND after->>'batchId' = $1`, [batchId]);
    expect(summary.rows[0].after.created).toBe(created);

    const pdf = await req('secretary', 'GET', `/api/v1/accounts/slips?token=${download.token}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const doc = await readPdf(pdf.rawPayload);
    expect(doc.pages.length).toBe(Math.ceil(created / 8));
    expect(doc.pages[0]!.width).toBeCloseTo(595.28, 0);
    expect(doc.text).toContain('连心账号开通通知单');
    expect(doc.text).toContain('首次登录后请立即修改密码');
    expect(doc.text).toContain('孙志强');
    expect(doc.text).toContain(by.get(plain)!.username);
    expect(doc.text).toContain('演示数据');
    expect(doc.pages[0]!.links).toContain('https://lianxin.example.cn/login');
    // Every slip carries its username and password in full: the plain member's slip logs in.
    const slip = new RegExp(`用户名\\s+${by.get(plain)!.username}\\s+初始密码\\s+([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})`).exec(doc.text);
    expect(slip, doc.text.slice(0, 300)).toBeTruthy();
    await login(t.app, by.get(plain)!.username, slip![1]!);
    // Once only: the passwords cannot be fetched a second time.
    expect((await req('secretary', 'GET', `/api/v1/accounts/slips?token=${download.token}`)).statusCode).toBe(403);
    // Everyone has an account now: nothing more to open.
    const again = await req('secretary', 'POST', '/api/v1/accounts/bulk-open', { orgCode: own });
    expect(again.json().data).toMatchObject({ created: 0, download: null });
  });

  it('returns 404 when a secretary opens accounts for another village, and a town opens for its villages only', async () => {
    expect((await req('secretary', 'POST', '/api/v1/accounts/bulk-open', { orgCode: neighbour })).statusCode).toBe(404);
    expect((await req('town', 'POST', '/api/v1/accounts/bulk-open', { orgCode: otherTown })).statusCode).toBe(404);
    await person(neighbour, { name: '冯建设' });
    const res = await req('town', 'POST', '/api/v1/accounts/bulk-open', { orgCode: neighbour });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.created).toBeGreaterThanOrEqual(1);
  });

  it('returns 403 for the slips with another session, a made-up token or without a session', async () => {
    await person(own, { name: '陈小兵' });
    const { download } = (await req('secretary', 'POST', '/api/v1/accounts/bulk-open', { orgCode: own })).json().data;
    expect((await req('town', 'GET', `/api/v1/accounts/slips?token=${download.token}`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/accounts/slips?token=${download.token}` })).statusCode).toBe(401);
    expect((await req('secretary', 'GET', `/api/v1/accounts/slips?token=${'A'.repeat(43)}`)).statusCode).toBe(403);
    expect((await req('secretary', 'GET', `/api/v1/accounts/slips?token=${download.token}`)).statusCode).toBe(200);
  });

  it('resets and prints a selection; 404 and nothing changed when one of them is out of scope', async () => {
    const a = (await createMember('secretary', own)).json().data.account;
    const b = (await createMember('secretary', own)).json().data.account;
    const foreign = (await createMember('town', neighbour)).json().data.account;
    const hashes = async () => (await t.database.pool.query(`SELECT password_hash FROM accounts WHERE id = ANY($1::uuid[]) ORDER BY id`, [[a.id, b.id]])).rows;
    const before = await hashes();
    expect((await req('secretary', 'POST', '/api/v1/accounts/reset-print', { ids: [a.id, foreign.id] })).statusCode).toBe(404);
    expect(await hashes()).toEqual(before);
    const res = await req('secretary', 'POST', '/api/v1/accounts/reset-print', { ids: [a.id, b.id] });
    expect(res.statusCode, res.body).toBe(200);
    const pdf = await req('secretary', 'GET', `/api/v1/accounts/slips?token=${res.json().data.download.token}`);
    const text = (await readPdf(pdf.rawPayload)).text;
    expect(text).toContain(a.username);
    expect(text).toContain(b.username);
  });

  it('suggests the mobile as username in the people picker (not to the admin), and marks people who already have an account', async () => {
    const phone = `137${String((process.pid + 7) % 100_000_000).padStart(8, '0')}`;
    await person(own, { name: '蒋明亮', phone });
    const res = await req('secretary', 'GET', `/api/v1/accounts/people?q=${encodeURIComponent('蒋明亮')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual([expect.objectContaining({ name: '蒋明亮', suggestedUsername: phone, hasAccount: false })]);
    // The admin manages accounts but reads no personal data: the pinyin name instead of the mobile.
    const admin = await req('admin', 'GET', `/api/v1/accounts/people?q=${encodeURIComponent('蒋明亮')}`);
    expect(admin.json().data).toEqual([expect.objectContaining({ suggestedUsername: expect.stringMatching(/^jiangmingliang\d+$/) })]);
    expect(admin.body).not.toContain(phone);
    const secretaryOwn = await req('secretary', 'GET', `/api/v1/accounts/people?q=${encodeURIComponent('李秀英')}`);
    expect(secretaryOwn.json().data).toEqual([expect.objectContaining({ hasAccount: true })]);
    expect((await req('secretary', 'GET', `/api/v1/accounts/people?org=${neighbour}`)).statusCode).toBe(404);
  });
});
