import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { startProductionServer, type ProductionServer } from '../../src/production-server.ts';
import { PHONE } from '../../src/session.ts';
import { totpNow } from '../../src/totp.ts';
import { AppHeader } from '../../pages/app-header.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { MyAccountPage } from '../../pages/my-account-page.ts';
import { PasswordChangePage } from '../../pages/password-change-page.ts';

/** 动态验证码 on a fresh production zone: set up on 我的账户, then needed at login; a recovery code works once. */
describe('going live: the second factor', () => {
  const ADMIN = 'admin.2fa';
  const PASSWORD = 'huanghe-wangwushan-2026-dangqun';
  let zone: ProductionServer & { adminPassword: string | null };
  let desk: BrowserSession;
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    zone = await startProductionServer({ admin: ADMIN });
    desk = await openBrowser({ baseURL: zone.url });
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
    await zone?.stop();
  }, 60_000);

  test('the admin enables 动态验证码 on 我的账户 and is shown 10 recovery codes once', async () => {
    const login = new LoginPage(desk.page);
    await login.open();
    await login.logInAndWait(ADMIN, zone.adminPassword!);
    await new PasswordChangePage(desk.page).changeAndWait(zone.adminPassword!, PASSWORD);
    const account = new MyAccountPage(desk.page);
    await account.openFromHeader();
    ({ secret, recoveryCodes } = await account.enableTotp((s) => totpNow(s)));
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(recoveryCodes).toHaveLength(10);
    await desk.page.getByText('已启用').waitFor();
  });

  test('logging in then asks for the code after the password, and the app\'s code lets the admin in', async () => {
    await new AppHeader(desk.page).logout();
    const login = new LoginPage(desk.page);
    expect(await login.logInForAnswer(ADMIN, PASSWORD)).toBe(401);
    // The app's next code: the one that enabled the factor is spent (a code is accepted once).
    await login.totpCode().fill(totpNow(secret, Date.now() + 30_000));
    await login.submit().click();
    await desk.page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await desk.page.getByRole('heading', { level: 1 }).waitFor();
  });

  test('on a phone a recovery code works once', async () => {
    for (const expected of ['in', 'refused'] as const) {
      const phone = await openBrowser({ baseURL: zone.url, ...PHONE });
      try {
        const login = new LoginPage(phone.page);
        await login.open();
        await login.logInForAnswer(ADMIN, PASSWORD);
        await login.totpCode().fill(recoveryCodes[0]!);
        if (expected === 'in') {
          await login.submit().click();
          await phone.page.waitForURL((u) => !u.pathname.startsWith('/login'));
        } else {
          const answer = phone.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login');
          await login.submit().click();
          expect((await answer).status()).toBe(401);
          await expect.poll(() => login.error().textContent()).toContain('动态验证码或恢复码不正确');
        }
      } finally {
        await phone.close();
      }
    }
  });
});
