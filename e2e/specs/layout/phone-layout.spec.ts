import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { probeLayout } from '../../src/layout-probe.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { OrgPage } from '../../pages/org-page.ts';
import { OrgsTreePage } from '../../pages/orgs-tree-page.ts';
import { SearchPage } from '../../pages/search-page.ts';

const output = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../output');

describe('on a phone (390×844)', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    mkdirSync(output, { recursive: true });
    s = await openBrowser({ baseURL: inject('baseURL'), viewport: { width: 390, height: 844 }, isMobile: true });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function expectPhoneFriendly(name: string) {
    await s.page.screenshot({ path: path.join(output, `phone-${name}.png`), fullPage: true });
    const r = await probeLayout(s.page);
    expect(r.targetsChecked, `${name}: tap targets found`).toBeGreaterThan(0);
    expect(r.scrollWidth, `${name}: horizontal scroll`).toBeLessThanOrEqual(r.clientWidth);
    expect(r.smallTargets, `${name}: tap targets under 44 px`).toEqual([]);
    expect(r.smallText, `${name}: text under 14 px`).toEqual([]);
  }

  test('the login page fits, with 44 px targets and 14 px text', async () => {
    await new LoginPage(s.page).open();
    await expectPhoneFriendly('login');
  });

  test('the org tree fits, expanded two levels deep', async () => {
    await new LoginPage(s.page).logInAndWait('office', DEMO_PASSWORD);
    const tree = new OrgsTreePage(s.page);
    await tree.open();
    await tree.expand('示范区');
    await tree.expand('克井镇');
    await expectPhoneFriendly('tree');
  });

  test('the search page with results fits', async () => {
    const search = new SearchPage(s.page);
    await search.open();
    await search.search('kjz');
    await expectPhoneFriendly('search');
  });

  test('an org page (克井镇, from the search results) has no horizontal scroll', async () => {
    await new SearchPage(s.page).openResult('克井镇');
    const org = new OrgPage(s.page);
    await org.waitForLoaded();
    await expect.poll(() => org.childList().getByRole('link').count()).toBeGreaterThan(0);
    await s.page.screenshot({ path: path.join(output, 'phone-org.png'), fullPage: true });
    const r = await probeLayout(s.page);
    expect(r.scrollWidth).toBeLessThanOrEqual(r.clientWidth);
    expect(r.smallText).toEqual([]);
  });
});
