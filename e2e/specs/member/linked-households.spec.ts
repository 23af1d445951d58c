import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { runName } from '../../src/names.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { HouseholdsPage } from '../../pages/households-page.ts';
import { BusinessListPage } from '../../pages/business-list-page.ts';
import { BusinessPage } from '../../pages/business-page.ts';
import { OrgPage } from '../../pages/org-page.ts';

/** The demo member account's person (server/src/seed/accounts.ts), in the secretary's village. */
const MEMBER = '李秀英';
const run = Math.floor(Math.random() * 1e6);
const head = { name: runName('走访', run), birth: randomBirthDate(), phone: `139${String(run).padStart(8, '0')}` };
const shop = { name: `走访测试便利店${run}`, phone: `137${String(run).padStart(8, '0')}` };

/** A party member in the field (phone): the households linked to them, and a call to one of them. */
describe('a member on the phone sees the households linked to them and calls one', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    // The secretary registers a household with the head's phone and links it to the member (as the app would).
    const sec = await openLoggedIn('secretary');
    try {
      await sec.page.goto('/');
      await sec.page.evaluate(async ({ village, member, head, shop, idNumber }) => {
        const me = await fetch('/api/v1/auth/me').then((r) => r.json());
        const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken };
        const hh = await fetch('/api/v1/households', {
          method: 'POST', headers,
          body: JSON.stringify({ orgCode: village, address: `走访测试路${head.name}号`, residents: [{ name: head.name, sex: 'M', birthDate: head.birth, idNumber, phone: head.phone, relation: '户主' }] }),
        });
        if (hh.status !== 201) throw new Error(`register: ${hh.status} ${await hh.text()}`);
        const members = await fetch(`/api/v1/coverage/members?org=${village}&q=${encodeURIComponent(member)}`).then((r) => r.json());
        const person = members.data.find((m: { name: string }) => m.name === member);
        if (!person) throw new Error(`member ${member} not found`);
        const link = await fetch('/api/v1/links', { method: 'POST', headers, body: JSON.stringify({ personId: person.id, householdId: (await hh.json()).data.id }) });
        if (link.status !== 201) throw new Error(`link: ${link.status} ${await link.text()}`);
        // …and a shop, linked to the same member (企业商户 are theirs to visit too).
        const b = await fetch('/api/v1/businesses', {
          method: 'POST', headers,
          body: JSON.stringify({ kind: 'shop', orgCode: village, name: shop.name, address: '走访测试路 1号', contactName: '店主', contactPhone: shop.phone }),
        });
        if (b.status !== 201) throw new Error(`register shop: ${b.status} ${await b.text()}`);
        const bl = await fetch('/api/v1/links', { method: 'POST', headers, body: JSON.stringify({ personId: person.id, businessId: (await b.json()).data.id }) });
        if (bl.status !== 201) throw new Error(`link shop: ${bl.status} ${await bl.text()}`);
      }, { village: KEJING_VILLAGES[0]!, member: MEMBER, head, shop, idNumber: syntheticIdNumber(head.birth, 'M', 1 + (run % 499) * 2) });
    } finally {
      await sec.close();
    }
    s = await openLoggedIn('member', PHONE);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('the village page offers 我联系的住户, not the village register', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    await org.myHouseholdsLink().waitFor();
    expect(await org.householdsLink().count()).toBe(0);
    await expectPhoneFriendly(s.page, 'member-home');
  });

  test('the village page offers 我联系的企业商户 too, each with the member\'s own count', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    await expect.poll(async () => (await org.myBusinessesLink().textContent()) ?? '').toMatch(/\d+ 家/);
    expect(await org.myHouseholdsLink().textContent()).toMatch(/[1-9]\d* 户/);
  });

  test('我联系的企业商户 lists the linked shop; its contact phone is revealed with a preset reason and offered 拨打', async () => {
    const org = new OrgPage(s.page);
    const count = Number(/(\d+) 家/.exec((await org.myBusinessesLink().textContent())!)![1]);
    expect(count).toBeGreaterThan(0);
    await org.myBusinessesLink().click();
    const list = new BusinessListPage(s.page);
    await list.waitForLoaded();
    expect(await list.heading().textContent()).toContain('我联系的企业商户');
    expect(await list.count().textContent()).toBe(`您联系 ${await list.rows().count()} 家`);
    expect(await list.rows().count()).toBe(count);
    expect(await list.exportLink().count()).toBe(0);
    await expectPhoneFriendly(s.page, 'member-businesses');
    await list.openRow(shop.name);
    const page = new BusinessPage(s.page);
    await page.heading().waitFor();
    expect(await page.maskedPhone().textContent()).toBe(`${shop.phone.slice(0, 3)}****${shop.phone.slice(-4)}`);
    await page.revealWithPreset(shop.name, '走访联系');
    expect((await page.revealedValue().textContent())?.replace(/\D/g, '')).toBe(shop.phone);
    expect(await page.callLink().getAttribute('href')).toBe(`tel:${shop.phone}`);
    await page.closeReveal();
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
  });

  test('我联系的住户 counts exactly the rows it lists', async () => {
    await new OrgPage(s.page).myHouseholdsLink().click();
    const list = new HouseholdsPage(s.page);
    await list.waitForLoaded();
    expect(await list.heading().textContent()).toContain('我联系的住户');
    const rows = await list.rows().count();
    expect(rows).toBeGreaterThan(0);
    expect(await list.count().textContent()).toBe(`您联系 ${rows} 户`);
    await expectPhoneFriendly(s.page, 'member-households');
  });

  test('reveals the linked head\'s phone with a reason and is offered 拨打 (tel:), never the ID number', async () => {
    const household = new HouseholdPage(s.page);
    await new HouseholdsPage(s.page).openRow(`${head.name}户`);
    await household.waitForLoaded();
    expect(await household.revealButton(head.name, '身份证号').count()).toBe(0);
    await household.openReveal(head.name, '电话');
    await household.confirmReveal('走访前电话联系');
    expect((await household.revealedValue().textContent())?.replace(/\D/g, '')).toBe(head.phone);
    expect(await household.callLink().getAttribute('href')).toBe(`tel:${head.phone}`);
    await expectPhoneFriendly(s.page, 'member-reveal-phone');
    await household.closeReveal();
  });
});
