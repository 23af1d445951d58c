import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { withDatabase } from '../../../test/db-server.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { openPool } from '../../db/client.ts';
import { generateOneTimePassword } from '../../lib/passwords.ts';
import { hashPassword } from './auth.service.ts';

let t: TestApp;
beforeAll(async () => { t = await setupTestApp({ loginRatePerMinute: 1000 }); });
afterAll(async () => { await t.close(); });

const STRONG = 'zhangjiaping-laowu-1984-lianxin-xiaodui';
let seq = 0;

/** A secretary account of the secretary's village with a one-time password, as account management creates them. */
async function oneTimeAccount(extra: { role?: string } = {}): Promise<{ username: string; password: string }> {
  const username = `otp.user${++seq}`;
  const password = generateOneTimePassword();
  await t.database.db.execute(sql`
    WITH a AS (INSERT INTO accounts (username, display_name, password_hash, must_change_password)
               VALUES (${username}, ${'测试' + seq}, ${await hashPassword(password)}, true) RETURNING id)
    INSERT INTO account_roles (account_id, role, org_id)
    SELECT a.id, ${extra.role ?? 'secretary'}, r.org_id FROM a, account_roles r JOIN accounts s ON s.id = r.account_id WHERE s.username = 'secretary'`);
  return { username, password };
}

function call(app: FastifyInstance, s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  return app.inject({ method, url, payload: payload as object, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
}

async function changePassword(app: FastifyInstance, s: Session, currentPassword: string, newPassword: string) {
  return call(app, s, 'POST', '/api/v1/auth/password', { currentPassword, newPassword });
}

async function auditOf(action: string, entityId: string) {
  const { rows } = await t.database.db.execute<{ before: unknown; after: unknown; actor_username: string | null }>(sql`
    SELECT before, after, actor_username FROM audit_events WHERE action = ${action} AND entity_id = ${entityId} ORDER BY id`);
  return rows;
}

describe('one-time password at first login', () => {
  it('returns 200 for the login and /me with mustChangePassword, 403 password_change_required elsewhere, and 200 everywhere after the change', async () => {
    const a = await oneTimeAccount();
    const s = await login(t.app, a.username, a.password);
    expect(s.res.json().data.mustChangePassword).toBe(true);
    const me = await call(t.app, s, 'GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().data).toMatchObject({ mustChangePassword: true, totpSetupRequired: false });
    for (const url of ['/api/v1/orgs', '/api/v1/auth/sessions', '/api/v1/search?q=克井']) {
      const res = await call(t.app, s, 'GET', url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.id).toBe('password_change_required');
    }
    // Public routes (schema security: []) still answer: the restriction is about the account's own work.
    const card = await call(t.app, s, 'GET', '/api/v1/public/cards/not-a-real-card-token');
    expect(card.statusCode).not.toBe(403);
    expect([400, 404]).toContain(card.statusCode);

    const changed = await changePassword(t.app, s, a.password, STRONG);
    expect(changed.statusCode).toBe(200);
    expect((await call(t.app, s, 'GET', '/api/v1/orgs')).statusCode).toBe(200);
    expect((await call(t.app, s, 'GET', '/api/v1/auth/me')).json().data.mustChangePassword).toBe(false);
    const { rows } = await t.database.db.execute<{ must_change_password: boolean; password_changed_at: string | null; id: string }>(sql`
      SELECT id, must_change_password, password_changed_at FROM accounts WHERE username = ${a.username}`);
    expect(rows[0]).toMatchObject({ must_change_password: false, password_changed_at: expect.any(String) });
    const audit = await auditOf('account.change_password', rows[0]!.id);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(STRONG);
    expect(JSON.stringify(audit)).not.toContain(a.password);
    // The new password works, the old one no longer does.
    await login(t.app, a.username, STRONG);
    const old = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: a.password } });
    expect(old.statusCode).toBe(401);
  });

  it('returns 403 password_change_required for a write before any validation of its body', async () => {
    const a = await oneTimeAccount();
    const s = await login(t.app, a.username, a.password);
    const res = await call(t.app, s, 'POST', '/api/v1/households', { nonsense: true });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.id).toBe('password_change_required');
  });

  it('lets logout through (200)', async () => {
    const a = await oneTimeAccount();
    const s = await login(t.app, a.username, a.password);
    expect((await call(t.app, s, 'POST', '/api/v1/auth/logout', {})).statusCode).toBe(200);
  });

  it('sets last_login_at and last_login_ip at login', async () => {
    const a = await oneTimeAccount();
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: a.password }, remoteAddress: '10.1.2.3' });
    const { rows } = await t.database.db.execute<{ last_login_at: string | null; last_login_ip: string | null }>(sql`
      SELECT last_login_at, last_login_ip FROM accounts WHERE username = ${a.username}`);
    expect(rows[0]).toEqual({ last_login_at: expect.any(String), last_login_ip: '10.1.2.3' });
  });
});

describe('POST /api/v1/auth/password', () => {
  it('returns 400 validation_error for a wrong current password and keeps the old one', async () => {
    const a = await oneTimeAccount();
    const s = await login(t.app, a.username, a.password);
    const res = await changePassword(t.app, s, 'not-the-password', STRONG);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ id: 'validation_error', message: '当前密码不正确' });
    await login(t.app, a.username, a.password);
  });

  it('counts wrong current passwords like failed logins: from the threshold on, 429 even for the right one', async () => {
    const a = await oneTimeAccount();
    const s = await login(t.app, a.username, a.password);
    for (let i = 0; i < t.config.lockoutThreshold; i++) {
      expect((await changePassword(t.app, s, `wrong-${i}`, STRONG)).statusCode).toBe(400);
    }
    const paused = await changePassword(t.app, s, a.password, STRONG);
    expect(paused.statusCode).toBe(429);
    expect(paused.json().error.id).toBe('rate_limited');
  });

  it('returns 400 with the policy\'s reason for a short, a common and a username-based new password', async () => {
    const a = await oneTimeAccount();
    const s = await login(t.app, a.username, a.password);
    const short = await changePassword(t.app, s, a.password, 'abc123');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toBe('密码至少 10 个字符');
    for (const weak of ['password123', `${a.username}2024`]) {
      const res = await changePassword(t.app, s, a.password, weak);
      expect(res.statusCode, weak).toBe(400);
      expect(res.json().error.message).toContain('密码太容易被猜到');
    }
    expect((await changePassword(t.app, s, a.password, a.password)).json().error.message).toBe('新密码不能与当前密码相同');
  });

  it('returns 403 without the CSRF token', async () => {
    const s = await login(t.app, 'leader');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie: s.cookie }, payload: { currentPassword: 'x', newPassword: STRONG } });
    expect(res.statusCode).toBe(403);
  });

  it('ends the account\'s other sessions (their next request is 401) and keeps this one', async () => {
    const a = await oneTimeAccount();
    const other = await login(t.app, a.username, a.password);
    const s = await login(t.app, a.username, a.password);
    expect((await changePassword(t.app, s, a.password, STRONG)).statusCode).toBe(200);
    expect((await call(t.app, other, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await call(t.app, s, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });
});

describe('sessions and 我的账户', () => {
  it('lists the live sessions with device, address and the current mark; revoke-others ends the other (401) and is audited', async () => {
    const a = await oneTimeAccount();
    const phone = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: a.password }, remoteAddress: '10.9.9.9',
      headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 13; V2185A) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47' },
    });
    const first = { cookie: `lx_session=${phone.cookies.find((c) => c.name === 'lx_session')!.value}`, csrf: phone.json().data.csrfToken };
    const s = await login(t.app, a.username, a.password);
    await changePassword(t.app, s, a.password, STRONG); // ends `first`; log in on the phone again
    const again = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: STRONG }, remoteAddress: '10.9.9.9',
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1' },
    });
    const phone2 = { cookie: `lx_session=${again.cookies.find((c) => c.name === 'lx_session')!.value}`, csrf: again.json().data.csrfToken };
    expect((await call(t.app, first as Session, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);

    const list = await call(t.app, s, 'GET', '/api/v1/auth/sessions');
    expect(list.statusCode).toBe(200);
    const sessions = list.json().data as { device: string; ip: string; current: boolean; id: string }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((x) => x.current)).toHaveLength(1);
    expect(sessions.find((x) => !x.current)).toMatchObject({ device: 'Safari · iPhone', ip: '10.9.9.9' });
    expect(JSON.stringify(sessions)).not.toContain(s.cookie.split('=')[1]!);

    const revoked = await call(t.app, s, 'POST', '/api/v1/auth/sessions/revoke-others');
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().data.revoked).toBe(1);
    expect((await call(t.app, phone2 as Session, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await call(t.app, s, 'GET', '/api/v1/auth/sessions')).json().data).toHaveLength(1);
    const { rows } = await t.database.db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.logout_others' AND actor_username = ${a.username}`);
    expect(rows[0]!.n).toBe(1);
  });

  it('returns the login before this session as the previous login, and null on the first', async () => {
    const a = await oneTimeAccount();
    const s1 = await login(t.app, a.username, a.password);
    expect((await changePassword(t.app, s1, a.password, STRONG)).statusCode).toBe(200);
    expect((await call(t.app, s1, 'GET', '/api/v1/auth/account')).json().data.previousLogin).toBeNull();
    await new Promise((r) => setTimeout(r, 10));
    const s2 = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: STRONG }, remoteAddress: '10.7.7.7' });
    const s2s = { cookie: `lx_session=${s2.cookies.find((c) => c.name === 'lx_session')!.value}`, csrf: s2.json().data.csrfToken } as Session;
    const acc = (await call(t.app, s2s, 'GET', '/api/v1/auth/account')).json().data;
    expect(acc.previousLogin).toMatchObject({ ip: '127.0.0.1' });
    expect(acc.passwordChangedAt).toEqual(expect.any(String));
    expect(acc.totp).toEqual({ enabled: false, recoveryCodesLeft: 0 });
  });

  it('returns 401 for the account routes without a session', async () => {
    for (const url of ['/api/v1/auth/sessions', '/api/v1/auth/account']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
  });
});

/** Logs in (changing the one-time password) and sets up TOTP; returns the session, secret and recovery codes. */
async function withTotp(): Promise<{ username: string; s: Session; secret: string; codes: string[] }> {
  const a = await oneTimeAccount();
  const s = await login(t.app, a.username, a.password);
  await changePassword(t.app, s, a.password, STRONG);
  const setup = await call(t.app, s, 'POST', '/api/v1/auth/totp/setup');
  expect(setup.statusCode).toBe(200);
  const { secret, uri, qr } = setup.json().data;
  expect(uri).toMatch(/^otpauth:\/\/totp\//);
  expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
  const enabled = await call(t.app, s, 'POST', '/api/v1/auth/totp/enable', { code: await generate({ secret }) });
  expect(enabled.statusCode).toBe(200);
  return { username: a.username, s, secret, codes: enabled.json().data.recoveryCodes };
}

/**
 * The app's next code (the following 30 s step, accepted within the ±30 s tolerance): the code that enabled the
 * factor cannot be used again, so a login right after enabling uses the next one, as a user would wait for it.
 */
function nextCode(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

function loginWith(username: string, password: string, totpCode?: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, ...(totpCode ? { totpCode } : {}) } });
}

describe('TOTP second factor', () => {
  it('stores the secret encrypted, enables it only with a right code (400 for a wrong one), and returns 10 recovery codes once', async () => {
    const a = await oneTimeAccount();
    const s = await login(t.app, a.username, a.password);
    await changePassword(t.app, s, a.password, STRONG);
    const { secret } = (await call(t.app, s, 'POST', '/api/v1/auth/totp/setup')).json().data;
    const { rows } = await t.database.db.execute<{ totp_secret_enc: string; totp_enabled_at: Date | null }>(sql`
      SELECT totp_secret_enc, totp_enabled_at FROM accounts WHERE username = ${a.username}`);
    expect(rows[0]!.totp_secret_enc).not.toContain(secret);
    expect(rows[0]!.totp_enabled_at).toBeNull();
    // Not enabled yet: the password alone still logs in.
    expect((await loginWith(a.username, STRONG)).statusCode).toBe(200);
    const wrong = await call(t.app, s, 'POST', '/api/v1/auth/totp/enable', { code: '000000' === (await generate({ secret })) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    const ok = await call(t.app, s, 'POST', '/api/v1/auth/totp/enable', { code: await generate({ secret }) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.recoveryCodes).toHaveLength(10);
    expect((await call(t.app, s, 'POST', '/api/v1/auth/totp/enable', { code: await generate({ secret }) })).statusCode).toBe(409);
    expect((await call(t.app, s, 'GET', '/api/v1/auth/me')).json().data.totpEnabled).toBe(true);
  });

  it('returns 401 totp_required without a code (no session, not counted), 401 for a wrong code (counted), 200 with the right code', async () => {
    const { username, secret } = await withTotp();
    const missing = await loginWith(username, STRONG);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.id).toBe('totp_required');
    expect(missing.cookies).toHaveLength(0);
    const { rows: before } = await t.database.db.execute(sql`SELECT 1 FROM login_throttles WHERE username = ${username}`);
    expect(before).toHaveLength(0);
    const right = await nextCode(secret);
    const wrong = await loginWith(username, STRONG, right === '123456' ? '654321' : '123456');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.id).toBe('totp_required');
    const { rows: after } = await t.database.db.execute<{ failures: number }>(sql`SELECT failures FROM login_throttles WHERE username = ${username} AND ip = '127.0.0.1'`);
    expect(after[0]!.failures).toBe(1);
    expect((await loginWith(username, STRONG, right)).statusCode).toBe(200);
    // The wrong password with a right code is still a plain 401 unauthenticated.
    expect((await loginWith(username, 'wrong-password-x', right)).json().error.id).toBe('unauthenticated');
  });

  it('returns 401 totp_required for a code already used (replayed) or older than the last one accepted', async () => {
    const { username, secret } = await withTotp();
    const next = await nextCode(secret);
    expect((await loginWith(username, STRONG, next)).statusCode).toBe(200);
    const replayed = await loginWith(username, STRONG, next);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.id).toBe('totp_required');
    // The current step's code (the one that enabled it, or any earlier) is behind the last accepted step.
    expect((await loginWith(username, STRONG, await generate({ secret }))).statusCode).toBe(401);
  });

  it('accepts a recovery code once (any case, with or without dashes), then refuses it', async () => {
    const { username, s, codes } = await withTotp();
    const code = codes[0]!;
    expect((await loginWith(username, STRONG, code.toUpperCase().replaceAll('-', ' '))).statusCode).toBe(200);
    const again = await loginWith(username, STRONG, code);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.id).toBe('totp_required');
    expect((await call(t.app, s, 'GET', '/api/v1/auth/account')).json().data.totp).toEqual({ enabled: true, recoveryCodesLeft: 9 });
  });

  it('disables with the password and a code (400 for a wrong password), after which the password alone logs in', async () => {
    const { username, s, secret } = await withTotp();
    const bad = await call(t.app, s, 'POST', '/api/v1/auth/totp/disable', { password: 'wrong-password-x', code: await generate({ secret }) });
    expect(bad.statusCode).toBe(400);
    const ok = await call(t.app, s, 'POST', '/api/v1/auth/totp/disable', { password: STRONG, code: await nextCode(secret) });
    expect(ok.statusCode).toBe(200);
    expect((await loginWith(username, STRONG)).statusCode).toBe(200);
    const { rows } = await t.database.db.execute<{ totp_secret_enc: string | null; recovery_code_hashes: string[] | null }>(sql`
      SELECT totp_secret_enc, recovery_code_hashes FROM accounts WHERE username = ${username}`);
    expect(rows[0]).toEqual({ totp_secret_enc: null, recovery_code_hashes: null });
  });
});

describe('login-security policy (GET/PUT /api/v1/auth/policy)', () => {
  afterAll(async () => {
    const s = await login(t.app, 'office');
    await call(t.app, s, 'PUT', '/api/v1/auth/policy', { requireTotpRoles: [] });
  });

  it('returns 403 for roles without the settings ability and for a town writing it; 200 read-only for the town', async () => {
    for (const role of ['secretary', 'member', 'department', 'leader']) {
      expect((await call(t.app, await login(t.app, role), 'GET', '/api/v1/auth/policy')).statusCode, role).toBe(403);
    }
    const town = await login(t.app, 'town');
    expect((await call(t.app, town, 'GET', '/api/v1/auth/policy')).json().data).toEqual({ requireTotpRoles: [], canEdit: false });
    expect((await call(t.app, town, 'PUT', '/api/v1/auth/policy', { requireTotpRoles: [] })).statusCode).toBe(403);
    const bad = await call(t.app, await login(t.app, 'office'), 'PUT', '/api/v1/auth/policy', { requireTotpRoles: ['admin'] });
    expect(bad.statusCode).toBe(400);
  });

  it('requires a second factor of secretaries once the office says so: 403 totp_setup_required until set up, audited', async () => {
    const office = await login(t.app, 'office');
    const put = await call(t.app, office, 'PUT', '/api/v1/auth/policy', { requireTotpRoles: ['secretary'] });
    expect(put.statusCode).toBe(200);
    expect(put.json().data).toEqual({ requireTotpRoles: ['secretary'], canEdit: true });
    expect(await auditOf('settings.update', 'auth.requireTotpRoles')).toEqual([
      expect.objectContaining({ before: [], after: ['secretary'], actor_username: 'office' }),
    ]);

    const sec = await login(t.app, 'secretary');
    expect((await call(t.app, sec, 'GET', '/api/v1/auth/me')).json().data.totpSetupRequired).toBe(true);
    const blocked = await call(t.app, sec, 'GET', '/api/v1/orgs');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.id).toBe('totp_setup_required');
    // The office itself is not required: its work goes on.
    expect((await call(t.app, office, 'GET', '/api/v1/orgs')).statusCode).toBe(200);
    // The account page's routes answer, so the secretary can set it up there.
    expect((await call(t.app, sec, 'GET', '/api/v1/auth/sessions')).statusCode).toBe(200);
    const { secret } = (await call(t.app, sec, 'POST', '/api/v1/auth/totp/setup')).json().data;
    expect((await call(t.app, sec, 'POST', '/api/v1/auth/totp/enable', { code: await generate({ secret }) })).statusCode).toBe(200);
    expect((await call(t.app, sec, 'GET', '/api/v1/orgs')).statusCode).toBe(200);
    // And may not turn it off while the policy stands.
    const off = await call(t.app, sec, 'POST', '/api/v1/auth/totp/disable', { password: 'x', code: await generate({ secret }) });
    expect(off.statusCode).toBe(403);
    // Clean up: the demo secretary is shared by other tests in this file.
    await t.database.db.execute(sql`UPDATE accounts SET totp_secret_enc = NULL, totp_enabled_at = NULL, recovery_code_hashes = NULL WHERE username = 'secretary'`);
  });
});

describe('npm run create-admin (child process, NODE_ENV=production, fresh database)', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
  const adminUrl = () => inject('pgAdminUrl');
  const dbName = `lx_create_admin_${Math.random().toString(36).slice(2, 8)}_${inject('pgTemplate')}`;
  const env = () => ({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: withDatabase(adminUrl(), dbName),
    SESSION_SECRET: 'create-admin-test-secret-0123456789abcdef',
    LIANXIN_KEYRING: JSON.stringify({ current: 'k1', keys: { k1: Buffer.alloc(32, 3).toString('base64') } }),
    LIANXIN_PUBLIC_URL: 'https://lianxin.example.org',
    LIANXIN_DEMO_PASSWORD: '',
  });
  function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/create-admin.ts', ...args], { cwd: root, env: env() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
  const lastLine = (out: string) => out.trimEnd().split('\n').pop()!;

  async function admin(q: string): Promise<void> {
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    await c.query(q);
    await c.end();
  }
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    await admin(`CREATE DATABASE ${dbName}`);
  });
  afterAll(async () => {
    await close?.();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  });

  it('exits ≠ 0 with a clear message for a bad username or none', async () => {
    const bad = await run('a b');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('用户名');
    const none = await run();
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('usage');
  });

  it('creates the admin with a one-time password on the last line: login → 403 until changed → 200; a second run resets and unlocks', { timeout: 120_000 }, async () => {
    const first = await run('zone.admin');
    expect(first.code, first.stderr).toBe(0);
    const password = lastLine(first.stdout);
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);

    const config = loadConfig(env());
    const database = openPool(env().DATABASE_URL, 'url', 3);
    app = await buildApp({ config, database });
    await app.ready();
    close = async () => { await app.close(); await database.close(); };

    const { rows: demo } = await database.pool.query('SELECT count(*)::int AS n FROM accounts WHERE demo');
    expect(demo[0].n).toBe(0);
    const s = await login(app, 'zone.admin', password);
    expect(s.res.json().data).toMatchObject({ mustChangePassword: true, demo: false, roles: [expect.objectContaining({ role: 'admin', orgLevel: 'zone' })] });
    expect((await call(app, s, 'GET', '/api/v1/orgs')).json().error.id).toBe('password_change_required');
    expect((await changePassword(app, s, password, STRONG)).statusCode).toBe(200);
    expect((await call(app, s, 'GET', '/api/v1/orgs')).statusCode).toBe(200);
    const { rows: audit } = await database.pool.query(`SELECT action, actor_username, after FROM audit_events WHERE action LIKE 'account.%' ORDER BY id`);
    expect(audit[0]).toMatchObject({ action: 'account.create_admin', actor_username: null, after: expect.objectContaining({ by: 'cli' }) });
    expect(JSON.stringify(audit)).not.toContain(password);

    // Locked out and forgotten: a second run resets the password, clears the pauses and ends the sessions.
    await database.pool.query(`INSERT INTO login_throttles (username, ip, failures, blocked_until) VALUES ('zone.admin', '127.0.0.1', 9, now() + interval '1 hour')`);
    await database.pool.query(`UPDATE accounts SET disabled = true WHERE username = 'zone.admin'`);
    const second = await run('zone.admin');
    expect(second.code, second.stderr).toBe(0);
    const reset = lastLine(second.stdout);
    expect(reset).not.toBe(password);
    expect((await call(app, s, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const s2 = await login(app, 'ZONE.admin', reset);
    expect(s2.res.json().data.mustChangePassword).toBe(true);
    const { rows: actions } = await database.pool.query(`SELECT action FROM audit_events WHERE action = 'account.reset_password'`);
    expect(actions).toHaveLength(1);
  });
});
