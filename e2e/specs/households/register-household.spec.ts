import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_TOWN, KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { HouseholdNewPage } from '../../pages/household-new-page.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { HouseholdsPage } from '../../pages/households-page.ts';
import { OrgPage } from '../../pages/org-page.ts';


// Random per run, so the spec also passes against a long-running server (E2E_BASE_URL).
const run = Math.floor(Math.random() * 400);
const head = { name: '测试户主', idNumber: syntheticIdNumber(randomBirthDate(), 'M', 2 * run + 1), phone: '13800138000' };
const spouse = { name: '测试配偶', relation: '配偶', idNumber: syntheticIdNumber(randomBirthDate(), 'F', 2 * run + 2) };
const child = { name: '测试子女', relation: '子', idNumber: syntheticIdNumber('2010-05-17', 'M', 2 * run + 401) };
const address = `连心测试路${run}号`;

describe('a village secretary registers a household', () => {
  let s: BrowserSession;
  let village = '';
  beforeAll(async () => {
    s = await openLoggedIn('secretary');
  });
  afterAll(async () => {
    await s?.close();
  });

  test('opens the household list of their village from the village page', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    village = org.code();
    expect(KEJING_VILLAGES).toContain(village);
    await org.householdsLink().click();
    const list = new HouseholdsPage(s.page);
    await list.waitForLoaded();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/households`);
    expect(await list.heading().textContent()).toMatch(/户籍/);
    expect(await list.count().textContent()).toMatch(/\d+ 户/);
    expect(await list.newButton().isVisible()).toBe(true);
  });

  test('registers a household with two residents and sees it with the ID numbers masked', async () => {
    await new HouseholdsPage(s.page).newButton().click();
    const form = new HouseholdNewPage(s.page);
    await form.heading().waitFor();
    // The first row is the head of the household by default.
    expect(await form.resident(0).getByText('户主', { exact: true }).first().isVisible()).toBe(true);
    await form.fill({ address, tags: ['低保'], residents: [head, spouse] });
    const status = await form.save();
    expect(status, `form messages: ${(await form.fieldErrors()).join('; ')}`).toBe(201);

    const h = new HouseholdPage(s.page);
    await h.waitForLoaded();
    expect(await h.heading().textContent()).toContain(head.name);
    const members = await h.residents().textContent();
    expect(members).toContain(head.name);
    expect(members).toContain(spouse.name);
    expect(members).not.toContain(head.idNumber);
    const masked = await h.maskedIdNumbers().allTextContents();
    expect(masked).toHaveLength(2);
    for (const m of masked) expect(m).toContain('***');
    expect(await s.page.getByText(address).first().isVisible()).toBe(true);
  });

  test('reveals one ID number with a reason; the full value shows in the dialog only', async () => {
    const h = new HouseholdPage(s.page);
    await h.openReveal(head.name);
    expect(await h.revealDialog().textContent()).toContain('此操作将被记录');
    // No reason, no reveal.
    await h.revealConfirm().click();
    await h.revealDialog().getByText('请填写查看原因').waitFor();
    expect(await h.revealedValue().count()).toBe(0);
    await h.confirmReveal('核对低保申请材料');
    expect(await h.revealedValue().textContent()).toContain(head.idNumber);
    await h.closeReveal();
    expect(await h.residents().textContent()).not.toContain(head.idNumber);
  });

  test('adds a tag, adds a child, then records the child as moved away (迁出): the child is no longer listed', async () => {
    const h = new HouseholdPage(s.page);
    await h.addTags(['独居老人']);
    expect(await h.tags().textContent()).toMatch(/独居老人/);
    await h.addResident(child);
    expect(await h.residents().textContent()).toContain(child.name);
    expect(await h.leave(child.name)).toBe(200);
    await expect.poll(() => h.residents().textContent()).not.toContain(child.name);
    expect(await h.residents().textContent()).toContain(head.name);
  });

  test('cannot register the same ID number twice: the form says it is already registered', async () => {
    const form = new HouseholdNewPage(s.page);
    await form.open(village);
    await form.fill({ address: `${address}之二`, residents: [{ name: '重复登记', idNumber: head.idNumber }] });
    expect(await form.save()).toBe(409);
    expect(await form.error().textContent()).toMatch(/已(经)?登记/);
    expect(await form.fieldError(form.resident(0)).first().textContent()).toMatch(/已(经)?登记/);
    expect(new URL(s.page.url()).pathname).toBe('/households/new');
  });

  test('a wrong check digit is caught in the form before anything is sent', async () => {
    const form = new HouseholdNewPage(s.page);
    const wrong = head.idNumber.slice(0, 17) + (head.idNumber[17] === '0' ? '1' : '0');
    await form.fillResident(0, { name: '校验测试', idNumber: wrong });
    await form.submit().click();
    await form.fieldError(form.resident(0)).filter({ hasText: '校验位' }).waitFor();
  });

  test('finds the new household by name in the list', async () => {
    const list = new HouseholdsPage(s.page);
    await list.open(village);
    await list.searchFor(head.name);
    // The result list refreshes after the URL changes: wait for the row rather than counting a stale page.
    await list.row(address).first().waitFor();
    await expect.poll(() => list.row(address).count(), { timeout: 10_000 }).toBe(1);
  });

  test('filters by 联户情况: the new household is among 未联系, not among 已联系', async () => {
    const list = new HouseholdsPage(s.page);
    await list.filterBy('按联户情况筛选', '未联系');
    expect(new URL(s.page.url()).searchParams.get('unlinked')).toBe('true');
    await expect.poll(() => list.row(address).count(), { timeout: 10_000 }).toBe(1);
    await list.filterBy('按联户情况筛选', '已联系');
    await expect.poll(() => list.row(address).count(), { timeout: 10_000 }).toBe(0);
  });

  test('注销住户 (全户迁出): back on the list it says so, the household is gone, and its ID numbers can be registered again', async () => {
    const list = new HouseholdsPage(s.page);
    await list.open(village);
    await list.searchFor(head.name);
    await list.openRow(address);
    const page = new HouseholdPage(s.page);
    await page.waitForLoaded();
    await page.remove('全户迁出', '迁往郑州');
    await list.removedNotice().waitFor();
    expect(await list.removedNotice().textContent()).toContain(`已注销 ${head.name}户`);
    await list.searchFor(head.name);
    await expect.poll(() => list.row(address).count(), { timeout: 10_000 }).toBe(0);
    const form = new HouseholdNewPage(s.page);
    await form.open(village);
    await form.fill({ address: `${address}（迁回）`, residents: [{ name: head.name, idNumber: head.idNumber }] });
    expect(await form.save()).toBe(201);
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

  test('sees the households of all its villages, and picks the village when registering', async () => {
    const list = new HouseholdsPage(s.page);
    await list.open(KEJING_TOWN.code);
    expect(await list.heading().textContent()).toContain('户籍');
    await list.newButton().click();
    const form = new HouseholdNewPage(s.page);
    await form.heading().waitFor();
    expect(await form.village().isVisible()).toBe(true);
  });
});

describe('the household pages on a phone (390×844)', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
  });
  afterAll(async () => {
    await s?.close();
  });


  test('the household list fits, with 44 px targets and 14 px text', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    const list = new HouseholdsPage(s.page);
    await list.open(org.code());
    await list.rows().first().waitFor();
    await expectPhoneFriendly(s.page, 'households');
  });

  test('a household page fits, residents shown as cards', async () => {
    const list = new HouseholdsPage(s.page);
    await list.rows().first().click();
    const h = new HouseholdPage(s.page);
    await h.waitForLoaded();
    await h.maskedIdNumbers().first().waitFor();
    expect(await h.residentTable().count()).toBe(0);
    expect(await h.residentCards().count()).toBeGreaterThan(0);
    await expectPhoneFriendly(s.page, 'household');
  });

  test('the registration form fits', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    await new HouseholdNewPage(s.page).open(org.code());
    await expectPhoneFriendly(s.page, 'household-new');
  });
});
