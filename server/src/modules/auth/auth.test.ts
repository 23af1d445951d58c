import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, TEST_DEMO_PASSWORD, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => { t = await setupTestApp({ lockoutThreshold: 3, loginRatePerMinute: 1000 }); });
afterAll(async () => { await t.close(); });

async function auditActions(username: string): Promise<string[]> {
  const { rows } = await t.database.db.execute<{ action: string }>(sql`
    SELECT action FROM audit_events WHERE actor_username = ${username} OR after->>'username' = ${username} ORDER BY id`);
  return rows.map((r) => r.action);
}

describe('POST /api/v1/auth/login', () => {
  it('returns 200 with the caller, roles and a CSRF token, and sets an httpOnly SameSite=Lax session cookie', async () => {
    const s = await login(t.app, 'secretary');
    const body = s.res.json();
    expect(body.data.account.username).toBe('secretary');
    expect(body.data.roles).toEqual([expect.objectContaining({ role: 'secretary', orgLevel: 'village' })]);
    expect(body.data.scopeRoots).toHaveLength(1);
    expect(body.data.demo).toBe(true);
    expect(body.data.csrfToken.length).toBeGreaterThan(20);
    const c = s.res.cookies.find((x) => x.name === 'lx_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(JSON.stringify(body)).not.toContain('password');
  });

  it('returns 401 unauthenticated for a wrong password and records a failed-login audit event', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'leader', password: 'wrong-password' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.id).toBe('unauthenticated');
    expect(res.cookies).toHaveLength(0);
    expect(await auditActions('leader')).toContain('auth.login_failed');
  });

  it('returns the same 401 for an unknown username as for a wrong password', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('用户名或密码错误');
  });

  it('returns 429 and locks the account after the threshold of failures, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'department', password: 'bad' } });
      expect(r.statusCode).toBe(401);
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'department', password: TEST_DEMO_PASSWORD } });
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toMatchObject({ id: 'rate_limited', details: { lockedUntil: expect.any(String) } });
    // Once the lock expires the right password works again and the counter resets.
    await t.database.db.execute(sql`UPDATE accounts SET locked_until = now() - interval '1 second' WHERE username = 'department'`);
    await login(t.app, 'department');
    const { rows } = await t.database.db.execute<{ failed_logins: number }>(sql`SELECT failed_logins FROM accounts WHERE username = 'department'`);
    expect(rows[0]!.failed_logins).toBe(0);
  });

  it('returns 400 validation_error for unknown fields, wrong types and overlong strings', async () => {
    for (const payload of [{ username: 'a', password: 'b', admin: true }, { username: 1, password: 'b' }, { username: 'a'.repeat(65), password: 'b' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.id).toBe('validation_error');
    }
  });

  it('returns 400 for malformed JSON and 413 payload_too_large for an oversized body', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.id).toBe('validation_error');
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'x', password: 'y'.repeat(100_000) }) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.id).toBe('payload_too_large');
  });
});

describe('GET /api/v1/auth/me', () => {
  it('returns 401 unauthenticated without a session cookie', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.id).toBe('unauthenticated');
  });

  it('returns 401 for a tampered cookie', async () => {
    const s = await login(t.app, 'town');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie.slice(0, -3) + 'abc' } });
    expect(res.statusCode).toBe(401);
  });

  it('returns 401 once the idle deadline has passed, and once the absolute deadline has passed', async () => {
    const a = await login(t.app, 'town');
    await t.database.db.execute(sql`UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE csrf_token = ${a.csrf}`);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: a.cookie } })).statusCode).toBe(401);
    const b = await login(t.app, 'town');
    await t.database.db.execute(sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE csrf_token = ${b.csrf}`);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: b.cookie } })).statusCode).toBe(401);
  });
});

describe('POST /api/v1/auth/logout', () => {
  it('returns 403 forbidden without the CSRF token and keeps the session alive', async () => {
    const s = await login(t.app, 'office');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie }, payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.id).toBe('forbidden');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
  });

  it('returns 200, ends this session only, and audits the logout', async () => {
    const a = await login(t.app, 'office');
    const b = await login(t.app, 'office');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf }, payload: {} });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: a.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: b.cookie } })).statusCode).toBe(200);
    expect(await auditActions('office')).toContain('auth.logout');
  });

  it('with everywhere=true ends every session of the account', async () => {
    const a = await login(t.app, 'leader');
    const b = await login(t.app, 'leader');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf }, payload: { everywhere: true } });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: b.cookie } })).statusCode).toBe(401);
    expect(await auditActions('leader')).toContain('auth.logout_everywhere');
  });
});

describe('login rate limit', () => {
  it('returns 429 rate_limited after too many attempts from one address', async () => {
    const limited = await setupTestApp({ loginRatePerMinute: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } });
        codes.push(r.statusCode);
        if (r.statusCode === 429) expect(r.json().error.id).toBe('rate_limited');
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('production', () => {
  it('refuses demo accounts when NODE_ENV=production even with the right password', async () => {
    const prod = await setupTestApp({ production: true, demoPassword: null });
    try {
      const r = await prod.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'office', password: TEST_DEMO_PASSWORD } });
      expect(r.statusCode).toBe(401);
    } finally {
      await prod.close();
    }
  });
});
