import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator } from 'playwright-core';
import type { BrowserSession } from '../../src/browser.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { TodayPage } from '../../pages/today-page.ts';
import { VisitNewPage } from '../../pages/visit-new-page.ts';
import { MEMBER, TINY_PNG, registerHouseholdForMember, visitsOf, type VisitHousehold } from './fixtures.ts';

/** A member on the phone: 今天 → a saved visit in a few taps, then a visit by phone with a photo and an item, corrected. */
describe('a member records visits on the phone from 今天', () => {
  let s: BrowserSession;
  let h: VisitHousehold;
  beforeAll(async () => {
    h = await registerHouseholdForMember();
    s = await openLoggedIn('member', PHONE);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  test('from 今天 to a saved in-person visit with no notes takes at most 4 taps (here 2: 记录走访, 保存)', async () => {
    const today = new TodayPage(s.page);
    await today.openHome();
    const name = `${h.head}户`;
    // The new household has never been visited: it waits on 今天 with its son away, never reached.
    const row = today.row(name);
    await row.waitFor();
    expect(await row.textContent()).toContain('尚未走访');
    expect(await row.getByTestId('today-away').textContent()).toContain(`${h.away}（省外 广东东莞，尚未联系）`);
    await expectPhoneFriendly(s.page, 'visits-today');

    let taps = 0;
    const tap = async (l: Locator) => {
      taps += 1;
      await l.click();
    };
    await tap(today.recordButton(name));
    const form = new VisitNewPage(s.page);
    await form.waitForLoaded();
    await expectPhoneFriendly(s.page, 'visits-new');
    await tap(form.saveButton());
    await today.savedNote().waitFor();
    expect(await today.savedNote().textContent()).toContain(`${name}的走访已保存`);
    expect(taps).toBeLessThanOrEqual(4);

    // Saved once, with the defaults: 入户, the resident at home (not the son away), counted for the member, not 代录.
    const visits = await visitsOf(s.page, h.id);
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ channel: 'in_person', proxy: false, personName: MEMBER, notes: '' });
    expect(visits[0]!.residents.map((r) => r.name)).toEqual([h.head]);
    // 今天 now shows the visit as the last one.
    await expect.poll(async () => (await today.row(name).textContent()) ?? '').toMatch(/上次走访：.+入户（今天）/);
  });

  test('a call to the son away, with a photo and an urgent item, is listed on the household; the member corrects its notes and replaces its photo', async () => {
    const household = new HouseholdPage(s.page);
    await household.open(h.id);
    await household.recordVisitButton().click();
    const form = new VisitNewPage(s.page);
    await form.waitForLoaded();
    await form.channel('电话').click();
    await form.resident(h.head).uncheck();
    await form.resident(h.away).check();
    await form.notes().fill('电话联系，在东莞务工，一切安好');
    await form.photoInput().setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: TINY_PNG });
    await form.photo(1).waitFor();
    await form.addItem(1, { category: '就业', description: '想回乡找工作，问有没有技能培训', urgent: true });
    await expectPhoneFriendly(s.page, 'visits-new-filled');
    await form.saveButton().click();

    // Back on the household: the saved note, two visits (the first test's and the call — both recorded "now", to the
    // minute, so their order is a tie: the call is found by its channel), the item with its status.
    // Saving sends the visit, then the photo (re-encoded by the server): on a CI machine running four browser specs
    // at once that took over 15 s once.
    await household.page.getByRole('status').filter({ hasText: '的走访已保存' }).waitFor({ timeout: 45_000 });
    await expect.poll(() => household.visitRows().count()).toBe(2);
    const call = household.visitRows().filter({ hasText: '电话' });
    await call.waitFor();
    expect(await call.textContent()).toContain(`参与：${h.away}`);
    await call.getByRole('img', { name: '走访照片 1' }).waitFor();
    await expect.poll(() => household.itemRows().count()).toBe(1);
    expect(await household.itemRows().first().textContent()).toMatch(/待办理.*紧急.*就业.*想回乡找工作/);
    await expectPhoneFriendly(s.page, 'visits-household');

    const saved = await visitsOf(s.page, h.id);
    expect(saved).toHaveLength(2);
    const phone = saved.find((v) => v.channel === 'phone')!;
    expect(phone.photos).toHaveLength(1);
    expect(phone.items).toEqual([expect.objectContaining({ categoryName: '就业', urgency: 'urgent' })]);

    // 更正 within 48 hours: the notes, and the photo replaced by two others.
    await call.getByRole('button', { name: /^更正 .+ 的走访$/ }).click();
    const drawer = household.correctDrawer();
    await drawer.getByLabel('情况记录').fill('电话联系，在东莞务工，春节回家');
    await drawer.getByRole('button', { name: '删除已存照片 1' }).click();
    await drawer.getByLabel('添加照片').setInputFiles(['a', 'b'].map((n) => ({ name: `${n}.png`, mimeType: 'image/png', buffer: TINY_PNG })));
    await drawer.getByRole('img', { name: '照片 2' }).waitFor();
    await drawer.getByRole('button', { name: '保存更正' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await household.visitRows().filter({ hasText: '电话' }).textContent()) ?? '').toContain('春节回家');
    await expect.poll(async () => (await visitsOf(s.page, h.id)).find((v) => v.channel === 'phone')!.photos.length).toBe(2);
    await call.getByRole('img', { name: '走访照片 2' }).waitFor();

    // 今天: the son counts as reached today, by phone.
    const today = new TodayPage(s.page);
    await today.openHome();
    await expect.poll(async () => (await today.row(`${h.head}户`).getByTestId('today-away').textContent()) ?? '')
      .toContain(`${h.away}（省外 广东东莞，上次联系 今天（电话））`);
  }, 120_000);
});
