import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { pdfText } from '../../src/pdf-text.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { HandbookPage } from '../../pages/handbook-page.ts';
import { RosterPage } from '../../pages/roster-page.ts';

/** The demo member account's person (server/src/seed/accounts.ts), in the secretary's village. */
const MEMBER = '李秀英';
const shop = `手册测试商店${Math.floor(Math.random() * 1e6)}`;

/**
 * 工作手册: the member opens theirs on the phone and prints the year; the secretary opens it from the roster. (Visits
 * themselves are recorded through the visits API of the same issue; the server tests cover the timeline's content.)
 */
describe('the member\'s 工作手册', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    // A shop linked to the member, so the handbook has a current link (not visited this period).
    const sec = await openLoggedIn('secretary');
    try {
      await sec.page.goto('/');
      await sec.page.evaluate(async ({ village, member, shop }) => {
        const me = await fetch('/api/v1/auth/me').then((r) => r.json());
        const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken };
        const b = await fetch('/api/v1/businesses', { method: 'POST', headers, body: JSON.stringify({ kind: 'shop', orgCode: village, name: shop, address: '手册测试路 3号' }) });
        if (b.status !== 201) throw new Error(`register: ${b.status} ${await b.text()}`);
        const members = await fetch(`/api/v1/coverage/members?org=${village}&q=${encodeURIComponent(member)}`).then((r) => r.json());
        const person = members.data.find((m: { name: string }) => m.name === member);
        const link = await fetch('/api/v1/links', { method: 'POST', headers, body: JSON.stringify({ personId: person.id, businessId: (await b.json()).data.id }) });
        if (link.status !== 201) throw new Error(`link: ${link.status} ${await link.text()}`);
      }, { village: KEJING_VILLAGES[0]!, member: MEMBER, shop });
    } finally {
      await sec.close();
    }
    s = await openLoggedIn('member', PHONE);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('on a phone the member reaches 我的工作手册 from the menu and sees the linked shop as not visited', async () => {
    const hb = new HandbookPage(s.page);
    await s.page.goto('/');
    await s.page.getByRole('button', { name: /菜单/ }).click();
    await hb.navLink().click();
    await hb.heading().waitFor();
    expect(await hb.heading().textContent()).toBe('我的工作手册');
    await expect.poll(async () => (await hb.links().textContent()) ?? '').toContain(shop);
    expect(await hb.links().textContent()).toContain('本期未走访');
    await expectPhoneFriendly(s.page, 'handbook');
  });

  test('按年 then 打印 PDF downloads the year\'s handbook with the member and the shop in it', async () => {
    const hb = new HandbookPage(s.page);
    await hb.open();
    await hb.byYear().click();
    const year = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4);
    await expect.poll(async () => (await hb.pdfButton().textContent()) ?? '').toContain(`${year}年`);
    const { name, bytes } = await hb.downloadPdf();
    expect(name).toBe(`工作手册-${MEMBER}-${year}.pdf`);
    const text = await pdfText(bytes);
    for (const want of ['党员联户工作手册', `${year}年度`, MEMBER, shop, '第 1 页']) expect(text, want).toContain(want);
  });

  test('the secretary opens a member\'s 工作手册 from the roster row', async () => {
    const sec = await openLoggedIn('secretary');
    try {
      const roster = new RosterPage(sec.page);
      await roster.open(`?org=${KEJING_VILLAGES[0]!}`);
      await roster.row(MEMBER).first().getByRole('link', { name: `${MEMBER}的工作手册` }).click();
      const hb = new HandbookPage(sec.page);
      await hb.heading().waitFor();
      // While the handbook loads the title says 工作手册 alone; the member's name follows with the data.
      await expect.poll(() => hb.heading().textContent()).toBe(`${MEMBER} · 工作手册`);
      await expect.poll(async () => (await hb.links().textContent()) ?? '').toContain(shop);
    } finally {
      await sec.close();
    }
  });
});
