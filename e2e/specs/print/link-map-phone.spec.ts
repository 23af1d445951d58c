import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { LinkMapPage } from '../../pages/link-map-page.ts';

/** A member of the secretary's village (server/src/seed/accounts.ts). */
const MEMBER = '李秀英';
const VILLAGE = KEJING_VILLAGES[0]!;
// A shop, not a household: the coverage specs count this village's linked households meanwhile.
const shop = `示意图测试商店${Math.floor(Math.random() * 1e6)}`;

/** 联户示意图 on a phone: the A3 sheet is unreadable at 390 px, so the page reads as a list per member. */
describe('the link map on a phone (390×844) lists each member with what they link', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
    await s.page.goto('/');
    await s.page.evaluate(async ({ village, member, shop }) => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json());
      const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken };
      const b = await fetch('/api/v1/businesses', {
        method: 'POST', headers, body: JSON.stringify({ kind: 'shop', orgCode: village, name: shop, address: '示意图测试路 2号' }),
      });
      if (b.status !== 201) throw new Error(`register: ${b.status} ${await b.text()}`);
      const members = await fetch(`/api/v1/coverage/members?org=${village}&q=${encodeURIComponent(member)}`).then((r) => r.json());
      const person = members.data.find((m: { name: string }) => m.name === member);
      const link = await fetch('/api/v1/links', { method: 'POST', headers, body: JSON.stringify({ personId: person.id, businessId: (await b.json()).data.id }) });
      if (link.status !== 201) throw new Error(`link: ${link.status} ${await link.text()}`);
    }, { village: VILLAGE, member: MEMBER, shop });
  });
  afterAll(async () => {
    await s?.close();
  });

  test('reads the member\'s card: name, work phone to call, and the shop linked to them; no sheet', async () => {
    const map = new LinkMapPage(s.page);
    await map.open(VILLAGE);
    const card = map.memberCard(MEMBER);
    await card.waitFor();
    expect(await card.getByRole('listitem').allTextContents()).toContainEqual(expect.stringContaining(shop));
    const call = card.getByRole('link', { name: /拨打/ });
    if (await call.count()) expect(await call.getAttribute('href')).toMatch(/^tel:[\d+]+$/);
    expect(await map.map().count()).toBe(0);
    await map.pdfButton().waitFor();
    await expectPhoneFriendly(s.page, 'link-map-list');
  });
});
