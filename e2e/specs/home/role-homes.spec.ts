import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_TOWN, KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { registerLinkedToMember } from '../../src/linked-fixtures.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { AppHeader } from '../../pages/app-header.ts';
import { CoveragePage } from '../../pages/coverage-page.ts';
import { HomePage } from '../../pages/home-page.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { OrgPage } from '../../pages/org-page.ts';

const run = Math.floor(Math.random() * 1e6);

/** As the secretary, through the API: a household nobody is linked to yet, in their village (so 克井镇 has one too). */
async function registerUnlinked(s: BrowserSession): Promise<void> {
  const birth = randomBirthDate();
  await s.page.evaluate(async ({ village, address, birth, idNumber }) => {
    const me = await fetch('/api/v1/auth/me').then((r) => r.json());
    const res = await fetch('/api/v1/households', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken },
      body: JSON.stringify({ orgCode: village, address, residents: [{ name: '工作台户主', sex: 'M', birthDate: birth, idNumber, relation: '户主' }] }),
    });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
  }, { village: KEJING_VILLAGES[0]!, address: `工作台路${run}号`, birth, idNumber: syntheticIdNumber(birth, 'M', 1 + (run % 499) * 2) });
}

describe('a village secretary', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('secretary');
    await registerUnlinked(s);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('lands on 工作台 (highlighted in the menu), sees the unlinked card and follows it to the coverage page', async () => {
    const home = new HomePage(s.page);
    await home.open();
    expect(await home.heading().textContent()).toBe('工作台');
    expect(await home.currentNavEntry().textContent()).toBe('工作台');
    const card = home.card('未联系的住户和企业商户');
    await card.getByRole('link', { name: /去分配联户党员/ }).waitFor();
    await home.card('联户数不合适的党员').waitFor();
    await home.card('未开通账号的党员').waitFor();
    await home.card('导入任务').waitFor();

    await card.getByRole('link', { name: /去分配联户党员/ }).click();
    const cov = new CoveragePage(s.page);
    await cov.heading().waitFor();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${KEJING_VILLAGES[0]}/coverage`);
  });
});

describe('a member on a phone', () => {
  let s: BrowserSession;
  let householdId: string;
  beforeAll(async () => {
    ({ householdId } = await registerLinkedToMember());
    s = await openLoggedIn('member', PHONE);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('lands on 我的联户 with the households linked to them, fits the phone, and opens one', async () => {
    const home = new HomePage(s.page);
    await home.waitForLoaded();
    expect(new URL(s.page.url()).pathname).toBe('/');
    expect(await home.heading().textContent()).toBe('我的联户');
    const card = home.card('我联系的住户和企业商户');
    const link = card.locator(`a[href="/households/${householdId}"]`);
    await link.waitFor();
    await expectPhoneFriendly(s.page, 'home-member');

    // The navigation sits behind 菜单: 我的联户 highlighted, and 我的账户 with the account's actions.
    const warnings: string[] = [];
    s.page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') warnings.push(m.text()); });
    await new AppHeader(s.page).menuButton().click();
    await expect.poll(() => home.currentNavEntry().textContent()).toBe('我的联户');
    await s.page.getByRole('dialog').getByRole('link', { name: '我的账户' }).waitFor();
    await s.page.keyboard.press('Escape');
    expect(warnings).toEqual([]);

    await link.click();
    const household = new HouseholdPage(s.page);
    await household.waitForLoaded();
    expect(new URL(s.page.url()).pathname).toBe(`/households/${householdId}`);
  });
});

describe('the project office', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    const sec = await openLoggedIn('secretary');
    try {
      await registerUnlinked(sec);
    } finally {
      await sec.close();
    }
    s = await openLoggedIn('office');
  });
  afterAll(async () => {
    await s?.close();
  });

  test('sees the towns worst first (a town with unlinked households before any fully covered one) and opens one', async () => {
    const home = new HomePage(s.page);
    await home.open();
    const rows = home.breakdownRows();
    await rows.first().waitFor();
    const texts = await rows.allTextContents();
    // A town with nothing registered (未登记) has nothing unlinked: it ranks with the fully covered ones.
    const covered = texts.map((t) => (t.includes('未登记') ? 100 : Number(/覆盖 ([\d.]+)%/.exec(t)?.[1])));
    expect(covered.every((c) => Number.isFinite(c))).toBe(true);
    expect(covered).toEqual([...covered].sort((a, b) => a - b));
    const kejing = texts.findIndex((t) => t.startsWith(KEJING_TOWN.name));
    expect(kejing).toBeGreaterThanOrEqual(0);
    expect(covered[kejing]).toBeLessThan(100);
    const full = covered.indexOf(100);
    if (full >= 0) expect(kejing).toBeLessThan(full);

    await rows.nth(kejing).click();
    const org = new OrgPage(s.page);
    await org.waitForLoaded();
    expect(org.code()).toBe(KEJING_TOWN.code);
  });
});
