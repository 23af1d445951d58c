import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD, KEJING_TOWN, KEJING_VILLAGES } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { AppHeader } from '../../pages/app-header.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { OrgPage } from '../../pages/org-page.ts';

describe('a branch secretary', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ baseURL: inject('baseURL') });
  });
  afterAll(async () => {
    await s?.close();
  });

  test('is sent to /login when not logged in, comes back where they were going, and opens their own village page', async () => {
    const login = new LoginPage(s.page);
    await s.page.goto('/orgs');
    await s.page.waitForURL(/\/login\?next=/);
    await login.logInAndWait('secretary', DEMO_PASSWORD);
    // Back where they were going.
    expect(new URL(s.page.url()).pathname).toBe('/orgs');

    const org = new OrgPage(s.page);
    await org.open(KEJING_VILLAGES[0]!);
    expect(org.code()).toBe(KEJING_VILLAGES[0]);
    await expect.poll(() => org.heading().textContent()).toMatch(/村/);
    expect(await org.breadcrumb().textContent()).toBeTruthy();
    expect(await new AppHeader(s.page).demoNotice().first().isVisible()).toBe(true);
  });

  test('cannot open a neighbouring village or the town by URL: both show 未找到或无权查看', async () => {
    const org = new OrgPage(s.page);
    await org.open(KEJING_VILLAGES[0]!);
    const own = org.code();
    const neighbour = KEJING_VILLAGES.find((c) => c !== own)!;

    await org.open(neighbour);
    expect(await org.notFound().isVisible()).toBe(true);
    expect(await org.heading().count()).toBe(0);

    await org.open(KEJING_TOWN.code);
    expect(await org.notFound().isVisible()).toBe(true);
  });

  test('a wrong password shows the server message in Chinese and stays on /login', async () => {
    await new AppHeader(s.page).logout();
    const login = new LoginPage(s.page);
    await login.logIn('secretary', 'definitely-wrong-password');
    await login.error().waitFor();
    expect(await login.error().textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(new URL(s.page.url()).pathname).toBe('/login');
  });
});
