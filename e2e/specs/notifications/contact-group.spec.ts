import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { BrowserSession } from '../../src/browser.ts';
import { DEMO_MEMBER_NAME, registerLinkedToMember } from '../../src/linked-fixtures.ts';
import { PageAudit } from '../../src/page-audit.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { ContactGroupForm, HouseholdContactGroup } from '../../pages/contact-group.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { NotificationBell } from '../../pages/notification-bell.ts';

const run = Math.floor(Math.random() * 1e6);
const groupName = `东街联户一群${run}`;

/** The member records 一群 on the phone; the secretary sees it on the household linked to the member. */
describe('一群 and 提醒', () => {
  let householdId: string;
  let member: BrowserSession;
  beforeAll(async () => {
    ({ householdId } = await registerLinkedToMember());
    member = await openLoggedIn('member', PHONE);
  });
  afterAll(async () => {
    await member?.close();
  });

  test('the member (390×844) opens 提醒 from the header bell, then records 一群 name and QR on 我的账户', async () => {
    const bell = new NotificationBell(member.page);
    await member.page.goto('/');
    await bell.open();
    await expect.poll(() => bell.drawer().isVisible()).toBe(true);
    await member.page.keyboard.press('Escape');
    await bell.drawer().waitFor({ state: 'hidden' });

    const form = new ContactGroupForm(member.page);
    await form.open();
    await form.name().fill(groupName);
    await form.saveName().click();
    // The QR: any picture of at least 100 px does for the test — a screenshot of the page's top corner.
    const png = await member.page.screenshot({ clip: { x: 0, y: 0, width: 300, height: 300 } });
    await form.qrInput().setInputFiles({ name: 'qun.png', mimeType: 'image/png', buffer: png });
    await form.qrImage().waitFor();
    await expect.poll(() => form.qrImage().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await expectPhoneFriendly(member.page, 'member-account-contact-group');
  });

  test('the secretary sees the member\'s 一群 name and QR in the household\'s 联户党员 section, with no error or axe violation', async () => {
    const sec = await openLoggedIn('secretary');
    try {
      const audit = await PageAudit.attach(sec.context, inject('baseURL'));
      const household = new HouseholdPage(sec.page);
      await household.open(householdId);
      const group = new HouseholdContactGroup(sec.page);
      await group.line().waitFor();
      expect(await group.line().innerText()).toContain(`一群：${groupName}`);
      await expect.poll(() => group.qrImage(DEMO_MEMBER_NAME).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      await audit.visit(sec.page, `/households/${householdId}`, 'secretary household with 一群');
      expect(audit.problems).toEqual([]);
    } finally {
      await sec.close();
    }
  });
});
