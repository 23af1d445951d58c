import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createOwnAccount, KEJING_TOWN } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { AppHeader } from '../../pages/app-header.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { HomePage } from '../../pages/home-page.ts';

describe('the header', () => {
  let desk: BrowserSession;
  let phone: BrowserSession;
  // A town account of this spec's own: 退出所有设备 on the demo `town` would end the sessions of parallel specs
  // (the role crawl) that use it.
  let town: { username: string; password: string };
  beforeAll(async () => {
    town = await createOwnAccount(inject('baseURL'), { displayName: '克井镇党委 刘书记', role: 'town', orgCode: KEJING_TOWN.code });
    desk = await openBrowser({ baseURL: inject('baseURL') });
    phone = await openBrowser({ baseURL: inject('baseURL'), viewport: { width: 390, height: 844 }, isMobile: true });
  });
  afterAll(async () => {
    await desk?.close();
    await phone?.close();
  });

  test('shows the town account its name and role, and its 工作台 with its town\'s villages as home', async () => {
    await new LoginPage(desk.page).open();
    await new LoginPage(desk.page).logInAndWait(town.username, town.password);
    const home = new HomePage(desk.page);
    await home.waitForLoaded();
    expect(await home.heading().textContent()).toBe('工作台');
    expect(await desk.page.getByRole('main').textContent()).toContain(KEJING_TOWN.name);
    const banner = await new AppHeader(desk.page).banner().textContent();
    expect(banner).toContain('刘书记');
    expect(banner).toContain('退出所有设备');
  });

  test('退出所有设备 on one device ends the session on the other too', async () => {
    await new LoginPage(phone.page).open();
    await new LoginPage(phone.page).logInAndWait(town.username, town.password);

    await new AppHeader(phone.page).logout(true);
    expect(new URL(phone.page.url()).pathname).toBe('/login');

    await desk.page.goto('/orgs');
    await desk.page.waitForURL(/\/login\?next=%2Forgs/);
  });
});
