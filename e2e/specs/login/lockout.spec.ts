import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { LoginPage } from '../../pages/login-page.ts';

// The test server trusts 127.0.0.1 as a reverse proxy (server/test/e2e-server.ts), so the browser can play an attacker
// at another address with X-Forwarded-For: the pause it earns stays with that address, and `member` keeps logging in
// from the browser's own address (here and in every other spec).
const ATTACKER = { 'x-forwarded-for': '203.0.113.66' };

describe('the login page after repeated wrong passwords', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ baseURL: inject('baseURL') });
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Wrong passwords until the server pauses the name (LIANXIN_LOCKOUT_THRESHOLD, 5 by default); statuses and the last message. */
  async function guessUntilPaused(login: LoginPage, username: string): Promise<{ statuses: number[]; message: string | null }> {
    const statuses: number[] = [];
    for (let i = 0; i < 10 && statuses.at(-1) !== 429; i++) statuses.push(await login.logInForAnswer(username, `wrong-password-${i}`));
    return { statuses, message: await login.error().textContent() };
  }

  test('shows 暂时无法登录 with when to try again, worded alike for a real and an unknown username, even for the right password', async () => {
    await s.context.setExtraHTTPHeaders(ATTACKER);
    const login = new LoginPage(s.page);
    await login.open();
    const real = await guessUntilPaused(login, 'member');
    expect(real.statuses.at(-1)).toBe(429);
    expect(real.message).toContain('暂时无法登录');
    expect(real.message).toMatch(/请 \d+ 分钟后再试/);
    expect(real.message).not.toContain('锁定');

    expect(await login.logInForAnswer('member', DEMO_PASSWORD)).toBe(429);
    expect(await login.error().textContent()).toBe(real.message);
    expect(new URL(s.page.url()).pathname).toBe('/login');

    const unknown = await guessUntilPaused(login, 'no-such-official');
    expect(unknown).toEqual(real);
  });

  test('lets the official log in from their own address while the attacker\'s address is paused', async () => {
    await s.context.setExtraHTTPHeaders({});
    const login = new LoginPage(s.page);
    await login.open();
    await login.logInAndWait('member', DEMO_PASSWORD);
    expect(new URL(s.page.url()).pathname).not.toMatch(/^\/login/);
  });
});
