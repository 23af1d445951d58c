import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD, KEJING_TOWN, KEJING_VILLAGES } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { openLoggedIn } from '../../src/session.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { OrgPage } from '../../pages/org-page.ts';
import { SearchPage } from '../../pages/search-page.ts';

const run = Math.floor(Math.random() * 1e6);
/** A village name of this run, so reruns against one server find only their own households. */
const place = `检索${'甲乙丙丁戊己庚辛'[run % 8]}${'东南西北'[run % 4]}${run}村`;
const head = '聂刚宁';

/** Registers a household through the API as `username` (the secretary's village is KEJING_VILLAGES[0]). */
async function register(username: string, village: string, address: string, name: string, seq: number) {
  const s = await openLoggedIn(username);
  try {
    await s.page.goto('/');
    const birth = randomBirthDate();
    await s.page.evaluate(async ({ village, address, name, birth, idNumber }) => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json());
      const res = await fetch('/api/v1/households', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken },
        body: JSON.stringify({ orgCode: village, address, residents: [{ name, sex: 'M', birthDate: birth, idNumber, relation: '户主' }] }),
      });
      if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
    }, { village, address, name, birth, idNumber: syntheticIdNumber(birth, 'M', seq) });
  } finally {
    await s.close();
  }
}

// The same head in the secretary's village and in the neighbouring one.
beforeAll(async () => {
  await register('secretary', KEJING_VILLAGES[0]!, `${place} 1组 10号`, head, 1 + (run % 300) * 2);
  await register('town', KEJING_VILLAGES[1]!, `${place} 3组 7号`, head, 1 + (run % 300) * 2 + 2);
});

describe('the header\'s search', () => {
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
    await expect.poll(() => search.groupResult('组织', KEJING_TOWN.name).count()).toBeGreaterThan(0);

    await search.openResult(KEJING_TOWN.name);
    const org = new OrgPage(s.page);
    await org.waitForLoaded();
    expect(org.code()).toBe(KEJING_TOWN.code);
    expect(await org.heading().textContent()).toContain(KEJING_TOWN.name);
    expect(await org.statistic('村（社区）').textContent()).toMatch(/\d/);
    await expect.poll(() => org.childList().getByRole('link').count()).toBeGreaterThan(0);
  });

  test('"ngn" finds the households headed by 聂刚宁 among 住户, and one opens', async () => {
    const search = new SearchPage(s.page);
    await search.open();
    await search.search('ngn');
    const found = search.group('住户').getByRole('link', { name: new RegExp(`${head}户.*${place}`) });
    await expect.poll(() => found.count()).toBe(2);
    await found.first().click();
    await s.page.waitForURL(/\/households\//);
    const household = new HouseholdPage(s.page);
    await household.heading().waitFor();
    expect(await household.heading().textContent()).toContain(head);
  });

  test('"1组10号" finds the household at "1组 10号", and 三组 finds the one at 3组', async () => {
    const search = new SearchPage(s.page);
    await search.open();
    await search.search(`${place}1组10号`);
    await expect.poll(() => search.groupResult('住户', `${place} 1组 10号`).count()).toBe(1);
    await search.search(`${place}三组`);
    await expect.poll(() => search.groupResult('住户', `${place} 3组 7号`).count()).toBe(1);
    await expect.poll(() => search.groupResult('住户', `${place} 1组 10号`).count()).toBe(0);
  });

  test('a search with no match says so', async () => {
    const search = new SearchPage(s.page);
    await search.open();
    await search.search('zzzzqqqxxx');
    expect(await search.empty().isVisible()).toBe(true);
  });
});

describe('a village secretary\'s search', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('secretary');
  });
  afterAll(async () => {
    await s?.close();
  });

  test('finds the 聂刚宁户 of their village and not the one of the neighbouring village', async () => {
    const search = new SearchPage(s.page);
    await search.open();
    await search.search(place);
    await expect.poll(() => search.groupResult('住户', `${place} 1组 10号`).count()).toBe(1);
    await expect.poll(() => search.groupResult('住户', `${place} 3组 7号`).count()).toBe(0);
  });
});
