import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD, KEJING_TOWN } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { OrgPage } from '../../pages/org-page.ts';
import { SearchPage } from '../../pages/search-page.ts';

describe('the project office', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ baseURL: inject('baseURL') });
    await new LoginPage(s.page).open();
    await new LoginPage(s.page).logInAndWait('office', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('finds 克井镇 by its pinyin initials "kjz" and opens its page', async () => {
    const search = new SearchPage(s.page);
    await search.open();
    await search.search('kjz');
    expect(await search.result(KEJING_TOWN.name).count()).toBeGreaterThan(0);

    await search.openResult(KEJING_TOWN.name);
    const org = new OrgPage(s.page);
    await org.waitForLoaded();
    expect(org.code()).toBe(KEJING_TOWN.code);
    expect(await org.heading().textContent()).toContain(KEJING_TOWN.name);
    expect(await org.statistic('村（社区）').textContent()).toMatch(/\d/);
    // Its villages are listed and link to their pages.
    await expect.poll(() => org.childList().getByRole('link').count()).toBeGreaterThan(0);
  });

  test('a search with no match says so', async () => {
    const search = new SearchPage(s.page);
    await search.open();
    await search.search('zzzzqqqxxx');
    expect(await search.empty().isVisible()).toBe(true);
  });
});
