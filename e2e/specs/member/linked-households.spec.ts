import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { HouseholdsPage } from '../../pages/households-page.ts';
import { OrgPage } from '../../pages/org-page.ts';

/** The demo member account's person (server/src/seed/accounts.ts), in the secretary's village. */
const MEMBER = '李秀英';
const run = Math.floor(Math.random() * 1e6);
const head = { name: `走访${'甲乙丙丁戊己庚辛'[run % 8]}${'春夏秋冬'[run % 4]}`, birth: randomBirthDate(), phone: `139${String(run).padStart(8, '0')}` };

/** A party member in the field (phone): the households linked to them, and a call to one of them. */
describe('a member on the phone sees the households linked to them and calls one', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    // The secretary registers a household with the head's phone and links it to the member (as the app would).
    const sec = await openLoggedIn('secretary');
    try {
      await sec.page.goto('/');
      await sec.page.evaluate(async ({ village, member, head, idNumber }) => {
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
      }, { village: KEJING_VILLAGES[0]!, member: MEMBER, head, idNumber: syntheticIdNumber(head.birth, 'M', 1 + (run % 499) * 2) });
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
    await s.page.goto('/');
    await org.waitForLoaded();
    await org.myHouseholdsLink().waitFor();
    expect(await org.householdsLink().count()).toBe(0);
    await expectPhoneFriendly(s.page, 'member-home');
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
