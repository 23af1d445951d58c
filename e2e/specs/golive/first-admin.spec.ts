import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { PageAudit } from '../../src/page-audit.ts';
import { PHONE } from '../../src/session.ts';
import { startProductionServer, type ProductionServer } from '../../src/production-server.ts';
import { AppHeader } from '../../pages/app-header.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { MyAccountPage } from '../../pages/my-account-page.ts';
import { PasswordChangePage } from '../../pages/password-change-page.ts';

/**
 * Going live, as the README's "Going to production" tells an operator: a fresh production zone (no demo data),
 * `create-admin`, and the admin's first login with the printed one-time password. The steps run in order and share
 * the zone; later steps (accounts the admin creates for others) continue from the signed-in admin.
 */
describe('going live: the first admin', () => {
  const ADMIN = 'zone.admin';
  const ADMIN_PASSWORD = 'qinghe-dangqun-shuiku-2026-lianxin';
  let zone: ProductionServer & { adminPassword: string | null };
  let admin: BrowserSession;

  beforeAll(async () => {
    zone = await startProductionServer({ admin: ADMIN });
    admin = await openBrowser({ baseURL: zone.url });
  }, 180_000);
  afterAll(async () => {
    await admin?.close();
    await zone?.stop();
  }, 60_000);

  test('create-admin prints a one-time password alone on its last line', () => {
    expect(zone.adminPassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  });

  test('the demo accounts do not exist in production', async () => {
    const login = new LoginPage(admin.page);
    await login.open();
    expect(await login.logInForAnswer('admin', 'lianxin-demo-2026')).toBe(401);
  });

  test('the admin logs in with the one-time password, must change it first, then lands on the home with no demo banner', async () => {
    const login = new LoginPage(admin.page);
    await login.open();
    await login.logInAndWait(ADMIN, zone.adminPassword!);
    const change = new PasswordChangePage(admin.page);
    await change.waitForLoaded();

    // Nothing else answers until the password is changed, even typed into the address bar.
    await admin.page.goto('/orgs');
    await change.waitForLoaded();

    // A weak password is refused with the policy's reason, shown beside the form.
    await change.fill(zone.adminPassword!, 'password123');
    await change.submit().click();
    await expect.poll(() => change.error().textContent()).toContain('密码太容易被猜到');

    await change.changeAndWait(zone.adminPassword!, ADMIN_PASSWORD);
    // Home: the top of the admin's tree (the whole zone).
    await admin.page.waitForURL((u) => u.pathname.startsWith('/orgs'));
    await admin.page.getByRole('heading', { level: 1 }).waitFor();
    expect(await new AppHeader(admin.page).demoNotice().count()).toBe(0);
    const me = await admin.page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
    expect(me.data).toMatchObject({ mustChangePassword: false, demo: false, roles: [expect.objectContaining({ role: 'admin' })] });
  });

  test('我的账户 shows this device as the current one; the one-time password no longer works', async () => {
    const account = new MyAccountPage(admin.page);
    await account.openFromHeader();
    expect(await account.sessions().count()).toBe(1);
    const res = await admin.page.evaluate((u) => fetch('/api/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(u),
    }).then((r) => r.status), { username: ADMIN, password: zone.adminPassword! });
    expect(res).toBe(401);
  });

  test('the account pages pass the page audit (axe, one h1, no errors) on a desktop and a phone', async () => {
    for (const device of [{}, PHONE]) {
      const b = await openBrowser({ baseURL: zone.url, ...device });
      try {
        const audit = await PageAudit.attach(b.context, zone.url);
        const login = new LoginPage(b.page);
        await login.open();
        await login.logInAndWait(ADMIN, ADMIN_PASSWORD);
        const label = device === PHONE ? 'phone' : 'desktop';
        for (const path of ['/account', '/account/password', '/settings/security']) await audit.visit(b.page, path, `${label} ${path}`);
        // The second factor's set-up step (QR code, secret, code field); not enabled, so later steps log in as before.
        await audit.visit(b.page, '/account', `${label} /account`);
        await new MyAccountPage(b.page).setUpTotp().click();
        await b.page.getByRole('img', { name: '动态验证码设置二维码' }).waitFor();
        await audit.visit(b.page, location(b), `${label} /account TOTP set-up`, [], true);
        expect(audit.problems).toEqual([]);
      } finally {
        await b.close();
      }
    }
  });
});

function location(b: BrowserSession): string {
  return new URL(b.page.url()).pathname;
}
