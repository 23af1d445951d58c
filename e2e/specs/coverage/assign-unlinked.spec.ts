import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_TOWN, KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { CoveragePage } from '../../pages/coverage-page.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { OrgPage } from '../../pages/org-page.ts';

/** The seed's two members of the secretary's village. */
const MEMBERS = ['王建国', '李秀英'];

// Random per run (names and ID numbers), so the spec also passes against a long-running server.
const chars = '春夏秋冬梅兰竹菊松柏山水云霞明清和顺安康';
const pick = () => chars[Math.floor(Math.random() * chars.length)]!;
const heads = [0, 1, 2, 3].map((i) => ({ name: `覆盖${pick()}${pick()}${'甲乙丙丁'[i]}`, idNumber: syntheticIdNumber(randomBirthDate(), 'M', 901 + 2 * i) }));
const householdName = (head: { name: string }) => `${head.name}户`;

/** Registers a household through the API from the page, with the session's CSRF token (as the web app does). */
async function registerHousehold(page: Page, orgCode: string, head: { name: string; idNumber: string }): Promise<string> {
  return page.evaluate(
    async ({ orgCode, head }) => {
      const me = await fetch('/api/v1/auth/me', { headers: { accept: 'application/json' } }).then((r) => r.json());
      const y = head.idNumber.slice(6, 10), m = head.idNumber.slice(10, 12), d = head.idNumber.slice(12, 14);
      const res = await fetch('/api/v1/households', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken },
        body: JSON.stringify({
          orgCode,
          address: `联户测试路${head.name}号`,
          residents: [{ name: head.name, sex: 'M', birthDate: `${y}-${m}-${d}`, idNumber: head.idNumber, relation: '户主' }],
        }),
      });
      const body = await res.json();
      if (res.status !== 201) throw new Error(`register ${head.name}: ${res.status} ${JSON.stringify(body)}`);
      return body.data.id as string;
    },
    { orgCode, head },
  );
}

describe('a village secretary links every household to a party member (不落一户)', () => {
  let s: BrowserSession;
  let village = '';
  const ids: string[] = [];
  let assignedTo = '';

  beforeAll(async () => {
    s = await openLoggedIn('secretary');
  });
  afterAll(async () => {
    await s?.close();
  });

  test('registers a household and finds it among the unlinked on the coverage page (from the village page)', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    village = org.code();
    expect(KEJING_VILLAGES).toContain(village);
    ids.push(await registerHousehold(s.page, village, heads[0]!));

    await org.coverageLink().click();
    const cov = new CoveragePage(s.page);
    await cov.waitForLoaded();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/coverage`);
    expect(await cov.heading().textContent()).toContain('联户覆盖');
    expect(await cov.asOf().textContent()).toMatch(/数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await cov.unlinkedRow(householdName(heads[0]!)).waitFor();
  });

  test('assigns it to a member with one click: the row leaves, 未联系 drops and the rate changes', async () => {
    const cov = new CoveragePage(s.page);
    const before = await cov.numbers();
    expect(before.unlinked).toBeGreaterThan(0);
    assignedTo = MEMBERS[1]!;
    expect(await cov.assign(householdName(heads[0]!), assignedTo)).toBe(201);
    // The numbers refetch after the row leaves: wait for the new figures rather than reading stale ones.
    await expect.poll(async () => (await cov.numbers()).linked).toBe(before.linked + 1);
    const after = await cov.numbers();
    // Another spec may register a household in this village meanwhile: count it out.
    const registeredMeanwhile = after.linked + after.unlinked - (before.linked + before.unlinked);
    expect(registeredMeanwhile).toBeGreaterThanOrEqual(0);
    expect(after.unlinked).toBe(before.unlinked - 1 + registeredMeanwhile);
    expect(after.rate).not.toBe(before.rate);
  });

  test('says whom it went to (已分配给 XX) and 撤销 puts the row back among 未联系, the numbers with it', async () => {
    const cov = new CoveragePage(s.page);
    ids.push(await registerHousehold(s.page, village, heads[3]!));
    await cov.open(village);
    const name = householdName(heads[3]!);
    await cov.unlinkedRow(name).waitFor();
    expect(await cov.assign(name, MEMBERS[0]!)).toBe(201);
    await cov.assignedNotice().filter({ hasText: `${name} 已分配给 ${MEMBERS[0]}` }).waitFor();
    const assigned = await cov.numbers();
    expect(await cov.undo(name)).toBe(200);
    await cov.assignedNotice().filter({ hasText: `已撤销：${name} 回到未联系` }).waitFor();
    await expect.poll(async () => (await cov.numbers()).linked).toBe(assigned.linked - 1);
    // History stays honest: the household page shows the undone link as ended, not gone.
    const h = new HouseholdPage(s.page);
    await h.open(ids[ids.length - 1]!);
    await expect.poll(() => h.linkHistory().count()).toBe(1);
    expect((await h.linkHistory().allTextContents())[0]).toContain('分配已撤销');
  });

  // The village is shared with specs running in parallel (imports, registrations, the role crawl): 采纳 only this
  // spec's own proposals, so it never links a household another spec is about to assign or check as 未联系.
  test('registers two more and links them with 智能分配: both leave 未联系, and the linked count grows by two', async () => {
    ids.push(await registerHousehold(s.page, village, heads[1]!));
    ids.push(await registerHousehold(s.page, village, heads[2]!));
    const cov = new CoveragePage(s.page);
    await cov.open(village);
    await cov.unlinkedRow(householdName(heads[2]!)).waitFor();
    const before = (await cov.numbers()).linked;

    await cov.suggest();
    const proposals = await cov.suggestions().textContent();
    expect(proposals).toContain(householdName(heads[1]!));
    expect(proposals).toContain(householdName(heads[2]!));
    expect(proposals).toMatch(/同村|同网格/);
    // All selected by default; keep only ours.
    const ours = [householdName(heads[1]!), householdName(heads[2]!)];
    const boxes = cov.suggestionBoxes();
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    for (const b of await boxes.all()) {
      expect(await b.isChecked()).toBe(true);
      const label = (await b.locator('xpath=ancestor::label[1]').textContent()) ?? '';
      if (!ours.some((name) => label.includes(`${name} →`))) await b.uncheck();
    }
    await expect.poll(() => cov.acceptButton().textContent()).toMatch(/采纳所选（2 条）/);
    expect(await cov.accept()).toBe(201);
    expect(await cov.accepted().textContent()).toMatch(/已采纳 2 条/);

    for (const name of ours) await expect.poll(() => cov.unlinkedRow(name).count()).toBe(0);
    await expect.poll(async () => (await cov.numbers()).linked).toBeGreaterThanOrEqual(before + 2);
  });

  test('on the household page, 更换联户党员 ends the old link and shows it in the history', async () => {
    const h = new HouseholdPage(s.page);
    await h.open(ids[0]!);
    await h.currentLink().filter({ hasText: assignedTo }).waitFor();
    const other = MEMBERS.find((m) => m !== assignedTo)!;
    expect(await h.changeLink(other, '调动')).toBe(201);
    await expect.poll(() => h.linkHistory().count()).toBe(2);
    const history = await h.linkHistory().allTextContents();
    expect(history[0]).toContain(other);
    expect(history[0]).toContain('联系中');
    expect(history[1]).toContain(assignedTo);
    expect(history[1]).toContain('调动');
    expect(history[1]).toMatch(/\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}/);
  });
});

describe('a town account', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('town');
  });
  afterAll(async () => {
    await s?.close();
  });

  test('sees its villages worst first, each linking to the village coverage page', async () => {
    const cov = new CoveragePage(s.page);
    await cov.open(KEJING_TOWN.code);
    expect(await cov.heading().textContent()).toContain(KEJING_TOWN.name);
    const links = cov.childList().getByRole('link');
    await links.first().waitFor();
    const rates = await cov.childList().locator('[data-rate]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-rate'))));
    expect(rates.length).toBeGreaterThanOrEqual(KEJING_VILLAGES.length);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    await links.first().click();
    await s.page.waitForURL(/\/orgs\/\d{12}\/coverage$/);
    await cov.waitForLoaded();
    await cov.unlinkedList().waitFor();
  });
});

describe('the coverage page on a phone (390×844)', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('fits, with 44 px targets and 14 px text', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    // One unlinked household, so the page shows a row with its member picker and the 智能分配 proposals.
    const head = { name: `手机${pick()}${pick()}`, idNumber: syntheticIdNumber(randomBirthDate(), 'M', 951) };
    await registerHousehold(s.page, org.code(), head);
    const cov = new CoveragePage(s.page);
    await cov.open(org.code());
    await cov.unlinkedRow(householdName(head)).getByRole('button', { name: /确认分配/ }).waitFor();
    await cov.suggest();
    await cov.suggestionBoxes().first().waitFor();
    await s.page.evaluate(() => window.scrollTo(0, 0));
    await expectPhoneFriendly(s.page, 'coverage');
  });
});
