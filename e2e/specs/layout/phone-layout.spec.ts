import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { probeLayout } from '../../src/layout-probe.ts';
import { expectPhoneFriendly, outputDir } from '../../src/phone.ts';
import { openLoggedIn, PHONE } from '../../src/session.ts';
import { HomePage } from '../../pages/home-page.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { OrgPage } from '../../pages/org-page.ts';
import { OrgsTreePage } from '../../pages/orgs-tree-page.ts';
import { SearchPage } from '../../pages/search-page.ts';


describe('on a phone (390×844)', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    mkdirSync(outputDir, { recursive: true });
    s = await openBrowser({ baseURL: inject('baseURL'), viewport: { width: 390, height: 844 }, isMobile: true });
  });
  afterAll(async () => {
    await s?.close();
  });


  test('the login page fits, with 44 px targets and 14 px text', async () => {
    await new LoginPage(s.page).open();
    await expectPhoneFriendly(s.page, 'login');
  });

  test('the org tree fits, expanded two levels deep', async () => {
    await new LoginPage(s.page).logInAndWait('office', DEMO_PASSWORD);
    const tree = new OrgsTreePage(s.page);
    await tree.open();
    await tree.expand('示范区');
    await tree.expand('克井镇');
    await expectPhoneFriendly(s.page, 'tree');
  });

  test('the search page with results fits', async () => {
    const search = new SearchPage(s.page);
    await search.open();
    await search.search('kjz');
    await expectPhoneFriendly(s.page, 'search');
  });

  test('an org page (克井镇, from the search results) has no horizontal scroll', async () => {
    await new SearchPage(s.page).openResult('克井镇');
    const org = new OrgPage(s.page);
    await org.waitForLoaded();
    await expect.poll(() => org.childList().getByRole('link').count()).toBeGreaterThan(0);
    await s.page.screenshot({ path: path.join(outputDir, 'phone-org.png'), fullPage: true });
    const r = await probeLayout(s.page);
    expect(r.scrollWidth).toBeLessThanOrEqual(r.clientWidth);
    expect(r.smallText).toEqual([]);
  });
});

describe('the member\'s home on a phone, as it loads', () => {
  test('the page as a whole never moves while it loads (the boot spinner\'s margin once shifted <body>: 0.3, twice)', async () => {
    const s = await openLoggedIn('member', PHONE);
    try {
      // Recorded from the document's start, before any script of the app runs.
      await s.page.addInitScript(() => {
        // Shifts whose moving element is the page itself (html, body, #root): what the boot spinner's collapsed margin
        // caused. The home's cards nudging one another as they arrive in whatever order the load gives them is not.
        const w = window as unknown as { __pageShifts: number[] };
        w.__pageShifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as unknown as { value: number; sources?: { node?: Node | null }[] }[]) {
            const whole = (e.sources ?? []).some((x) => x.node === document.body || x.node === document.documentElement || (x.node as Element | null)?.id === 'root');
            if (whole) w.__pageShifts.push(e.value);
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      // A phone on a weak signal (Lighthouse's slow 4G and 4× CPU): what the first paint shows stays long enough to
      // be painted, as it is for the member — on this machine unthrottled the app replaced it before a frame.
      const cdp = await s.context.newCDPSession(s.page);
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      const home = new HomePage(s.page);
      await s.page.goto('/');
      await home.waitForLoaded();
      await s.page.waitForLoadState('networkidle');
      expect(await s.page.evaluate(() => (window as unknown as { __pageShifts: number[] }).__pageShifts)).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);
});
