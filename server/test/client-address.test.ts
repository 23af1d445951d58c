import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from './app.ts';

// The client's address feeds the login and public-card rate limits, the login throttle, sessions and the audit. It may
// come from X-Forwarded-For only when LIANXIN_TRUST_PROXY names the proxy; otherwise any client could forge it.
const apps: TestApp[] = [];
afterAll(async () => { await Promise.all(apps.map((a) => a.close())); });
async function app(trustProxy: false | number | string[]): Promise<TestApp> {
  const a = await setupTestApp({ production: true, demoPassword: null, trustProxy, loginRatePerMinute: 20, lockoutThreshold: 1000, lockoutAccountThreshold: 1000 });
  apps.push(a);
  return a;
}
const forged = (i: number) => `203.0.113.${i + 1}`;

async function logins(a: TestApp, remoteAddress: string, n: number): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await a.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, headers: { 'x-forwarded-for': forged(i) }, payload: { username: 'nobody', password: 'x' } });
    codes.push(r.statusCode);
  }
  return codes;
}
async function auditedIps(a: TestApp): Promise<string[]> {
  const { rows } = await a.database.db.execute<{ ip: string }>(sql`SELECT DISTINCT ip FROM audit_events WHERE action = 'auth.login_failed' ORDER BY ip`);
  return rows.map((r) => r.ip);
}

describe('client address with LIANXIN_TRUST_PROXY off (the default), in production', () => {
  it('ignores a forged X-Forwarded-For: 30 logins with a different forged address each get 429 after 20, and the audit records the real address', async () => {
    const a = await app(false);
    const codes = await logins(a, '198.51.100.50', 30);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20).every((c) => c === 429)).toBe(true);
    expect(await auditedIps(a)).toEqual(['198.51.100.50']);
  });

  it('ignores a forged X-Forwarded-For on the public card: 80 requests get 429 after 60', async () => {
    const a = await app(false);
    const codes: number[] = [];
    for (let i = 0; i < 80; i++) {
      const r = await a.app.inject({ method: 'GET', url: `/api/v1/public/cards/${'A'.repeat(38)}`, remoteAddress: '198.51.100.51', headers: { 'x-forwarded-for': forged(i) } });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 60).every((c) => c !== 429)).toBe(true);
    expect(codes.slice(60).every((c) => c === 429)).toBe(true);
  });
});

describe('client address with LIANXIN_TRUST_PROXY set', () => {
  it('uses the address the named proxy forwards (no 429 for 30 clients behind it, each audited), and ignores the header from anyone else', async () => {
    const a = await app(['10.0.0.1']);
    expect(await logins(a, '10.0.0.1', 30)).toEqual(Array(30).fill(401));
    expect(await auditedIps(a)).toEqual(Array.from({ length: 30 }, (_, i) => forged(i)).sort());
    const direct = await logins(a, '198.51.100.52', 21);
    expect(direct.at(-1)).toBe(429);
    expect(await auditedIps(a)).toContain('198.51.100.52');
  });

  it('with a hop count of 1 takes the address the nearest proxy saw, not what the client wrote before it', async () => {
    const a = await app(1);
    const r = await a.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': '1.2.3.4, 198.51.100.53' }, payload: { username: 'nobody', password: 'x' } });
    expect(r.statusCode).toBe(401);
    expect(await auditedIps(a)).toEqual(['198.51.100.53']);
  });
});
