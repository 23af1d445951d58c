import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { LoginPage } from '../../pages/login-page.ts';

// Uses the `member` account, which no other spec logs in with: after this spec it stays locked for the lockout period.
describe('the login page', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ baseURL: inject('baseURL') });
  });
  afterAll(async () => {
    await s?.close();
  });

  test('shows the lockout message after repeated wrong passwords, even for the right password', async () => {
    const login = new LoginPage(s.page);
    await login.open();
    // LIANXIN_LOCKOUT_THRESHOLD defaults to 5 (server/src/config.ts); a few more attempts cover a changed default.
    const statuses: number[] = [];
    for (let i = 0; i < 10 && statuses.at(-1) !== 429; i++) statuses.push(await login.logInForAnswer('member', `wrong-password-${i}`));
    expect(statuses.at(-1)).toBe(429);
    await expect.poll(() => login.error().textContent()).toContain('锁定');

    expect(await login.logInForAnswer('member', DEMO_PASSWORD)).toBe(429);
    await expect.poll(() => login.error().textContent()).toContain('锁定');
    expect(new URL(s.page.url()).pathname).toBe('/login');
  });
});
